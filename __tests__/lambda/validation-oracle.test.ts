import type { NormalizedOrder, RawOrder } from "../../lambda-src/types";
import { OrderValidator } from "../../lambda-src/validation";
import { seededRandom } from "../helpers/random";

/**
 * The validator is written for speed (a trim that skips the builtin, a remembered currency, plain
 * numbers while a total stays exact, a packed id index). This checks it against the contract's
 * rules written the plain way: regular expressions, `Date`, `BigInt` and a `Set`, on random orders
 * of the shapes partners send, valid and not, one file's worth at a time so that duplicate ids and
 * the remembered currency carry over from order to order.
 */
const MAX_ID = 64;

/** The plain reading of one order: the normalized order, or the fields with problems, in the order they are checked. */
type Expected = { ok: true; order: NormalizedOrder } | { ok: false; fields: string[] };

function plainText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  return text.length > 0 && [...text].length <= MAX_ID ? text : undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?))?$/;

function plainDate(value: unknown): string | undefined {
  const m = typeof value === "string" ? ISO.exec(value.trim()) : null;
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0));
  const millis = Number((m[7] ?? "0").slice(0, 3).padEnd(3, "0"));
  // Z, or +HH, +HHMM, +HH:MM; a date alone is UTC midnight.
  const zone = m[8] ?? "Z";
  const offsetHours = zone === "Z" ? 0 : Number(zone.slice(1, 3));
  const offsetMinutes = zone.length > 3 ? Number(zone.slice(-2)) : 0;
  const offset = (zone[0] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  // setUTCFullYear: Date.UTC would read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const iso = new Date(date.getTime() + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis).toISOString();
  // The normalized form has a four-digit year: 0000-9999 once the offset is applied.
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

function plainQuantity(value: unknown): number | undefined {
  const quantity = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  return quantity !== undefined && Number.isInteger(quantity) && quantity >= 1 && quantity <= 1_000_000 ? quantity : undefined;
}

/** Minor units of a price: text as written, a JSON number as its shortest decimal text, of at most 15 significant digits. */
function plainMinor(value: unknown): bigint | undefined {
  let text: string;
  if (typeof value === "string") text = value.trim();
  else if (typeof value === "number") {
    text = String(value);
    if (text.replace(/^[0.]+/, "").replace(".", "").length > 15) return undefined;
  } else return undefined;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  return m === null ? undefined : BigInt(m[1]) * 100n + BigInt((m[2] ?? "0").padEnd(2, "0"));
}

const money = (minor: bigint): string => `${minor / 100n}.${String(minor % 100n).padStart(2, "0")}`;

function plainValidate(raw: RawOrder, index: number, seen: Set<string>): Expected {
  const fields: string[] = [];
  const orderId = plainText(raw.orderId);
  const customerId = plainText(raw.customerId);
  const orderDate = plainDate(raw.orderDate);
  const currency = typeof raw.currency === "string" && /^[A-Za-z]{3}$/.test(raw.currency.trim()) ? raw.currency.trim().toUpperCase() : undefined;
  if (orderId === undefined) fields.push("orderId");
  if (customerId === undefined) fields.push("customerId");
  if (orderDate === undefined) fields.push("orderDate");
  if (currency === undefined) fields.push("currency");
  const items: { sku: string; quantity: number; unitPrice: string }[] = [];
  let total = 0n;
  const rawItems: unknown = raw.items;
  if (!Array.isArray(rawItems) || rawItems.length < 1 || rawItems.length > 1000) fields.push("items");
  else {
    rawItems.forEach((entry: unknown, i) => {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        fields.push(`items[${i}]`);
        return;
      }
      const item = entry as Record<string, unknown>;
      const sku = plainText(item.sku);
      const quantity = plainQuantity(item.quantity);
      const minor = plainMinor(item.unitPrice);
      if (sku === undefined) fields.push(`items[${i}].sku`);
      if (quantity === undefined) fields.push(`items[${i}].quantity`);
      if (minor === undefined) fields.push(`items[${i}].unitPrice`);
      if (sku !== undefined && quantity !== undefined && minor !== undefined) {
        items.push({ sku, quantity, unitPrice: money(minor) });
        total += BigInt(quantity) * minor;
      }
    });
  }
  if (orderId !== undefined) {
    if (seen.has(orderId)) fields.push("orderId");
    seen.add(orderId);
  }
  if (fields.length > 0) return { ok: false, fields };
  return { ok: true, order: { orderId: orderId!, customerId: customerId!, orderDate: orderDate!, currency: currency!, items, total: money(total), source: { file: "incoming/x.json", index } } };
}

