import { NoValidOrdersError, ProcessingTimeoutError } from "./errors";
import { PARSERS } from "./parsers/by-format";
import type { OrderVisitor } from "./parsers/types";
import { NdjsonWriter } from "./serialize";
import type { OrderTally } from "./tally";
import { decodeText, type ReadProgress } from "./text";
import type { OrderProblem, RawOrder, SourcePosition, SupportedFormat } from "./types";
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
  const processor = new OrderProcessor(props);
  await PARSERS[props.format](decodeText(props.body, props.maxBytes, props.progress), processor);
  await processor.flush();
  if (props.tally.valid === 0) throw new NoValidOrdersError(props.tally.total);
}

/** Validates each order a parser reads, counts it, and writes the valid ones to the sink. */
class OrderProcessor implements OrderVisitor {
  private readonly validator: OrderValidator;
  private readonly writer: NdjsonWriter;
  private readonly started = Date.now();
  /** Where the order being read field by field started. */
  private position: SourcePosition = { line: 0 };

  constructor(private readonly props: ProcessOrdersProps) {
    this.validator = new OrderValidator(props.fileName);
    this.writer = new NdjsonWriter(props.fileName);
  }

  order(raw: RawOrder, position: SourcePosition, itemLines?: readonly number[]): void {
    this.settle(this.validator.check(raw, position, itemLines), position);
  }

  begin(position: SourcePosition, orderId: string | undefined, customerId: string | undefined, orderDate: string | undefined, currency: string | undefined): void {
    this.position = position;
    this.validator.begin(position, orderId, customerId, orderDate, currency);
  }

  item(sku: string | undefined, quantity: string | undefined, unitPrice: string | undefined, line: number): void {
    this.validator.item(sku, quantity, unitPrice, line);
  }

  end(refusal?: OrderProblem): void {
    this.settle(this.validator.finish(refusal), this.position);
  }

  reject(problem: OrderProblem): void {
    this.props.tally.reject([problem]);
  }

  async drain(): Promise<void> {
    if (this.writer.pendingBytes >= FLUSH_BYTES) await this.flush();
    const deadline = this.props.deadline;
    if (deadline !== undefined && Date.now() >= deadline) throw new ProcessingTimeoutError(Date.now() - this.started);
  }

  /** Hands everything written so far to the sink. */
  async flush(): Promise<void> {
    for (const block of this.writer.take()) await this.props.sink.write(block);
  }

  private settle(problems: readonly OrderProblem[] | undefined, position: SourcePosition): void {
    if (problems === undefined) {
      this.props.tally.accept();
      this.writer.write(this.validator, position);
    } else {
      this.props.tally.reject(problems);
    }
  }
}
