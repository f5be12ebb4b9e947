import { NoValidOrdersError, ProcessingTimeoutError } from "./errors";
import { LIMITS } from "./limits";
import { PARSERS } from "./parsers/by-format";
import { NdjsonWriter } from "./serialize";
import type { OrderTally } from "./tally";
import { decodeText, type ReadProgress } from "./text";
import type { SupportedFormat } from "./types";
import { OrderValidator } from "./validation";

/** Receives the output NDJSON as UTF-8 in pieces of whole lines; a returned promise is awaited (backpressure). */
export interface OrderSink {
  write(ndjson: Uint8Array): Promise<void> | void;
}

/** One file to turn into normalized orders. */
export interface ProcessOrdersProps {
  /** The file's bytes as they arrive. */
  readonly body: AsyncIterable<Uint8Array>;
  readonly format: SupportedFormat;
  /** The decoded object key, written to every order's `source.file`. */
  readonly fileName: string;
  /** More bytes than this fail the file. */
  readonly maxBytes: number;
  /** Where valid orders go. */
  readonly sink: OrderSink;
  /** Counts and problems; kept by the caller so they survive a thrown file-level error. */
  readonly tally: OrderTally;
  /** Bytes read so far; kept by the caller for the same reason. */
  readonly progress?: ReadProgress;
  /**
   * Epoch milliseconds after which processing stops with `ProcessingTimeoutError`.
   * @default - no deadline
   */
  readonly deadline?: number;
}

/** Output bytes gathered before they go to the sink. */
const FLUSH_BYTES = 1 << 18;

/**
 * The pure heart of the function: bytes -> text -> streaming parser -> validation and
 * normalization -> NDJSON lines to the sink, awaiting the sink so memory stays bounded. Throws a
 * `FileRejectedError` for a file-level problem, including a file with no valid order.
 */
export async function processOrders(props: ProcessOrdersProps): Promise<void> {
  const { tally, sink } = props;
  const validator = new OrderValidator(props.fileName);
  const writer = new NdjsonWriter(props.fileName);
  const text = decodeText(props.body, props.maxBytes, props.progress);
  const started = Date.now();
  let sinceCheck = 0;
  for await (const batch of PARSERS[props.format](text)) {
    for (const entry of batch) {
      if (entry.kind === "rejected") {
        tally.reject([entry.problem]);
        continue;
      }
      const problems = validator.check(entry.order, entry.position);
      if (problems === undefined) {
        tally.accept();
        writer.write(validator, entry.position);
      } else {
        tally.reject(problems);
      }
    }
    if (writer.pendingBytes >= FLUSH_BYTES) for (const block of writer.take()) await sink.write(block);
    sinceCheck += batch.length;
    if (props.deadline !== undefined && sinceCheck >= LIMITS.deadlineCheckEvery) {
      sinceCheck = 0;
      if (Date.now() >= props.deadline) throw new ProcessingTimeoutError(Date.now() - started);
    }
  }
  for (const block of writer.take()) await sink.write(block);
  if (tally.valid === 0) throw new NoValidOrdersError(tally.total);
}
