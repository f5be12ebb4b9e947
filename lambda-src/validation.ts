import { normalizeOrderDate } from "./dates";
import { LIMITS } from "./limits";
import { decimalTextOfNumber, formatMinorUnits, lineTotal, type MinorUnits, parseMinorUnits } from "./money";
import { OrderIdSet } from "./order-id-set";
import type { NormalizedOrder, OrderItem, OrderProblem, RawItem, RawOrder, SourcePosition } from "./types";

/** The outcome of validating one order: the normalized order, or every problem found in it. */
export type ValidationResult = { readonly ok: true; readonly order: NormalizedOrder } | { readonly ok: false; readonly problems: readonly OrderProblem[] };

interface Line {
  readonly sku: string;
  readonly quantity: number;
  readonly minor: MinorUnits;
}

const CURRENCY = /^[A-Za-z]{3}$/;
const INTEGER = /^\d+$/;
const DATE_EXAMPLE = "use 2025-07-10 or 2025-07-10T14:30:00Z";
/** Distinct date texts remembered per file; orders of one file mostly share a few dates. */
const DATE_CACHE_SIZE = 4096;

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return Array.isArray(value) ? "a list" : "an object";
}

function characters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) count++;
  }
  return count;
}

/** Collects the problems of the order being validated; one per validator, reused. */
class Problems {
  list: OrderProblem[] = [];
  position: SourcePosition = { line: 0 };
  orderId: string | undefined;

  add(field: string, message: string, at: SourcePosition = this.position): void {
    this.list.push({ position: at, ...(this.orderId !== undefined ? { orderId: this.orderId } : {}), field, message });
  }
}

/**
 * Validates and normalizes the orders of one file, in file order, per the contract. Pure: no I/O.
 * It remembers every `orderId` it has seen, so a later order with the same id is rejected.
 */
export class OrderValidator {
  private readonly seen = new OrderIdSet();
  private readonly problems = new Problems();
  private readonly dates = new Map<string, ReturnType<typeof normalizeOrderDate>>();

  /** @param file the decoded object key, written to each order's `source.file`. */
  constructor(private readonly file: string) {}

  /** Validates one order found at `position`. */
  validate(raw: RawOrder, position: SourcePosition): ValidationResult {
    const problems = this.problems;
    problems.list = [];
    problems.position = position;
    problems.orderId = undefined;
    const orderId = this.text(raw.orderId, "orderId", position);
    problems.orderId = orderId;
    const customerId = this.text(raw.customerId, "customerId", position);
    const orderDate = this.date(raw.orderDate);
    const currency = this.currency(raw.currency);
    const lines = this.items(raw.items, position);
    if (orderId !== undefined && !this.seen.add(orderId)) {
      problems.add("orderId", `orderId "${orderId}" already appeared earlier in the file; give every order its own orderId`);
    }
    if (problems.list.length > 0 || orderId === undefined || customerId === undefined || orderDate === undefined || currency === undefined || lines === undefined) {
      return { ok: false, problems: problems.list };
    }
    const items: OrderItem[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) items[i] = { sku: lines[i].sku, quantity: lines[i].quantity, unitPrice: formatMinorUnits(lines[i].minor) };
    const source = "line" in position ? { file: this.file, line: position.line } : { file: this.file, index: position.index };
    return { ok: true, order: { orderId, customerId, orderDate, currency, items, total: formatMinorUnits(lineTotal(lines)), source } };
  }

  private text(value: unknown, field: string, at: SourcePosition): string | undefined {
    if (typeof value !== "string") {
      this.problems.add(field, `${field} is missing or not text (got ${describe(value)}); give a text value`, at);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed.length === 0) {
      this.problems.add(field, `${field} is empty; give a value`, at);
      return undefined;
    }
    if (trimmed.length > LIMITS.maxIdLength && characters(trimmed) > LIMITS.maxIdLength) {
      this.problems.add(field, `${field} has ${characters(trimmed)} characters; use at most ${LIMITS.maxIdLength}`, at);
      return undefined;
    }
    return trimmed;
  }

