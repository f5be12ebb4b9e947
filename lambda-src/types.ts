/** Final and intermediate statuses of a file's metadata item. */
export const FILE_STATUS = {
  processing: "PROCESSING",
  succeeded: "SUCCEEDED",
  partial: "PARTIAL",
  failed: "FAILED",
} as const;

/** One of the statuses above. */
export type FileStatus = (typeof FILE_STATUS)[keyof typeof FILE_STATUS];

/** A status after which a file is not processed again for the same sequencer. */
export type FinalStatus = Exclude<FileStatus, "PROCESSING">;

/** Whether `status` ends a file's processing: SUCCEEDED, PARTIAL or FAILED. */
export function isFinalStatus(status: unknown): status is FinalStatus {
  return status === FILE_STATUS.succeeded || status === FILE_STATUS.partial || status === FILE_STATUS.failed;
}

/** Input formats, chosen by the key's extension; `unknown` for anything else. */
export const FORMAT = {
  csv: "csv",
  json: "json",
  ndjson: "ndjson",
  xml: "xml",
  unknown: "unknown",
} as const;

/** One of the formats above. */
export type Format = (typeof FORMAT)[keyof typeof FORMAT];

/** A format the function can parse. */
export type SupportedFormat = Exclude<Format, "unknown">;

/** Where an order came from: the physical line (CSV, NDJSON, XML) or the 0-based array index (JSON). */
export type SourcePosition = { readonly line: number } | { readonly index: number };

/** A line item as the parser found it: values are untrusted. */
export interface RawItem {
  readonly sku?: unknown;
  readonly quantity?: unknown;
  readonly unitPrice?: unknown;
}

/** An order as the parser found it: values are untrusted. */
export interface RawOrder {
  readonly orderId?: unknown;
  readonly customerId?: unknown;
  readonly orderDate?: unknown;
  readonly currency?: unknown;
  readonly items?: unknown;
}

/** A normalized line item, as written to the output. */
export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  /** Exactly two fraction digits, e.g. `"12.50"`. */
  readonly unitPrice: string;
}

/** A normalized order: one line of the output NDJSON, keys in this order. */
export interface NormalizedOrder {
  readonly orderId: string;
  readonly customerId: string;
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  readonly orderDate: string;
  /** Three upper-case letters. */
  readonly currency: string;
  readonly items: readonly OrderItem[];
  /** Exact sum of quantity x unitPrice, two fraction digits. */
  readonly total: string;
  readonly source: { readonly file: string } & SourcePosition;
}

/** Why one order was rejected: where, which field, and what the partner should fix. */
export interface OrderProblem {
  readonly position: SourcePosition;
  readonly orderId?: string;
  /** Field path, e.g. `orderDate` or `items[1].quantity`. */
  readonly field?: string;
  readonly message: string;
}
