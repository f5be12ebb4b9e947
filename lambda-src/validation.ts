import { normalizeOrderDate } from "./dates";
import { LIMITS } from "./limits";
import { decimalTextOfNumber, formatMinorUnits, lineTotal, type MinorUnits, parseMinorUnits, SAFE_PRICE } from "./money";
import { OrderIdSet } from "./order-id-set";
import type { NormalizedOrder, OrderItem, OrderProblem, RawItem, RawOrder, SourcePosition } from "./types";

/** The outcome of validating one order: the normalized order, or every problem found in it. */
export type ValidationResult = { readonly ok: true; readonly order: NormalizedOrder } | { readonly ok: false; readonly problems: readonly OrderProblem[] };

/**
 * The normalized fields of the order `OrderValidator.check` accepted last, kept in reused arrays
 * so the hot path allocates no per-order objects. Overwritten by the next `check`.
 */
export interface CheckedOrder {
  readonly orderId: string;
  readonly customerId: string;
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  readonly orderDate: string;
  /** Three upper-case letters. */
  readonly currency: string;
  /** Number of items; the arrays below may be longer (reused), only the first `itemCount` count. */
  readonly itemCount: number;
  readonly skus: readonly string[];
  readonly quantities: readonly number[];
  /** Unit prices in minor units. */
  readonly prices: readonly MinorUnits[];
  /** Exact sum of quantity x unit price, in minor units. */
  readonly total: MinorUnits;
}

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

/** Three ASCII letters, either case. */
function isCurrencyCode(text: string): boolean {
  if (text.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const code = text.charCodeAt(i) | 0x20;
    if (code < 97 || code > 122) return false;
  }
  return true;
}

/** A whole number from 1 to `LIMITS.maxQuantity` written as ASCII digits (leading zeros allowed), else `undefined`. */
function quantityOfDigits(text: string): number | undefined {
  if (text.length === 0) return undefined;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (value <= LIMITS.maxQuantity) value = value * 10 + digit;
  }
  return value;
}

/** `items[2].sku` for item field `sku` of item 2, or the order-level field itself for index -1. */
function fieldName(field: string, index: number): string {
  return index < 0 ? field : `items[${index}].${field}`;
}

/**
 * Validates and normalizes the orders of one file, in file order, per the contract. Pure: no I/O.
 * It remembers every `orderId` it has seen, so a later order with the same id is rejected.
 */
export class OrderValidator implements CheckedOrder {
  orderId = "";
  customerId = "";
  orderDate = "";
  currency = "";
  itemCount = 0;
  readonly skus: string[] = [];
  readonly quantities: number[] = [];
  readonly prices: MinorUnits[] = [];
  total: MinorUnits = 0;

  private readonly seen = new OrderIdSet();
  private readonly dates = new Map<string, ReturnType<typeof normalizeOrderDate>>();
  private lastCurrency = "";
  private lastCurrencyUpper = "";
  /** Problems of the order being checked; allocated only when it has one. */
  private problems: OrderProblem[] | undefined;
  private position: SourcePosition = { line: 0 };
  private problemOrderId: string | undefined;
  private itemLine: number | undefined;

  /** @param file the decoded object key, written to each order's `source.file`. */
  constructor(readonly file: string) {}

  /** Validates one order found at `position`. */
  validate(raw: RawOrder, position: SourcePosition): ValidationResult {
    const problems = this.check(raw, position);
    if (problems !== undefined) return { ok: false, problems };
    const items: OrderItem[] = new Array(this.itemCount);
    for (let i = 0; i < this.itemCount; i++) items[i] = { sku: this.skus[i], quantity: this.quantities[i], unitPrice: formatMinorUnits(this.prices[i]) };
    const source = "line" in position ? { file: this.file, line: position.line } : { file: this.file, index: position.index };
    const { orderId, customerId, orderDate, currency } = this;
    return { ok: true, order: { orderId, customerId, orderDate, currency, items, total: formatMinorUnits(this.total), source } };
  }

  /**
   * Validates one order found at `position`: `undefined` when it is valid (its normalized fields
   * are then on this validator, as a `CheckedOrder`, until the next call), else its problems.
   */
  check(raw: RawOrder, position: SourcePosition): readonly OrderProblem[] | undefined {
    this.problems = undefined;
    this.position = position;
    this.problemOrderId = undefined;
    this.itemLine = undefined;
    const orderId = this.text(raw.orderId, "orderId", -1);
    this.problemOrderId = orderId;
    const customerId = this.text(raw.customerId, "customerId", -1);
    const orderDate = this.date(raw.orderDate);
    const currency = this.currencyOf(raw.currency);
    const itemsValid = this.items(raw.items);
    if (orderId !== undefined && !this.seen.add(orderId)) {
      this.problem("orderId", -1, `orderId "${orderId}" already appeared earlier in the file; give every order its own orderId`);
    }
    if (this.problems !== undefined || orderId === undefined || customerId === undefined || orderDate === undefined || currency === undefined || !itemsValid) {
      return this.problems ?? [];
    }
    this.orderId = orderId;
    this.customerId = customerId;
    this.orderDate = orderDate;
    this.currency = currency;
    return undefined;
  }

  /** Records a problem; item fields are reported on the item's own line when the parser knows it. */
  private problem(field: string, index: number, message: string): void {
    const at = index >= 0 && this.itemLine !== undefined ? { line: this.itemLine } : this.position;
    (this.problems ??= []).push({ position: at, ...(this.problemOrderId !== undefined ? { orderId: this.problemOrderId } : {}), field: fieldName(field, index), message });
  }

