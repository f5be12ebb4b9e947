import type { OrderProblem, RawOrder, SourcePosition } from "../types";

/**
 * Where a parser puts what it reads, in file order: in the function, the validator and the output
 * writer (`OrderProcessor` in pipeline.ts). Orders go in as they are read, so no parser keeps more
 * than the order it is reading.
 */
export interface OrderVisitor {
  /**
   * A whole order, read as an object (JSON, NDJSON, XML); `itemLines` holds each item's own line
   * when the parser knows it (XML). Never taken from the object itself: it holds the partner's fields.
   */
  order(raw: RawOrder, position: SourcePosition, itemLines?: readonly number[]): void;
  /**
   * Starts an order read field by field (CSV, or an XML order refused as a whole: too many items,
   * a field too long, a field given as an attribute), so no object is built per row: `begin`, one
   * `item` per line item, then `end`.
   */
  begin(position: SourcePosition, orderId: string | undefined, customerId: string | undefined, orderDate: string | undefined, currency: string | undefined): void;
  /** A line item of the order `begin` started, found on `line`. */
  item(sku: string | undefined, quantity: string | undefined, unitPrice: string | undefined, line: number): void;
  /**
   * Ends the order `begin` started; with a refusal, the order is refused for it whatever its
   * fields hold, but its id still counts as seen.
   */
  end(refusal?: OrderProblem): void;
  /** An entry that is not an order at all: no id to record. */
  reject(problem: OrderProblem): void;
  /**
   * Resolves when the output can take more; parsers await it after each chunk of text, which
   * keeps memory bounded. It throws when processing must stop (the deadline passed).
   */
  drain(): Promise<void>;
}

/**
 * A streaming parser: reads the file's text chunk by chunk, hands each order to the visitor as
 * soon as it is complete, and awaits `visitor.drain()` after each chunk. File-level problems are
 * thrown as `FileRejectedError`s.
 */
export type OrderParser = (text: AsyncIterable<string>, visitor: OrderVisitor) => Promise<void>;
