/**
 * The measured side of `bench/handler.ts` and `bench/instructions.ts`: one run over a file,
 * printed as JSON, of the bare parser, the full path, or (for `bench/instructions.ts`) a stage in
 * between. `bench/child.ts` bundles this file with the code
 * under test (as the function is bundled) and runs the bundle in a fresh node, so the process
 * whose peak RSS is reported holds nothing else: no tsx, no esbuild.
 *
 *   node child.js <bare|read|checked|full|memory> <format> <file>
 */
import { JSONParser } from "@streamparser/json";
import { once } from "node:events";
import { createReadStream, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { SaxesParser } from "saxes";
import type { GeneratedFormat } from "../__tests__/helpers/lambda-orders";
import { CsvRowReader } from "../lambda-src/parsers/csv";
import { PARSERS } from "../lambda-src/parsers/by-format";
import type { OrderVisitor } from "../lambda-src/parsers/types";
import { processOrders } from "../lambda-src/pipeline";
import { OrderTally } from "../lambda-src/tally";
import { decodeText } from "../lambda-src/text";
import type { OrderProblem, RawOrder, SourcePosition } from "../lambda-src/types";
import { OrderValidator } from "../lambda-src/validation";

export interface Measurement {
  readonly seconds: number;
  readonly orders: number;
  readonly bytes: number;
  readonly maxRssMiB: number;
}

/** Pieces the file is read in, about what a body stream from S3 delivers. */
const PIECE_BYTES = 64 * 1024;
/** No generated file comes near it: the size limit never fails a run. */
const MAX_BYTES = 8 * 1024 ** 3;

/** The file's bytes as the function gets a body: a stream of pieces. */
function fileBody(file: string): AsyncIterable<Uint8Array> {
  return createReadStream(file, { highWaterMark: PIECE_BYTES });
}

/** The parser alone, delivering what orders are read from: whole rows, values, lines or element text. */
async function bare(format: GeneratedFormat, file: string): Promise<number> {
  const text = () => createReadStream(file, { encoding: "utf8", highWaterMark: PIECE_BYTES });
  let count = 0;
  if (format === "csv") {
    const reader = new CsvRowReader();
    for await (const chunk of text()) count += reader.rows(chunk as string).rows.length;
    return count + reader.end().rows.length; // rows, not orders: orders/s uses the file's order count
  }
  if (format === "ndjson") {
    for await (const line of createInterface({ input: text(), crlfDelay: Infinity })) if (line.length > 0 && JSON.parse(line)) count++;
    return count;
  }
  if (format === "json") {
    const parser = new JSONParser({ paths: ["$.*"], keepStack: false });
    parser.onValue = () => void count++;
    for await (const chunk of text()) parser.write(chunk as string);
    return count;
  }
  // Handlers for text and close tags too: saxes slices element text only for a text handler, and
  // reading orders needs the text, as bare CSV needs whole rows and bare JSON whole values.
  const parser = new SaxesParser({ position: true });
  let textChars = 0;
  parser.on("opentag", (tag) => {
    if (tag.name === "order") count++;
  });
  parser.on("text", (text) => void (textChars += text.length));
  parser.on("closetag", () => undefined);
  for await (const chunk of text()) parser.write(chunk as string);
  parser.close();
  if (textChars === 0) throw new Error("the XML file held no element text");
  return count;
}

/** The file in 64 KiB pieces, read before the clock starts: a body that is always ready, as S3 in the same region nearly is. */
function inMemory(file: string): AsyncIterable<Uint8Array> {
  const bytes = readFileSync(file);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) pieces.push(bytes.subarray(at, at + PIECE_BYTES));
  return (async function* () {
    yield* pieces;
  })();
}

async function full(format: GeneratedFormat, file: string, body: AsyncIterable<Uint8Array>): Promise<number> {
  const tally = new OrderTally();
  const devNull = new Writable({ write: (_chunk, _encoding, done) => done() });
  await processOrders({
    body,
    format,
    fileName: `incoming/${path.basename(file)}`,
    maxBytes: MAX_BYTES,
    tally,
    sink: { write: async (ndjson) => void (devNull.write(ndjson) || (await once(devNull, "drain"))) },
  });
  if (tally.rejected > 0) throw new Error(`${tally.rejected} generated orders were rejected: ${JSON.stringify(tally.errors.slice(0, 3))}`);
  return tally.valid;
}

/**
 * The stages between the bare parser and the full path: the format's order reader (`read`: the
 * parser and its bookkeeping, handing orders to a visitor that only counts them), then that with
 * validation, normalization and the duplicate-id check (`checked`). What the full path adds to
 * `checked` is the output: the NDJSON writer, the tally and the sink.
 */
class StageVisitor implements OrderVisitor {
  valid = 0;
  private readonly validator: OrderValidator | undefined;

  constructor(fileName: string, check: boolean) {
    this.validator = check ? new OrderValidator(fileName) : undefined;
  }

  order(raw: RawOrder, position: SourcePosition, itemLines?: readonly number[]): void {
    if (this.validator === undefined || this.validator.check(raw, position, itemLines) === undefined) this.valid++;
  }

  begin(position: SourcePosition, orderId: string | undefined, customerId: string | undefined, orderDate: string | undefined, currency: string | undefined): void {
    this.validator?.begin(position, orderId, customerId, orderDate, currency);
  }

  item(sku: string | undefined, quantity: string | undefined, unitPrice: string | undefined, line: number): void {
    this.validator?.item(sku, quantity, unitPrice, line);
  }

  end(refusal?: OrderProblem): void {
    if (this.validator === undefined || this.validator.finish(refusal) === undefined) this.valid++;
  }

  reject(): void {}

  async drain(): Promise<void> {}
}

async function stage(format: GeneratedFormat, file: string, check: boolean): Promise<number> {
  const visitor = new StageVisitor(`incoming/${path.basename(file)}`, check);
  await PARSERS[format](decodeText(fileBody(file), MAX_BYTES), visitor);
  return visitor.valid;
}

/** The run `mode` names, ready to start: a body in memory is read before the clock starts. */
function prepare(mode: string, format: GeneratedFormat, file: string): () => Promise<number> {
  if (mode === "bare") return () => bare(format, file);
  if (mode === "read" || mode === "checked") return () => stage(format, file, mode === "checked");
  if (mode === "full") return () => full(format, file, fileBody(file));
  if (mode === "memory") {
    const body = inMemory(file);
    return () => full(format, file, body);
  }
  throw new Error(`unknown mode "${mode}"; use bare, read, checked, full or memory`);
}

async function run(mode: string, format: GeneratedFormat, file: string): Promise<void> {
  const measure = prepare(mode, format, file);
  const started = process.hrtime.bigint();
  const orders = await measure();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result: Measurement = { seconds, orders, bytes: statSync(file).size, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

run(process.argv[2], process.argv[3] as GeneratedFormat, process.argv[4]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
