import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** A line item for test files; values are written as given (strings stay strings). */
export interface TestItem {
  readonly sku: string;
  readonly quantity: number | string;
  readonly unitPrice: number | string;
}

/** An order for test files. */
export interface TestOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly orderDate: string;
  readonly currency: string;
  readonly items: readonly TestItem[];
}

/** A valid order; override any field. */
export function testOrder(overrides: Partial<TestOrder> = {}): TestOrder {
  return {
    orderId: "A1",
    customerId: "C9",
    orderDate: "2025-07-10",
    currency: "usd",
    items: [
      { sku: "SKU-1", quantity: 2, unitPrice: "12.50" },
      { sku: "SKU-2", quantity: 3, unitPrice: "0.10" },
    ],
    ...overrides,
  };
}

/** The contract's CSV columns as a header line. */
export const CSV_HEADER = "order_id,customer_id,order_date,currency,sku,quantity,unit_price";

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text: one row per line item, with the given line ending. */
export function csvText(orders: readonly TestOrder[], newline = "\n"): string {
  const rows = orders.flatMap((o) => o.items.map((i) => [o.orderId, o.customerId, o.orderDate, o.currency, i.sku, i.quantity, i.unitPrice].map(csvField).join(",")));
  return [CSV_HEADER, ...rows].join(newline) + newline;
}

/** JSON text: a top-level array, or `{ "orders": [...] }` when `wrapped`. */
export function jsonText(orders: readonly TestOrder[], wrapped = false): string {
  return JSON.stringify(wrapped ? { source: "test", orders } : orders, null, 1);
}

/** NDJSON text: one order per line. */
export function ndjsonText(orders: readonly TestOrder[]): string {
  return orders.map((o) => JSON.stringify(o)).join("\n") + "\n";
}

function xmlEscape(value: string | number): string {
  return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** XML text in the contract's shape; each `<order>` starts on its own line. */
export function xmlText(orders: readonly TestOrder[]): string {
  const body = orders.map(
    (o) =>
      `<order><orderId>${xmlEscape(o.orderId)}</orderId><customerId>${xmlEscape(o.customerId)}</customerId><orderDate>${xmlEscape(o.orderDate)}</orderDate><currency>${xmlEscape(o.currency)}</currency><items>` +
      o.items.map((i) => `<item><sku>${xmlEscape(i.sku)}</sku><quantity>${xmlEscape(i.quantity)}</quantity><unitPrice>${xmlEscape(i.unitPrice)}</unitPrice></item>`).join("") +
      `</items></order>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<orders>\n${body.join("\n")}\n</orders>\n`;
}

/** The `n`-th generated order: 1 to 3 items, prices with cents, dates with offsets. */
export function generatedOrder(n: number): TestOrder {
  const items: TestItem[] = [];
  for (let i = 0; i <= n % 3; i++) items.push({ sku: `SKU-${(n * 7 + i) % 10000}`, quantity: 1 + ((n + i) % 9), unitPrice: `${(n % 500) + i}.${String((n * 13) % 100).padStart(2, "0")}` });
  return { orderId: `ORD-${String(n).padStart(9, "0")}`, customerId: `CUST-${n % 50000}`, orderDate: `2025-07-${String(1 + (n % 28)).padStart(2, "0")}T10:${String(n % 60).padStart(2, "0")}:00+02:00`, currency: "EUR", items };
}

const TEXT_OF = { csv: csvText, json: jsonText, ndjson: ndjsonText, xml: xmlText } as const;

/** A format a generated file can have. */
export type GeneratedFormat = keyof typeof TEXT_OF;

/**
 * Writes a generated order file of at least `minBytes` or `minOrders` (whichever comes last),
 * streaming it out in blocks so the generator's own memory stays small. Returns the order count.
 */
export async function writeGeneratedFile(path: string, format: GeneratedFormat, target: { minBytes?: number; minOrders?: number }): Promise<number> {
  const out = createWriteStream(path);
  const block = 1000;
  let bytes = 0;
  let n = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  const done = (): boolean => bytes >= (target.minBytes ?? 0) && n >= (target.minOrders ?? 0);
  if (format === "csv") await write(`${CSV_HEADER}\n`);
  if (format === "json") await write("[\n");
  if (format === "xml") await write('<?xml version="1.0" encoding="UTF-8"?>\n<orders>\n');
  while (!done()) {
    const orders = Array.from({ length: block }, (_, i) => generatedOrder(n + i));
    if (format === "csv") await write(csvText(orders).slice(CSV_HEADER.length + 1));
    else if (format === "json") await write(`${n > 0 ? ",\n" : ""}${orders.map((o) => JSON.stringify(o)).join(",\n")}`);
    else if (format === "ndjson") await write(ndjsonText(orders));
    else await write(xmlText(orders).split("\n").slice(2, -2).join("\n") + "\n");
    n += block;
  }
  if (format === "json") await write("\n]\n");
  if (format === "xml") await write("</orders>\n");
  out.end();
  await once(out, "finish");
  return n;
}
