import { LIMITS } from "../limits";
import { isBlank } from "../text";
import type { OrderProblem, RawOrder } from "../types";
import type { OrderVisitor } from "./types";

function visitLine(visitor: OrderVisitor, text: string, line: number): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    visitor.reject({ position: { line }, message: `line ${line} is not valid JSON (${reason}); put one complete order object on each line` });
    return;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    visitor.order(value as RawOrder, { line });
    return;
  }
  const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
  visitor.reject({ position: { line }, message: `line ${line} holds ${kind}, not an order object; put one order object on each line` });
}

function tooLong(line: number): OrderProblem {
  return { position: { line }, message: `line ${line} is longer than ${LIMITS.maxNdjsonLineChars} characters; put one order object on each line` };
}

/**
 * Parses newline-delimited JSON with `JSON.parse`: one order object per line, blank lines skipped,
 * and a line that is not JSON, or longer than `LIMITS.maxNdjsonLineChars`, rejects that order
 * only. A long line is dropped as it arrives, never held whole: a JSON array saved as one line
 * would otherwise take as much memory as the file. Lines are numbered from 1 and end where
 * `readline` ends them (LF, CRLF, or a lone CR), but are split here, by `indexOf` over each text
 * chunk: `readline` costs a regular expression match, an event and an async-iterator step per
 * line, about as much as the rest of the reading.
 */
export async function parseNdjson(text: AsyncIterable<string>, visitor: OrderVisitor): Promise<void> {
  let line = 0;
  /** The start of a line that continues in the next chunk. */
  let rest = "";
  /** The last chunk ended with CR: an LF starting the next one belongs to that line end. */
  let afterCr = false;
  /** The line being read is already longer than the limit: its text is dropped until it ends. */
  let overlong = false;
  for await (const chunk of text) {
    let start = afterCr && chunk.charCodeAt(0) === 10 ? 1 : 0;
    afterCr = false;
    let cr = chunk.indexOf("\r", start);
    for (;;) {
      let end = chunk.indexOf("\n", start);
      if (cr >= 0 && cr < start) cr = chunk.indexOf("\r", start);
      let next = end + 1;
      if (cr >= 0 && (end < 0 || cr < end)) {
        end = cr;
        next = cr + 1 === chunk.length ? ((afterCr = true), cr + 1) : chunk.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      }
      if (end < 0) {
        if (!overlong) rest = rest.length === 0 ? chunk.slice(start) : rest + chunk.slice(start);
        if (rest.length > LIMITS.maxNdjsonLineChars) {
          overlong = true;
          rest = "";
        }
        break;
      }
      line++;
      if (overlong || rest.length + end - start > LIMITS.maxNdjsonLineChars) {
        visitor.reject(tooLong(line));
        overlong = false;
        rest = "";
      } else {
        let content = chunk.slice(start, end);
        if (rest.length > 0) {
          content = rest + content;
          rest = "";
        }
        if (!isBlank(content)) visitLine(visitor, content, line);
      }
      start = next;
    }
    await visitor.drain();
  }
  if (overlong) visitor.reject(tooLong(line + 1));
  else if (!isBlank(rest)) visitLine(visitor, rest, line + 1);
}