  private date(value: unknown): string | undefined {
    const text = typeof value === "string" ? value.trim() : "";
    if (text.length === 0) {
      this.problems.add("orderDate", `orderDate is missing (got ${describe(value)}); ${DATE_EXAMPLE}`);
      return undefined;
    }
    let normalized = this.dates.get(text);
    if (normalized === undefined) {
      normalized = normalizeOrderDate(text);
      if (this.dates.size >= DATE_CACHE_SIZE) this.dates.clear();
      this.dates.set(text, normalized);
    }
    if (normalized === "format") this.problems.add("orderDate", `orderDate ${describe(value)} is not an ISO 8601 date; ${DATE_EXAMPLE}`);
    else if (normalized === "zone") this.problems.add("orderDate", `orderDate ${describe(value)} has a time but no zone; add Z or an offset such as +02:00`);
    else if (normalized === "range") this.problems.add("orderDate", `orderDate ${describe(value)} is not a real date or time; check the day, month, hour and offset`);
    else return normalized;
    return undefined;
  }

  private currency(value: unknown): string | undefined {
    const trimmed = typeof value === "string" ? value.trim() : undefined;
    if (trimmed === undefined || !CURRENCY.test(trimmed)) {
      this.problems.add("currency", `currency ${describe(value)} is not a three-letter code; use an ISO 4217 code such as USD`);
      return undefined;
    }
    return trimmed.toUpperCase();
  }

  private items(value: unknown, position: SourcePosition): Line[] | undefined {
    if (!Array.isArray(value)) {
      this.problems.add("items", `items is missing or not a list (got ${describe(value)}); give ${LIMITS.minItems} to ${LIMITS.maxItems} items`);
      return undefined;
    }
    if (value.length < LIMITS.minItems || value.length > LIMITS.maxItems) {
      this.problems.add("items", `the order has ${value.length} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}`);
      return undefined;
    }
    const lines: Line[] = [];
    let valid = true;
    for (let i = 0; i < value.length; i++) {
      const entry: unknown = value[i];
      const field = `items[${i}]`;
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        this.problems.add(field, `${field} is ${describe(entry)}, not an item; give sku, quantity and unitPrice`);
        valid = false;
        continue;
      }
      const item = entry as RawItem;
      const at = typeof item.line === "number" ? { line: item.line } : position;
      const sku = this.text(item.sku, `${field}.sku`, at);
      const quantity = this.quantity(item.quantity, `${field}.quantity`, at);
      const minor = this.unitPrice(item.unitPrice, `${field}.unitPrice`, at);
      if (sku === undefined || quantity === undefined || minor === undefined) valid = false;
      else lines.push({ sku, quantity, minor });
    }
    return valid ? lines : undefined;
  }

  private quantity(value: unknown, field: string, at: SourcePosition): number | undefined {
    let quantity: number | undefined;
    if (typeof value === "number") quantity = value;
    else if (typeof value === "string") {
      const trimmed = value.trim();
      if (INTEGER.test(trimmed)) quantity = Number(trimmed);
    }
    if (quantity === undefined || !Number.isInteger(quantity) || quantity < 1 || quantity > LIMITS.maxQuantity) {
      this.problems.add(field, `${field} is ${describe(value)}; give a whole number from 1 to ${LIMITS.maxQuantity}`, at);
      return undefined;
    }
    return quantity;
  }

  private unitPrice(value: unknown, field: string, at: SourcePosition): MinorUnits | undefined {
    const text = typeof value === "number" ? decimalTextOfNumber(value) : typeof value === "string" ? value.trim() : undefined;
    const minor = text === undefined ? undefined : parseMinorUnits(text);
    if (minor === undefined) this.problems.add(field, `${field} is ${describe(value)}; give a non-negative amount with at most 2 decimals, such as 12.50`, at);
    return minor;
  }
}
