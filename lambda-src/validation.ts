import { normalizeOrderDate } from "./dates";
import { LIMITS } from "./limits";
import { decimalTextOfNumber, formatMinorUnits, parseMinorUnits } from "./money";
import { OrderIdSet } from "./order-id-set";
import type { NormalizedOrder, OrderItem, OrderProblem, RawItem, RawOrder, SourcePosition } from "./types";

/** The outcome of validating one order: the normalized order, or every problem found in it. */
export type ValidationResult = { readonly ok: true; readonly order: NormalizedOrder } | { readonly ok: false; readonly problems: readonly OrderProblem[] };

const CURRENCY = /^[A-Za-z]{3}$/;
const INTEGER = /^\d+$/;

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return Array.isArray(value) ? "an array" : "an object";
}

function characters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) count++;
  }
  return count;
}

/**
 * Validates and normalizes the orders of one file, in file order. Pure: no I/O. It remembers every
 * `orderId` it has seen, so a later order with the same id is rejected as a duplicate.
 */
export class OrderValidator {
  private readonly seen = new OrderIdSet();

  /** @param file the decoded object key, written to each order's `source.file`. */
  constructor(private readonly file: string) {}

  /** Validates one order found at `position`. */
  validate(raw: RawOrder, position: SourcePosition): ValidationResult {
    const problems: OrderProblem[] = [];
    const problem = (field: string | undefined, message: string, orderId?: string, at: SourcePosition = position): void => {
      problems.push({ position: at, ...(orderId !== undefined ? { orderId } : {}), ...(field !== undefined ? { field } : {}), message });
    };
    const orderId = this.text(raw.orderId, "orderId", problem);
    const id = orderId ?? undefined;
    const customerId = this.text(raw.customerId, "customerId", problem, id);
    const orderDate = this.date(raw.orderDate, problem, id);
    const currency = this.currency(raw.currency, problem, id);
    const items = this.items(raw.items, position, problem, id);
    if (orderId !== undefined && !this.seen.add(orderId)) {
      problem("orderId", `orderId "${orderId}" already appeared earlier in the file; give every order its own orderId`, orderId);
    }
    if (problems.length > 0 || orderId === undefined || customerId === undefined || orderDate === undefined || currency === undefined || items === undefined) {
      return { ok: false, problems };
    }
    let total = 0n;
    const normalized: OrderItem[] = [];
    for (const item of items) {
      total += BigInt(item.quantity) * item.minor;
      normalized.push({ sku: item.sku, quantity: item.quantity, unitPrice: formatMinorUnits(item.minor) });
    }
    return {
      ok: true,
      order: { orderId, customerId, orderDate, currency, items: normalized, total: formatMinorUnits(total), source: { file: this.file, ...position } },
    };
  }

  private text(value: unknown, field: string, problem: (f: string, m: string, id?: string, at?: SourcePosition) => void, orderId?: string, at?: SourcePosition): string | undefined {
    if (typeof value !== "string") {
      problem(field, `${field} is missing or not text (got ${describe(value)}); give a text value`, orderId, at);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed.length === 0) {
      problem(field, `${field} is empty; give a value`, orderId, at);
      return undefined;
    }
    if (trimmed.length > LIMITS.maxIdLength && characters(trimmed) > LIMITS.maxIdLength) {
      problem(field, `${field} has ${characters(trimmed)} characters; use at most ${LIMITS.maxIdLength}`, orderId, at);
      return undefined;
    }
    return trimmed;
  }

  private date(value: unknown, problem: (f: string, m: string, id?: string) => void, orderId?: string): string | undefined {
    if (typeof value !== "string" || value.trim().length === 0) {
      problem("orderDate", `orderDate is missing (got ${describe(value)}); give an ISO 8601 date such as 2025-07-10 or 2025-07-10T14:30:00Z`, orderId);
      return undefined;
    }
    const normalized = normalizeOrderDate(value.trim());
    if (normalized === "format") {
      problem("orderDate", `orderDate ${describe(value)} is not an ISO 8601 date; use 2025-07-10 or 2025-07-10T14:30:00Z`, orderId);
    } else if (normalized === "zone") {
      problem("orderDate", `orderDate ${describe(value)} has a time but no zone; add Z or an offset such as +02:00`, orderId);
    } else if (normalized === "range") {
      problem("orderDate", `orderDate ${describe(value)} is not a real date or time; check the day, month, hour and offset`, orderId);
    } else {
      return normalized;
    }
    return undefined;
  }

  private currency(value: unknown, problem: (f: string, m: string, id?: string) => void, orderId?: string): string | undefined {
    const trimmed = typeof value === "string" ? value.trim() : undefined;
    if (trimmed === undefined || !CURRENCY.test(trimmed)) {
      problem("currency", `currency ${describe(value)} is not a three-letter code; use an ISO 4217 code such as USD`, orderId);
      return undefined;
    }
    return trimmed.toUpperCase();
  }

  private items(
    value: unknown,
    position: SourcePosition,
    problem: (f: string, m: string, id?: string, at?: SourcePosition) => void,
    orderId?: string,
  ): { sku: string; quantity: number; minor: bigint }[] | undefined {
    if (!Array.isArray(value)) {
      problem("items", `items is missing or not a list (got ${describe(value)}); give 1 to ${LIMITS.maxItems} items`, orderId);
      return undefined;
    }
    if (value.length < LIMITS.minItems || value.length > LIMITS.maxItems) {
      problem("items", `the order has ${value.length} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}`, orderId);
      return undefined;
    }
    const items: { sku: string; quantity: number; minor: bigint }[] = [];
    let valid = true;
    value.forEach((entry: unknown, i) => {
      const field = `items[${i}]`;
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        problem(field, `${field} is ${describe(entry)}, not an item; give sku, quantity and unitPrice`, orderId);
        valid = false;
        return;
      }
      const item = entry as RawItem;
      const at = typeof item.line === "number" ? { line: item.line } : position;
      const sku = this.text(item.sku, `${field}.sku`, problem, orderId, at);
      const quantity = this.quantity(item.quantity, `${field}.quantity`, problem, orderId, at);
      const minor = this.unitPrice(item.unitPrice, `${field}.unitPrice`, problem, orderId, at);
      if (sku === undefined || quantity === undefined || minor === undefined) valid = false;
      else items.push({ sku, quantity, minor });
    });
    return valid ? items : undefined;
  }

  private quantity(value: unknown, field: string, problem: (f: string, m: string, id?: string, at?: SourcePosition) => void, orderId: string | undefined, at: SourcePosition): number | undefined {
    let quantity: number | undefined;
    if (typeof value === "number") quantity = value;
    else if (typeof value === "string" && INTEGER.test(value.trim())) quantity = Number(value.trim());
    if (quantity === undefined || !Number.isInteger(quantity) || quantity < 1 || quantity > LIMITS.maxQuantity) {
      problem(field, `${field} is ${describe(value)}; give a whole number from 1 to ${LIMITS.maxQuantity}`, orderId, at);
      return undefined;
    }
    return quantity;
  }

  private unitPrice(value: unknown, field: string, problem: (f: string, m: string, id?: string, at?: SourcePosition) => void, orderId: string | undefined, at: SourcePosition): bigint | undefined {
    const text = typeof value === "number" ? decimalTextOfNumber(value) : typeof value === "string" ? value.trim() : undefined;
    const minor = text === undefined ? undefined : parseMinorUnits(text);
    if (minor === undefined) {
      problem(field, `${field} is ${describe(value)}; give a non-negative amount with at most 2 decimals, such as 12.50`, orderId, at);
    }
    return minor;
  }
}
