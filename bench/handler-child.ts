/**
 * The measured side of `bench/handler.ts` and `bench/instructions.ts`: one bare-parser or
 * full-path run over a file, printed as JSON. `bench/child.ts` bundles this file with the code
 * under test (as the function is bundled) and runs the bundle in a fresh node, so the process
 * whose peak RSS is reported holds nothing else: no tsx, no esbuild.
 *
 *   node child.js <bare|full|memory> <format> <file>
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
import { processOrders } from "../lambda-src/pipeline";
import { OrderTally } from "../lambda-src/tally";

export interface Measurement {
  readonly seconds: number;
  readonly orders: number;
  readonly bytes: number;
  readonly maxRssMiB: number;
}

/** The parser alone, delivering what orders are read from: whole rows, values, lines or element text. */
async function bare(format: GeneratedFormat, file: string): Promise<number> {
  const text = () => createReadStream(file, { encoding: "utf8", highWaterMark: 64 * 1024 });
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
  for (let at = 0; at < bytes.length; at += 64 * 1024) pieces.push(bytes.subarray(at, at + 64 * 1024));
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
    maxBytes: 8 * 1024 ** 3,
    tally,
    sink: { write: async (ndjson) => void (devNull.write(ndjson) || (await once(devNull, "drain"))) },
  });
  if (tally.rejected > 0) throw new Error(`${tally.rejected} generated orders were rejected: ${JSON.stringify(tally.errors.slice(0, 3))}`);
  return tally.valid;
}

async function run(mode: string, format: GeneratedFormat, file: string): Promise<void> {
  const body = mode === "memory" ? inMemory(file) : mode === "full" ? createReadStream(file, { highWaterMark: 64 * 1024 }) : undefined;
  const started = process.hrtime.bigint();
  const orders = body === undefined ? await bare(format, file) : await full(format, file, body);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result: Measurement = { seconds, orders, bytes: statSync(file).size, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

run(process.argv[2], process.argv[3] as GeneratedFormat, process.argv[4]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
