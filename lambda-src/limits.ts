/** Limits from the contract (`contracts.md`) and the item-size budget; one place so tests and docs agree. */
export const LIMITS = {
  /** Longest `orderId`, `customerId` or `sku`, in characters. */
  maxIdLength: 64,
  /** Fewest and most line items per order. */
  minItems: 1,
  maxItems: 1000,
  /**
   * Longest CSV row, in characters of the file, line end excluded. A longer one is almost always
   * a quoted field that never closes, or line ends other than the first line's, either of which
   * would otherwise hold the rest of the file in memory as one row.
   */
  maxCsvRowChars: 1 << 20,
  /** Longest NDJSON line, in characters, line end excluded: a longer line rejects its order unread. */
  maxNdjsonLineChars: 1 << 20,
  /** Largest `quantity`. */
  maxQuantity: 1_000_000,
  /** Errors kept in the metadata item; the rest only set `ErrorsTruncated`. */
  maxErrorsKept: 50,
  /** Outcomes kept in `History`. */
  maxHistory: 20,
  /** Longest error message or failure reason kept, so 50 errors stay far below DynamoDB's 400 KB item limit. */
  maxMessageLength: 300,
  /** Time kept back from the function's timeout to abort the upload, record FAILED and publish. */
  timeoutReserveMs: 10_000,
} as const;
