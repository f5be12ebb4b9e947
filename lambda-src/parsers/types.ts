import type { OrderProblem, RawOrder, SourcePosition } from "../types";

/** One order found in a file, or one entry that could not even be read as an order. */
export type ParsedEntry =
  | { readonly kind: "order"; readonly order: RawOrder; readonly position: SourcePosition }
  | { readonly kind: "rejected"; readonly problem: OrderProblem };

/**
 * A streaming parser: takes the file's text in chunks and yields its entries in batches, one batch
 * per chunk or so, so memory stays bounded by the chunk size. File-level problems are thrown as
 * `FileRejectedError`s.
 */
export type OrderParser = (text: AsyncIterable<string>) => AsyncGenerator<readonly ParsedEntry[], void, undefined>;
