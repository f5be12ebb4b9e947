/** An order as the contract describes it (input side), for the local pipeline tests. */
export interface LocalTestOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly orderDate: string;
  readonly currency: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly unitPrice: string }[];
}

/** Input formats of order files. */
export type LocalOrderFormat = "csv" | "json" | "ndjson" | "xml";

/** `n` valid orders with ids `<prefix>-1..n`, one to three items each. */
export function someValidOrders(prefix: string, n: number): LocalTestOrder[] {
  return Array.from({ length: n }, (_, i) => ({
    orderId: `${prefix}-${i + 1}`,
    customerId: `CUST-${100 + i}`,
    orderDate: i % 2 ? "2025-07-10" : "2025-07-10T09:30:00+02:00",
    currency: ["USD", "eur", "GBP"][i % 3],
    items: Array.from({ length: 1 + (i % 3) }, (_, j) => ({ sku: `SKU-${j + 1}`, quantity: j + 1, unitPrice: `${10 + j}.50` })),
  }));
}

/** An order that fails validation (quantity 0). */
export function anInvalidOrder(orderId: string): LocalTestOrder {
  return { orderId, customerId: "CUST-1", orderDate: "2025-07-10", currency: "USD", items: [{ sku: "SKU-1", quantity: 0, unitPrice: "1.00" }] };
}

/** Renders orders as a file of the given format, as contracts.md specifies it. */
export function orderFileText(format: LocalOrderFormat, orders: readonly LocalTestOrder[]): string {
  switch (format) {
    case "csv":
      return [
        "order_id,customer_id,order_date,currency,sku,quantity,unit_price",
        ...orders.flatMap((o) => o.items.map((it) => [o.orderId, o.customerId, o.orderDate, o.currency, it.sku, it.quantity, it.unitPrice].join(","))),
      ].join("\n") + "\n";
    case "json":
      return JSON.stringify(orders);
    case "ndjson":
      return orders.map((o) => JSON.stringify(o)).join("\n") + "\n";
    case "xml":
      return `<?xml version="1.0" encoding="UTF-8"?>\n<orders>${orders
        .map(
          (o) =>
            `<order><orderId>${o.orderId}</orderId><customerId>${o.customerId}</customerId><orderDate>${o.orderDate}</orderDate><currency>${o.currency}</currency><items>${o.items
              .map((it) => `<item><sku>${it.sku}</sku><quantity>${it.quantity}</quantity><unitPrice>${it.unitPrice}</unitPrice></item>`)
              .join("")}</items></order>`,
        )
        .join("\n")}</orders>\n`;
  }
}
