import { LIMITS } from "../limits";
import { isBlank, jsonKind } from "../text";
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
  visitor.reject({ position: { line }, message: `line ${line} holds ${jsonKind(value)}, not an order object; put one order object on each line` });
}

function tooLong(line: number): OrderProblem {
  return { position: { line }, message: `line ${line} is longer than ${LIMITS.maxNdjsonLineChars} characters; put one order object on each line` };
}

/**
 * Parses newline-delimited JSON with `JSON.parse`: one order object per line, blank lines skipped,
 * and a line that is not JSON, or longer than `LIMITS.maxNdjsonLineChars`, rejects that order
 * only. A long line is dropped as it arrives, never held whole: a JSON array saved as one line
 * would otherwise take as much memory as the file. Lines end with LF or CRLF, as the contract
 * says; a lone CR is not a line end (inside a line it is JSON whitespace). Lines are numbered
 * from 1 and split here, by `indexOf` over each text chunk: `readline` would also end lines at a
 * lone CR, and costs a regular expression match, an event and an async-iterator step per line.
 */
export async function parseNdjson(text: AsyncIterable<string>, visitor: OrderVisitor): Promise<void> {
  let line = 0;
  /** The start of a line that continues in the next chunk. */
  let rest = "";
  /** The line being read is already longer than the limit: its text is dropped until it ends. */
  let overlong = false;
  for await (const chunk of text) {
    let start = 0;
    for (let end = chunk.indexOf("\n"); end >= 0; end = chunk.indexOf("\n", start)) {
      line++;
      let content = rest.length === 0 ? chunk.slice(start, end) : rest + chunk.slice(start, end);
      rest = "";
      // A CR right before the LF belongs to the line end.
      if (content.charCodeAt(content.length - 1) === 13) content = content.slice(0, -1);
      if (overlong || content.length > LIMITS.maxNdjsonLineChars) {
        visitor.reject(tooLong(line));
        overlong = false;
      } else if (!isBlank(content)) visitLine(visitor, content, line);
      start = end + 1;
    }
    if (!overlong && start < chunk.length) rest = rest.length === 0 ? chunk.slice(start) : rest + chunk.slice(start);
    // One character more than the limit may be the CR of a CRLF still to come.
    if (rest.length > LIMITS.maxNdjsonLineChars + 1) {
      overlong = true;
      rest = "";
    }
    await visitor.drain();
  }
  if (overlong || rest.length > LIMITS.maxNdjsonLineChars) visitor.reject(tooLong(line + 1));
  else if (!isBlank(rest)) visitLine(visitor, rest, line + 1);
}
