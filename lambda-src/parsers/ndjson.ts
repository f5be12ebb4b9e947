import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { RawOrder } from "../types";
import type { ParsedEntry } from "./types";

function entryOf(text: string, line: number): ParsedEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: "rejected", problem: { position: { line }, message: `line ${line} is not valid JSON (${reason}); put one complete order object on each line` } };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return { kind: "order", order: value as RawOrder, position: { line } };
  const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
  return { kind: "rejected", problem: { position: { line }, message: `line ${line} holds ${kind}, not an order object; put one order object on each line` } };
}

/**
 * Parses newline-delimited JSON with `readline` and `JSON.parse`: one order object per line, blank
 * lines skipped, and a line that is not JSON rejects that order only. Lines are numbered from 1.
 */
export async function* parseNdjson(text: AsyncIterable<string>): AsyncGenerator<readonly ParsedEntry[], void, undefined> {
  const lines = createInterface({ input: Readable.from(text), crlfDelay: Infinity });
  let line = 0;
  let batch: ParsedEntry[] = [];
  for await (const content of lines) {
    line++;
    if (content.trim() === "") continue;
    batch.push(entryOf(content, line));
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