  private text(value: unknown, field: string, index: number): string | undefined {
    if (typeof value !== "string") {
      const name = fieldName(field, index);
      this.problem(field, index, `${name} is missing or not text (got ${describe(value)}); give a text value`);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed.length === 0) {
      this.problem(field, index, `${fieldName(field, index)} is empty; give a value`);
      return undefined;
    }
    if (trimmed.length > LIMITS.maxIdLength && characters(trimmed) > LIMITS.maxIdLength) {
      this.problem(field, index, `${fieldName(field, index)} has ${characters(trimmed)} characters; use at most ${LIMITS.maxIdLength}`);
      return undefined;
    }
    return trimmed;
  }

  private date(value: unknown): string | undefined {
    const text = typeof value === "string" ? value.trim() : "";
    if (text.length === 0) {
      this.problem("orderDate", -1, `orderDate is missing (got ${describe(value)}); ${DATE_EXAMPLE}`);
      return undefined;
    }
    let normalized = this.dates.get(text);
    if (normalized === undefined) {
      normalized = normalizeOrderDate(text);
      if (this.dates.size >= DATE_CACHE_SIZE) this.dates.clear();
      this.dates.set(text, normalized);
    }
    if (normalized === "format") this.problem("orderDate", -1, `orderDate ${describe(value)} is not an ISO 8601 date; ${DATE_EXAMPLE}`);
    else if (normalized === "zone") this.problem("orderDate", -1, `orderDate ${describe(value)} has a time but no zone; add Z or an offset such as +02:00`);
    else if (normalized === "range") this.problem("orderDate", -1, `orderDate ${describe(value)} is not a real date or time; check the day, month, hour and offset`);
    else return normalized;
    return undefined;
  }

  private currencyOf(value: unknown): string | undefined {
    const trimmed = typeof value === "string" ? value.trim() : undefined;
    if (trimmed === this.lastCurrency && trimmed !== "") return this.lastCurrencyUpper;
    if (trimmed === undefined || !isCurrencyCode(trimmed)) {
      this.problem("currency", -1, `currency ${describe(value)} is not a three-letter code; use an ISO 4217 code such as USD`);
      return undefined;
    }
    this.lastCurrency = trimmed;
    this.lastCurrencyUpper = trimmed.toUpperCase();
    return this.lastCurrencyUpper;
  }

  /** Checks the items into `skus`, `quantities`, `prices`, `itemCount` and `total`; false when any is invalid. */
  private items(value: unknown): boolean {
    if (!Array.isArray(value)) {
      this.problem("items", -1, `items is missing or not a list (got ${describe(value)}); give ${LIMITS.minItems} to ${LIMITS.maxItems} items`);
      return false;
    }
    if (value.length < LIMITS.minItems || value.length > LIMITS.maxItems) {
      this.problem("items", -1, `the order has ${value.length} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}`);
      return false;
    }
    let valid = true;
    let count = 0;
    let total = 0;
    let exact = value.length <= 1000;
    for (let i = 0; i < value.length; i++) {
      const entry: unknown = value[i];
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        this.itemLine = undefined;
        this.problems ??= [];
        this.problems.push({ position: this.position, ...(this.problemOrderId !== undefined ? { orderId: this.problemOrderId } : {}), field: `items[${i}]`, message: `items[${i}] is ${describe(entry)}, not an item; give sku, quantity and unitPrice` });
        valid = false;
        continue;
      }
      const item = entry as RawItem;
      this.itemLine = typeof item.line === "number" ? item.line : undefined;
      const sku = this.text(item.sku, "sku", i);
      const quantity = this.quantity(item.quantity, i);
      const price = this.unitPrice(item.unitPrice, i);
      if (sku === undefined || quantity === undefined || price === undefined) {
        valid = false;
        continue;
      }
      if (!valid) continue;
      this.skus[count] = sku;
      this.quantities[count] = quantity;
      this.prices[count] = price;
      count++;
      // <= 1000 lines x 1e6 x 9e6 stays below 2^53: plain integer arithmetic is exact.
      if (exact && typeof price === "number" && price <= SAFE_PRICE) total += quantity * price;
      else exact = false;
    }
    this.itemLine = undefined;
    if (!valid) return false;
    this.itemCount = count;
    this.total = exact ? total : lineTotal(this.linesOf(count));
    return true;
  }

  private linesOf(count: number): { quantity: number; minor: MinorUnits }[] {
    const lines: { quantity: number; minor: MinorUnits }[] = [];
    for (let i = 0; i < count; i++) lines.push({ quantity: this.quantities[i], minor: this.prices[i] });
    return lines;
  }

  private quantity(value: unknown, index: number): number | undefined {
    let quantity: number | undefined;
    if (typeof value === "number") quantity = value;
    else if (typeof value === "string") quantity = quantityOfDigits(value.trim());
    if (quantity === undefined || !Number.isInteger(quantity) || quantity < 1 || quantity > LIMITS.maxQuantity) {
      this.problem("quantity", index, `${fieldName("quantity", index)} is ${describe(value)}; give a whole number from 1 to ${LIMITS.maxQuantity}`);
      return undefined;
    }
    return quantity;
  }

  private unitPrice(value: unknown, index: number): MinorUnits | undefined {
    const text = typeof value === "number" ? decimalTextOfNumber(value) : typeof value === "string" ? value.trim() : undefined;
    const minor = text === undefined ? undefined : parseMinorUnits(text);
    if (minor === undefined) this.problem("unitPrice", index, `${fieldName("unitPrice", index)} is ${describe(value)}; give a non-negative amount with at most 2 decimals, such as 12.50`);
    return minor;
  }
}