describe("OrderValidator against the contract's rules written the plain way", () => {
  const random = seededRandom(71);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;

  const id = (): unknown => (chance(0.85) ? pick(["A1", "A2", "A3", " A1 ", "é€😀", "x".repeat(64), "😀".repeat(64)]) : pick(["", "   ", "x".repeat(65), "😀".repeat(65), "\udc00".repeat(65), 7, null, undefined]));
  const date = (): unknown =>
    chance(0.85)
      ? pick(["2025-07-10", " 2025-07-10 ", "2024-02-29T23:59:59.9999Z", "2025-12-31T23:30:00-01:30", "2025-07-10T00:00+0200", "2025-07-10T10:00:00,5+05", "2025-01-01T00:00:00+14", "0050-01-01", "0000-01-01"])
      : pick(["2025-02-29", "2025-07-10T10:00:00", "2025-07-10T24:00:00Z", "10/07/2025", "2025-07-10T10:00:00+05:60", "", 20250710, "9999-12-31T23:30:00-01:00", "0000-01-01T00:30:00+01:00"]);
  const currency = (): unknown => (chance(0.85) ? pick(["USD", "usd", " eUr ", "usd"]) : pick(["US", "U$D", "", "USDD", "ſſſ", null]));
  const quantity = (): unknown => (chance(0.85) ? pick([1, 2, 1_000_000, "3", " 007 ", "1000000"]) : pick([0, -1, 1.5, "1.0", "1e3", "", "1000001", null, NaN]));
  const price = (): unknown =>
    chance(0.85)
      ? pick(["12.50", "0.1", "3", " 0.10 ", 0.1, 12.5, 7, 0, "00.05", "9999999999999999999.99", 90000.01, "123456789012.34", "12345678901234567.89", "99999999999999.99", "9999999999.99", 1234567890123.45])
      : pick(["-1", "1.234", "1.", ".5", "1,50", "1e3", "", "+1", 1.234, 1e21, JSON.parse("12345678901234567.89") as number, 12345678901234.56, null]);
  const item = (): unknown => (chance(0.95) ? { sku: id(), quantity: quantity(), unitPrice: price() } : pick([42, "SKU-1", null, []]));
  const items = (): unknown => (chance(0.95) ? Array.from({ length: 1 + Math.floor(random() * 4) }, item) : pick([[], "SKU", Array.from({ length: 1001 }, () => ({ sku: "a", quantity: 1, unitPrice: 1 }))]));

  it("accepts, normalizes and rejects exactly as the plain rules do, over many random files", () => {
    let valid = 0;
    let rejected = 0;
    for (let file = 0; file < 200; file++) {
      const validator = new OrderValidator("incoming/x.json");
      const seen = new Set<string>();
      for (let index = 0; index < 12; index++) {
        const raw = { orderId: id(), customerId: id(), orderDate: date(), currency: currency(), items: items() } as RawOrder;
        const expected = plainValidate(raw, index, seen);
        const result = validator.validate(raw, { index });
        const actual: Expected = result.ok ? result : { ok: false, fields: result.problems.map((problem) => problem.field ?? "-") };
        expect({ raw, actual }).toEqual({ raw, actual: expected });
        if (result.ok) valid++;
        else rejected++;
      }
    }
    // Both outcomes must be common, or the comparison proves little.
    expect(valid).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(1000);
  });
});
