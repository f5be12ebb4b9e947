// Reconstructed: this file's original content was overwritten by a concurrent edit before it was
// committed (see the commit message). The API below is what the local pipeline tests use.

/** The formats the pipeline accepts. */
export type OrderFormat = "csv" | "json" | "ndjson" | "xml";

/** A line item of a test order. */
export interface TestLineItem {
  readonly sku: string;
  readonly quantity: number | string;
  readonly unitPrice: number | string;
}

/** An order as written into a test file. */
export interface TestFileOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly orderDate: string;
  readonly currency: string;
  readonly items: readonly TestLineItem[];
}

/** `count` valid orders with ids `<prefix>-1` ... `<prefix>-<count>`, each with one or two items. */
export function validOrders(prefix: string, count: number): TestFileOrder[] {
  return Array.from({ length: count }, (_, i) => ({
    orderId: `${prefix}-${i + 1}`,
    customerId: `C-${prefix}`,
    orderDate: "2025-07-10T12:00:00+02:00",
    currency: "usd",
    items: [
      { sku: `SKU-${i + 1}`, quantity: i + 1, unitPrice: "12.50" },
      ...(i % 2 === 1 ? [{ sku: "SKU-X", quantity: 3, unitPrice: "0.10" }] : []),
    ],
  }));
}

/** An order that validation rejects (currency is not a three-letter code). */
export function invalidOrder(orderId: string): TestFileOrder {
  return { orderId, customerId: "C-bad", orderDate: "2025-07-10", currency: "DOLLARS", items: [{ sku: "SKU-1", quantity: 1, unitPrice: "1.00" }] };
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function xmlEscape(value: string | number): string {
  return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The file text of `orders` in `format`, as the contract describes each format. */
export function renderOrders(format: OrderFormat, orders: readonly TestFileOrder[]): string {
  switch (format) {
    case "csv": {
      const rows = orders.flatMap((o) => o.items.map((i) => [o.orderId, o.customerId, o.orderDate, o.currency, i.sku, i.quantity, i.unitPrice].map(csvField).join(",")));
      return ["order_id,customer_id,order_date,currency,sku,quantity,unit_price", ...rows].join("\n") + "\n";
    }
    case "json":
      return JSON.stringify(orders, null, 2);
    case "ndjson":
      return orders.map((o) => JSON.stringify(o)).join("\n") + "\n";
    case "xml":
      return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<orders>\n' +
        orders
          .map(
            (o) =>
              `<order><orderId>${xmlEscape(o.orderId)}</orderId><customerId>${xmlEscape(o.customerId)}</customerId><orderDate>${xmlEscape(o.orderDate)}</orderDate><currency>${xmlEscape(o.currency)}</currency><items>` +
              o.items.map((i) => `<item><sku>${xmlEscape(i.sku)}</sku><quantity>${xmlEscape(i.quantity)}</quantity><unitPrice>${xmlEscape(i.unitPrice)}</unitPrice></item>`).join("") +
              "</items></order>",
          )
          .join("\n") +
        "\n</orders>\n"
      );
  }
}
