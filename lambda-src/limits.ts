/** Limits of the partner contract (README, "Order files") and the item-size budget; one place so tests and docs agree. */
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
  /**
   * Longest element of a JSON orders array, in UTF-8 bytes, and longest string or number beside
   * the array. The parser holds each until it is complete, so a longer one fails the file instead
   * of taking memory without bound.
   */
  maxJsonElementBytes: 1 << 20,
  /**
   * Longest piece of XML the parser holds whole, in characters: a text node, a tag with its
   * attributes, a comment, a CDATA section or a processing instruction.
   */
  maxXmlNodeChars: 1 << 20,
  /**
   * Longest text of one XML field element (`<orderId>`, `<sku>`, ...), in characters, before
   * trimming. A longer one refuses its order unread, so an order's drafts stay small whatever its
   * 1000 items hold.
   */
  maxXmlFieldChars: 4096,
  /** Deepest nesting of JSON arrays and objects, or of XML elements: orders need at most 5. */
  maxNesting: 64,
  /** Largest `quantity`. */
  maxQuantity: 1_000_000,
  /** Errors kept in the metadata item; the rest only set `ErrorsTruncated`. */
  maxErrorsKept: 50,
  /** Outcomes kept in `History`. */
  maxHistory: 20,
  /** Longest error message kept, so 50 errors stay far below DynamoDB's 400 KB item limit. */
  maxMessageLength: 300,
  /** Longest `FailureReason` kept; reasons name what they quote clipped, so the fix they ask for stays in. */
  maxFailureReasonLength: 1000,
  /** Longest file value a message quotes, so the fix after it stays within the kept message. */
  maxQuotedValueLength: 43,
  /** Longest object key a reason quotes, in characters (S3 keys reach 1,024 bytes). */
  maxQuotedKeyLength: 200,
  /** Time kept back from the function's timeout to abort the upload, record FAILED and publish. */
  timeoutReserveMs: 10_000,
  /**
   * Longest wait for S3 to drop an abandoned upload's parts. Then the upload is aborted: its
   * parts are left to the bucket's lifecycle rule (see `OrderOutput.abandon`).
   */
  abandonWaitMs: 2_000,
  /**
   * Share of an invocation's time that earlier records of the event may have used before a
   * record's timeout counts as the file's own (FAILED) rather than the event's (retried).
   */
  sharedTimeShare: 0.1,
} as const;
