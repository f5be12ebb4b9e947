import { isoOf, orderDateMillis } from "./dates";
import { LIMITS } from "./limits";
import { decimalTextOfNumber, formatMinorUnits, lineTotal, MAX_EXACT_NUMBER_DIGITS, type MinorUnits, parseMinorUnits, SAFE_PRICE } from "./money";
import { OrderIdSet } from "./order-id-set";
import { clip } from "./clip";
import { codePoints, trimmed as trim } from "./text";
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
  /** The order date as epoch milliseconds (written as UTC `YYYY-MM-DDTHH:mm:ss.sssZ`). */
  readonly orderDateMs: number;
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

/** Why an order with `count` line items is refused (too few or too many). */
export function itemCountMessage(count: number): string {
  return `the order has ${count} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}`;
}

const DATE_EXAMPLE = "use 2025-07-10 or 2025-07-10T14:30:00Z";

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return `"${clip(value, LIMITS.maxQuotedValueLength)}"`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return Array.isArray(value) ? "a list" : "an object";
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
export function fieldName(field: string, index: number): string {
  return index < 0 ? field : `items[${index}].${field}`;
}

/**
 * Validates and normalizes the orders of one file, in file order, per the contract. Pure: no I/O.
 * It remembers every `orderId` it has seen, so a later order with the same id is rejected.
 *
 * An order is checked whole (`check`, `validate`) or fed in pieces as a parser reads it (`begin`,
 * one `item` per line item, `finish`), which spares the CSV parser building objects per row.
 * Either way the same checks run in the same order and the normalized fields land in reused
 * arrays, so the hot path allocates nothing per valid order.
 */
export class OrderValidator implements CheckedOrder {
  orderId = "";
  customerId = "";
  orderDateMs = 0;
  currency = "";
  itemCount = 0;
  readonly skus: string[] = [];
  readonly quantities: number[] = [];
  readonly prices: MinorUnits[] = [];
  total: MinorUnits = 0;

  private readonly seen = new OrderIdSet();
  private lastCurrency = "";
  private lastCurrencyUpper = "";
  /** Problems of the order being checked; allocated only when it has one. */
  private problems: OrderProblem[] | undefined;
  /** How many of `problems` are the order-level fields' (found by `begin`). */
  private orderLevelProblems = 0;
  private position: SourcePosition = { line: 0 };
  private problemOrderId: string | undefined;
  private itemLine: number | undefined;
  /** The order-level fields of the order being checked, `undefined` where invalid. */
  private pendingOrderId: string | undefined;
  private pendingCustomerId: string | undefined;
  private pendingDate: number | undefined;
  private pendingCurrency: string | undefined;
  /** Items seen so far in the order being checked, valid or not: the next one's index. */
  private itemIndex = 0;
  /** All items so far were valid (and stored). */
  private itemsValid = true;
  /** `total` so far is exact in plain numbers. */
  private exactTotal = true;

  /** @param file the decoded object key, written to each order's `source.file`. */
  constructor(readonly file: string) {}

  /** Validates one order found at `position` (its items on `itemLines`, when known). */
  validate(raw: RawOrder, position: SourcePosition, itemLines?: readonly number[]): ValidationResult {
    const problems = this.check(raw, position, itemLines);
    if (problems !== undefined) return { ok: false, problems };
    const items: OrderItem[] = new Array(this.itemCount);
    for (let i = 0; i < this.itemCount; i++) items[i] = { sku: this.skus[i], quantity: this.quantities[i], unitPrice: formatMinorUnits(this.prices[i]) };
    const source = "line" in position ? { file: this.file, line: position.line } : { file: this.file, index: position.index };
    const { orderId, customerId, currency } = this;
    return { ok: true, order: { orderId, customerId, orderDate: isoOf(this.orderDateMs), currency, items, total: formatMinorUnits(this.total), source } };
  }

