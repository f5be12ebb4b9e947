import { JSONParser, TokenType } from "@streamparser/json";
import { MalformedFileError } from "../errors";
import type { RawOrder } from "../types";
import type { OrderVisitor } from "./types";

function describeValue(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

function visitElement(visitor: OrderVisitor, index: number, value: unknown): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) visitor.order(value as RawOrder, { index });
  else visitor.reject({ position: { index }, message: `element ${index} is ${describeValue(value)}, not an order object; give an object with orderId, customerId, orderDate, currency and items` });
}

function malformed(error: unknown): MalformedFileError {
  if (error instanceof MalformedFileError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (/in the middle|mid-parsing/i.test(detail)) return new MalformedFileError("JSON", "it ends before the document is complete, as if truncated; upload the whole file");
  if (/in state ENDED/.test(detail)) return new MalformedFileError("JSON", "there is content after the end of the document; remove it");
  return new MalformedFileError("JSON", detail.replace(/\s*Either not all the data.*$/s, "").replace(/\.$/, ""));
}

/**
 * Watches the tokens of `{ ..., "orders": [...] }` at the top level: the parser emits only the
 * array's elements (so none is kept after it is emitted), and this tells a missing `orders` or one
 * that is not an array from an empty one.
 */
function ordersWatcher(): { readonly seen: () => boolean; readonly onToken: (info: { token: TokenType; value?: unknown }) => void } {
  let depth = 0;
  let expectKey = false;
  let afterColon = false;
  let key: unknown;
  let seen = false;
  return {
    seen: () => seen,
    onToken: ({ token, value }) => {
      if (depth === 1) {
        if (afterColon) {
          afterColon = false;
          if (key === "orders") {
            seen = true;
            if (token !== TokenType.LEFT_BRACKET) throw new MalformedFileError("JSON", '"orders" is not an array; make it an array of orders');
          }
        } else if (token === TokenType.STRING && expectKey) {
          key = value;
          expectKey = false;
        } else if (token === TokenType.COLON) afterColon = true;
        else if (token === TokenType.COMMA) expectKey = true;
      }
      if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
        depth++;
        if (depth === 1) expectKey = true;
      } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
    },
  };
}

/**
 * Parses a JSON array of orders, or an object whose `orders` is that array, with
 * `@streamparser/json`: each element is emitted, and dropped from the parser, as soon as it is
 * complete, so one order at a time is in memory. Orders are numbered by their 0-based index.
 */
export async function parseJson(text: AsyncIterable<string>, visitor: OrderVisitor): Promise<void> {
  let parser: JSONParser | undefined;
  let watcher: ReturnType<typeof ordersWatcher> | undefined;
  for await (const chunk of text) {
    if (parser === undefined) {
      const first = chunk.trimStart()[0];
      if (first === undefined) continue;
      if (first !== "[" && first !== "{") throw new MalformedFileError("JSON", `it starts with "${first}"; give an array of orders or an object with an "orders" array`);
      parser = new JSONParser({ paths: first === "[" ? ["$.*"] : ["$.orders.*"], keepStack: false });
      parser.onValue = ({ value, key }) => {
        visitElement(visitor, key as number, value);
      };
      if (first === "{") {
        watcher = ordersWatcher();
        parser.onToken = watcher.onToken;
      }
    }
    try {
      parser.write(chunk);
    } catch (error) {
      throw malformed(error);
    }
    await visitor.drain();
  }
  if (parser === undefined) return;
  try {
    if (!parser.isEnded) parser.end();
  } catch (error) {
    throw malformed(error);
  }
  if (watcher !== undefined && !watcher.seen()) throw new MalformedFileError("JSON", 'the object has no "orders" array; put the orders in "orders"');
}
