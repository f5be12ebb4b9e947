import { NoValidOrdersError } from "../../lambda-src/errors";
import { processOrders } from "../../lambda-src/pipeline";
import { OrderTally } from "../../lambda-src/tally";
import type { SupportedFormat } from "../../lambda-src/types";
import { csvText, jsonText, ndjsonText, type TestOrder, xmlText } from "../helpers/lambda-orders";
import { chunksOf } from "../helpers/pieces";
import { seededRandom } from "../helpers/random";

/**
 * The body arrives in chunks of whatever size the network delivers, cut anywhere, even inside a
 * character. Everything the function writes and records must come out the same however it is cut:
 * the output bytes, the counts, every kept problem and any file-level failure (after which the
 * counts and problems cover only what was read before it, so only the failure is compared).
 */
describe("processOrders, whatever the body's byte chunks", () => {
  // Reproducible documents and cuts.
  const random = seededRandom(47);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;
  const encoder = new TextEncoder();

  /** Values with characters of every UTF-8 length, characters JSON and XML escape, and mistakes. */
  const text = (): string => (chance(0.9) ? pick(["A1", "é", "€uro", "😀", "x,y", 'q"t', "a\\b", "<&>", "  pad  "]) : pick(["", "\u0007"]));

  function randomOrders(): TestOrder[] {
    return Array.from({ length: Math.floor(random() * 5) }, (_, n) => ({
      orderId: pick([`O${n}`, `O${n}`, `O${n}`, text(), "O0"]),
      customerId: text(),
      orderDate: chance(0.9) ? pick(["2025-07-10", "2025-07-10T14:30:00+02:00"]) : pick(["2025-02-30", "soon"]),
      currency: chance(0.9) ? pick(["USD", "eur"]) : "E",
      items: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        sku: text(),
        quantity: chance(0.9) ? pick([1, 2]) : 0,
        unitPrice: chance(0.9) ? pick(["1.00", "0.10"]) : pick(["1.005", "-1"]),
      })),
    }));
  }

  /** The orders in `format`, with a BOM, CRLF line ends, a blank line or a broken end at times. */
  function document(format: SupportedFormat, orders: readonly TestOrder[]): string {
    let body = { csv: () => csvText(orders, pick(["\n", "\r\n"])), json: () => jsonText(orders, chance(0.5)), ndjson: () => ndjsonText(orders), xml: () => xmlText(orders) }[format]();
    if (format === "ndjson" && chance(0.3)) body = body.replace("\n", pick(["\n\n", "\r\n", '\n{"orderId": broken\n']));
    if (chance(0.1)) body = body.slice(0, Math.floor(random() * body.length));
    return (chance(0.2) ? "\uFEFF" : "") + body;
  }

  /** At times, `bytes` made invalid UTF-8: a stray byte, or a character with its last byte gone. */
  function broken(bytes: Uint8Array): Uint8Array {
    if (bytes.length === 0 || !chance(0.15)) return bytes;
    const at = Math.floor(random() * bytes.length);
    const stray = pick([0xff, 0x80, 0xc3]);
    if (chance(0.5)) return Uint8Array.from([...bytes.subarray(0, at), stray, ...bytes.subarray(at)]);
    // The last byte of the first character of two or more bytes from `at` on, or a stray byte when there is none.
    for (let i = at; i < bytes.length; i++) {
      if (bytes[i] >= 0xc0) {
        const length = bytes[i] >= 0xf0 ? 4 : bytes[i] >= 0xe0 ? 3 : 2;
        return Uint8Array.from([...bytes.subarray(0, i + length - 1), ...bytes.subarray(i + length)]);
      }
    }
    return Uint8Array.from([...bytes, stray]);
  }

  /** `bytes` cut at random places into pieces of 1 to `longest` bytes, characters split and all, with an empty piece at times. */
  function randomCuts(bytes: Uint8Array, longest: number): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; ) {
      if (chance(0.05)) pieces.push(new Uint8Array(0));
      const end = Math.min(bytes.length, at + 1 + Math.floor(random() * longest));
      pieces.push(bytes.subarray(at, end));
      at = end;
    }
    return pieces;
  }

  async function outcome(format: SupportedFormat, pieces: readonly Uint8Array[]): Promise<string> {
    const tally = new OrderTally();
    const output: Uint8Array[] = [];
    let failure = "";
    try {
      await processOrders({ body: chunksOf(pieces), format, fileName: `incoming/orders.${format}`, maxBytes: 1 << 20, tally, sink: { write: (ndjson) => void output.push(ndjson.slice()) } });
    } catch (error) {
      failure = (error as Error).message;
      // Any other file-level failure stops reading, so the counts are what was read before it, which depends on the cuts.
      if (!(error instanceof NoValidOrdersError)) return JSON.stringify({ failure });
    }
    const { valid, rejected, errors } = tally;
    return JSON.stringify({ failure, output: Buffer.concat(output).toString("utf8"), valid, rejected, errors });
  }

  it.each(["csv", "json", "ndjson", "xml"] as const)("writes and records the same for random %s files cut anywhere as for the whole body", async (format) => {
    const seen = { failed: 0, encoding: 0, partial: 0 };
    for (let n = 0; n < 120; n++) {
      const bytes = broken(encoder.encode(document(format, randomOrders())));
      const whole = await outcome(format, [bytes]);
      if (whole.includes("not valid UTF-8")) seen.encoding++;
      if (!whole.includes('"failure":""')) seen.failed++;
      else if (!whole.includes('"rejected":0')) seen.partial++;
      for (const longest of [2, 50]) {
        expect({ text: new TextDecoder().decode(bytes), cut: await outcome(format, randomCuts(bytes, longest)) }).toEqual({ text: new TextDecoder().decode(bytes), cut: whole });
      }
    }
    // Both kinds of outcome must be exercised, or the comparison proves little.
    expect(seen.failed).toBeGreaterThan(5);
    expect(seen.encoding).toBeGreaterThan(3);
    expect(seen.partial).toBeGreaterThan(10);
  });
});