  /**
   * Validates one order found at `position`: `undefined` when it is valid (its normalized fields
   * are then on this validator, as a `CheckedOrder`, until the next order), else its problems.
   * An item's problems are reported on its entry of `itemLines`, when the parser knows the lines.
   */
  check(raw: RawOrder, position: SourcePosition, itemLines?: readonly number[]): readonly OrderProblem[] | undefined {
    this.begin(position, raw.orderId, raw.customerId, raw.orderDate, raw.currency);
    const items: unknown = raw.items;
    if (!Array.isArray(items)) {
      this.problem("items", -1, `items is missing or not a list (got ${describe(items)}); give ${LIMITS.minItems} to ${LIMITS.maxItems} items`);
    } else if (items.length < LIMITS.minItems || items.length > LIMITS.maxItems) {
      this.problem("items", -1, itemCountMessage(items.length));
    } else {
      for (let i = 0; i < items.length; i++) {
        const entry: unknown = items[i];
        if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
          const item = entry as RawItem;
          this.item(item.sku, item.quantity, item.unitPrice, itemLines?.[i]);
        } else {
          this.itemLine = undefined;
          this.problem(`items[${i}]`, -1, `items[${i}] is ${describe(entry)}, not an item; give sku, quantity and unitPrice`);
          this.itemIndex++;
          this.itemsValid = false;
        }
      }
    }
    return this.finish();
  }

  /** Starts an order found at `position` with its order-level fields as found. */
  begin(position: SourcePosition, orderId: unknown, customerId: unknown, orderDate: unknown, currency: unknown): void {
    this.problems = undefined;
    this.position = position;
    this.problemOrderId = undefined;
    this.itemLine = undefined;
    this.itemIndex = 0;
    this.itemCount = 0;
    this.itemsValid = true;
    this.exactTotal = true;
    this.total = 0;
    this.pendingOrderId = this.text(orderId, "orderId", -1);
    this.problemOrderId = this.pendingOrderId;
    this.pendingCustomerId = this.text(customerId, "customerId", -1);
    this.pendingDate = this.date(orderDate);
    this.pendingCurrency = this.currencyOf(currency);
    // Read through a method: the checks above add to `problems`, which TypeScript would take as still undefined.
    this.orderLevelProblems = this.problemCount();
  }

  private problemCount(): number {
    return this.problems?.length ?? 0;
  }

  /**
   * Checks the next line item of the order `begin` started; `line` is the item's own line when
   * the parser knows it. Items beyond `LIMITS.maxItems` are only counted: the caller rejects the
   * order for its size.
   */
  item(sku: unknown, quantity: unknown, unitPrice: unknown, line: number | undefined): void {
    const index = this.itemIndex++;
    if (index >= LIMITS.maxItems) return;
    this.itemLine = line;
    const text = this.text(sku, "sku", index);
    const count = this.quantity(quantity, index);
    const price = this.unitPrice(unitPrice, index);
    this.itemLine = undefined;
    if (text === undefined || count === undefined || price === undefined) this.itemsValid = false;
    if (!this.itemsValid || text === undefined || count === undefined || price === undefined) return;
    const at = this.itemCount++;
    this.skus[at] = text;
    this.quantities[at] = count;
    this.prices[at] = price;
    // <= 1000 lines x 1e6 x 9e6 stays below 2^53: plain integer arithmetic is exact.
    if (this.exactTotal && typeof price === "number" && price <= SAFE_PRICE) this.total = (this.total as number) + count * price;
    else this.exactTotal = false;
  }

  /**
   * Ends the order `begin` started: records its id (a later order with the same id is a
   * duplicate) and returns `undefined` when it is valid, else its problems. With `refusal`, the
   * parser refused the order as a whole (its rows disagree, it has too many items): its problems
   * are its order-level fields' (but the refused field's, and none when the refusal names no
   * field), the refusal and a duplicate id, as when `check` finds too many items; its items go
   * unreported, and its id still counts as seen.
   */
  finish(refusal?: OrderProblem): readonly OrderProblem[] | undefined {
    const orderId = this.pendingOrderId;
    if (refusal !== undefined) {
      // A refusal without a field is about the whole row (its quoting): the fields it read are no evidence.
      const orderLevel = refusal.field === undefined ? [] : (this.problems ?? []).slice(0, this.orderLevelProblems).filter((problem) => problem.field !== refusal.field);
      this.problems = [...orderLevel, refusal];
    }
    if (orderId !== undefined && !this.seen.add(orderId)) {
      this.problem("orderId", -1, `orderId "${orderId}" already appeared earlier in the file; give every order its own orderId`);
    }
    if (refusal !== undefined) return this.problems;
    const { pendingCustomerId, pendingDate, pendingCurrency } = this;
    if (this.problems !== undefined || orderId === undefined || pendingCustomerId === undefined || pendingDate === undefined || pendingCurrency === undefined || !this.itemsValid) {
      return this.problems ?? [];
    }
    if (!this.exactTotal) this.total = lineTotal(this.linesOf(this.itemCount));
    this.orderId = orderId;
    this.customerId = pendingCustomerId;
    this.orderDateMs = pendingDate;
    this.currency = pendingCurrency;
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
    const trimmed = trim(value);
    if (trimmed.length === 0) {
      this.problem(field, index, `${fieldName(field, index)} is empty; give a value`);
      return undefined;
    }
    if (trimmed.length > LIMITS.maxIdLength && codePoints(trimmed) > LIMITS.maxIdLength) {
      this.problem(field, index, `${fieldName(field, index)} has ${codePoints(trimmed)} characters; use at most ${LIMITS.maxIdLength}`);
      return undefined;
    }
    return trimmed;
  }

  private date(value: unknown): number | undefined {
    const text = typeof value === "string" ? trim(value) : "";
    if (text.length === 0) {
      this.problem("orderDate", -1, `orderDate is missing (got ${describe(value)}); ${DATE_EXAMPLE}`);
      return undefined;
    }
    const ms = orderDateMillis(text);
    if (typeof ms === "number") return ms;
    if (ms === "format") this.problem("orderDate", -1, `orderDate ${describe(value)} is not an ISO 8601 date; ${DATE_EXAMPLE}`);
    else if (ms === "zone") this.problem("orderDate", -1, `orderDate ${describe(value)} has a time but no zone; add Z or an offset such as +02:00`);
    else this.problem("orderDate", -1, `orderDate ${describe(value)} is not a real date or time; check the day, month, hour and offset`);
    return undefined;
  }

  private currencyOf(value: unknown): string | undefined {
    const trimmed = typeof value === "string" ? trim(value) : undefined;
    if (trimmed === this.lastCurrency && trimmed !== "") return this.lastCurrencyUpper;
    if (trimmed === undefined || !isCurrencyCode(trimmed)) {
      this.problem("currency", -1, `currency ${describe(value)} is not a three-letter code; use an ISO 4217 code such as USD`);
      return undefined;
    }
    this.lastCurrency = trimmed;
    this.lastCurrencyUpper = trimmed.toUpperCase();
    return this.lastCurrencyUpper;
  }

  private linesOf(count: number): { quantity: number; minor: MinorUnits }[] {
    const lines: { quantity: number; minor: MinorUnits }[] = [];
    for (let i = 0; i < count; i++) lines.push({ quantity: this.quantities[i], minor: this.prices[i] });
    return lines;
  }

  private quantity(value: unknown, index: number): number | undefined {
    let quantity: number | undefined;
    if (typeof value === "number") quantity = value;
    else if (typeof value === "string") quantity = quantityOfDigits(trim(value));
    if (quantity === undefined || !Number.isInteger(quantity) || quantity < 1 || quantity > LIMITS.maxQuantity) {
      this.problem("quantity", index, `${fieldName("quantity", index)} is ${describe(value)}; give a whole number from 1 to ${LIMITS.maxQuantity}`);
      return undefined;
    }
    return quantity;
  }

  private unitPrice(value: unknown, index: number): MinorUnits | undefined {
    const text = typeof value === "number" ? decimalTextOfNumber(value) : typeof value === "string" ? trim(value) : undefined;
    if (text === "inexact") {
      const name = fieldName("unitPrice", index);
      // The number is already rounded: quote what it became, not as if the partner had written it.
      this.problem("unitPrice", index, `${name} is a number of more significant digits than a JSON number holds exactly (${MAX_EXACT_NUMBER_DIGITS}; it reads as ${String(value)}); give it as a string, such as "12345678901234567.89"`);
      return undefined;
    }
    const minor = text === undefined ? undefined : parseMinorUnits(text);
    if (minor === undefined) this.problem("unitPrice", index, `${fieldName("unitPrice", index)} is ${describe(value)}; give a non-negative amount with at most 2 decimals, such as 12.50`);
    return minor;
  }
}
