import { NdjsonWriter } from "../../lambda-src/serialize";
import type { RawOrder, SourcePosition } from "../../lambda-src/types";
import { OrderValidator } from "../../lambda-src/validation";

/** What the writer must produce: `JSON.stringify` of the normalized order, one per line. */
function expectedLines(file: string, orders: readonly [RawOrder, SourcePosition][]): string {
  const validator = new OrderValidator(file);
  return orders
    .map(([raw, position]) => {
      const result = validator.validate(raw, position);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      return `${JSON.stringify(result.order)}\n`;
    })
    .join("");
}

/** The writer's output; blocks are taken whenever more than `takeAbove` bytes are pending. */
function writtenLines(file: string, orders: readonly [RawOrder, SourcePosition][], takeAbove = 1000): string {
  const validator = new OrderValidator(file);
  const writer = new NdjsonWriter(file);
  const blocks: Uint8Array[] = [];
  for (const [raw, position] of orders) {
    expect(validator.check(raw, position)).toBeUndefined();
    writer.write(validator, position);
    if (writer.pendingBytes > takeAbove) blocks.push(...writer.take());
  }
  blocks.push(...writer.take());
  return Buffer.concat(blocks).toString("utf8");
}

const order = (orderId: string, extra: Partial<RawOrder> = {}): RawOrder => ({
  orderId,
  customerId: "C9",
  orderDate: "2025-07-10T10:00:00+02:00",
  currency: "eur",
  items: [
    { sku: "SKU-1", quantity: "2", unitPrice: "12.5" },
    { sku: "SKU-2", quantity: 1_000_000, unitPrice: 0.1 },
  ],
  ...extra,
});

describe("NdjsonWriter", () => {
  it("writes exactly what JSON.stringify writes for normalized orders, lines and indexes alike", () => {
    const orders: [RawOrder, SourcePosition][] = Array.from({ length: 500 }, (_, i) => [
      order(`A${i}`, { items: Array.from({ length: 1 + (i % 4) }, (_, j) => ({ sku: `S-${j}`, quantity: 1 + j * 99_999, unitPrice: `${i * 1_000_003}.0${j}` })) }),
      i % 2 === 0 ? { line: i + 2 } : { index: i },
    ]);
    expect(writtenLines("incoming/a b/ü.csv", orders)).toBe(expectedLines("incoming/a b/ü.csv", orders));
  });

  it("writes a large total that plain numbers still hold exactly, beyond 32-bit digits", () => {
    // 1,000,000 x 90000.00 stays on the number path (the price is at most SAFE_PRICE minor units).
    const orders: [RawOrder, SourcePosition][] = [[order("T1", { items: [{ sku: "S", quantity: 1_000_000, unitPrice: "90000.00" }] }), { line: 2 }]];
    const written = writtenLines("incoming/t.csv", orders);
    expect((JSON.parse(written) as { total: string }).total).toBe("90000000000.00");
    expect(written).toBe(expectedLines("incoming/t.csv", orders));
  });

  it("keeps every line whole when blocks fill up between takes", () => {
    const orders: [RawOrder, SourcePosition][] = Array.from({ length: 4000 }, (_, i) => [order(`B${i}`, { customerId: "C".repeat(1 + (i % 7)) }), { line: i + 2 }]);
    const written = writtenLines("incoming/x.csv", orders, Infinity);
    expect(Buffer.byteLength(written)).toBeGreaterThan(3 * (1 << 18));
    expect(written).toBe(expectedLines("incoming/x.csv", orders));
  });

  it("escapes and encodes text as JSON.stringify does: quotes, spaces, controls, non-ASCII at each UTF-8 width, astral and lone surrogates", () => {
    const texts = ['quo"te', "back\\slash", "tab\tnew\nline\r\b\f", "\u0000\u001f\u007f", "Bestellung-ä", "東京", "😀x", "lone\ud800", "\udfffend", "\udc00\udc00", "\ud800\ud800", "\u2028\u2029", "x".repeat(60), "a b", "\u{203FF}", "\u{10000}\u{10FFFF}", "\u007e\u0080\u07ff\u0800\uffff"];
    const orders: [RawOrder, SourcePosition][] = texts.map((text, i) => [order(`${text}-${i}`, { customerId: `<${text}>`, items: [{ sku: `(${text})`, quantity: 1, unitPrice: "1" }] }), { line: i + 2 }]);
    expect(writtenLines('incoming/"odd"\u0001.json', orders)).toBe(expectedLines('incoming/"odd"\u0001.json', orders));
  });

  it("writes huge exact amounts (bigint minor units) and long orders that span output blocks", () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ sku: "\u0001".repeat(64), quantity: 1_000_000, unitPrice: i === 0 ? "123456789012345678901.99" : "99999999999999.99" }));
    const orders: [RawOrder, SourcePosition][] = [
      [order("big", { items }), { index: 0 }],
      [order("small"), { index: 1 }],
    ];
    expect(writtenLines("f", orders)).toBe(expectedLines("f", orders));
  });
});
