import { JSONParser, TokenType } from "@streamparser/json";
import { MalformedFileError } from "../errors";
import { LIMITS } from "../limits";
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

function elementTooLong(index: number): MalformedFileError {
  return new MalformedFileError("JSON", `element ${index} is longer than ${LIMITS.maxJsonElementBytes} bytes; no order is that large, so look in it for a string that never ends`);
}

function outsideTooLong(at: number): MalformedFileError {
  return new MalformedFileError("JSON", `the value at byte ${at}, outside the orders array, is longer than ${LIMITS.maxJsonElementBytes} bytes; keep beside "orders" only small fields`);
}

function tooDeep(offset: number): MalformedFileError {
  return new MalformedFileError("JSON", `arrays and objects nest more than ${LIMITS.maxNesting} levels deep at byte ${offset}; orders need at most 5`);
}

/** Where the watcher is, relative to the orders array. */
const enum Place {
  Before,
  In,
  After,
}

/**
 * Follows the tokens around the orders array, the root array or the `orders` of a root object,
 * and keeps what the parser holds in memory bounded. The parser emits, then drops, each element
 * of that array, but holds the element until it is complete; outside the array it drops each
 * value once complete (`keepStack: false`), but holds a string or number token until it ends. So
 * an element longer than `LIMITS.maxJsonElementBytes`, or a token outside the array longer than
 * that, fails the file: as soon as a chunk ends past the limit, and when it ends within one chunk.
 * Lengths are UTF-8 bytes, the parser's own offsets, so the outcome does not depend on how the
 * chunks are cut.
 */
class OrdersArrayWatcher {
  private place = Place.Before;
  /** Containers open before the current token. */
  private depth = 0;
  /** Offset of the array's `[` or of its last `,`: where the current element began. */
  private mark = -1;
  private index = 0;
  /** Offset of the last token: outside the array, the next one must start within the limit of it. */
  private lastToken = 0;
  /** Root object only: the next depth-1 string is a key; the last key; a `:` was just read. */
  private expectKey = true;
  private key: unknown;
  private afterColon = false;

  constructor(private readonly root: "array" | "object") {}

  /** Root object only: it has an `orderId` of its own, so it is most likely one order without its array. */
  looksLikeOneOrder = false;

  /** True once the array has been found, so an object without `orders` can be told from an empty one. */
  get found(): boolean {
    return this.place !== Place.Before;
  }

  readonly onToken = ({ token, value, offset }: { token: TokenType; value?: unknown; offset: number }): void => {
    const depth = this.depth;
    if (this.place !== Place.In && offset - this.lastToken > LIMITS.maxJsonElementBytes) throw outsideTooLong(this.lastToken);
    this.lastToken = offset;
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      if (++this.depth > LIMITS.maxNesting) throw tooDeep(offset);
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) this.depth--;
    if (this.place === Place.In) {
      if (depth !== (this.root === "array" ? 1 : 2) || (token !== TokenType.COMMA && token !== TokenType.RIGHT_BRACKET)) return;
      // A `,` or the closing `]` of the array: the element before it is complete.
      if (offset - this.mark - 1 > LIMITS.maxJsonElementBytes) throw elementTooLong(this.index);
      this.mark = offset;
      this.index++;
      if (token === TokenType.RIGHT_BRACKET) this.place = Place.After;
    } else if (this.root === "array") {
      if (depth === 0) this.openArray(offset);
    } else if (depth === 1) {
      if (this.afterColon) {
        this.afterColon = false;
        if (this.key === "orders") {
          // The parser would read a second array too, numbering its orders from 0 again.
          if (this.place === Place.After) throw new MalformedFileError("JSON", 'the object has "orders" twice; give one "orders" array with every order in it');
          if (token !== TokenType.LEFT_BRACKET) throw new MalformedFileError("JSON", '"orders" is not an array; make it an array of orders');
          this.openArray(offset);
        }
      } else if (token === TokenType.STRING && this.expectKey) {
        this.key = value;
        this.expectKey = false;
        if (value === "orderId") this.looksLikeOneOrder = true;
      } else if (token === TokenType.COLON) this.afterColon = true;
      else if (token === TokenType.COMMA) this.expectKey = true;
    }
  };

  /** Fails the file when, after `written` bytes, what the parser holds is already past the limit. */
  check(written: number): void {
    if (this.place === Place.In) {
      if (written - this.mark - 1 > LIMITS.maxJsonElementBytes) throw elementTooLong(this.index);
    } else if (written - this.lastToken > LIMITS.maxJsonElementBytes) throw outsideTooLong(this.lastToken);
  }

  private openArray(offset: number): void {
    this.place = Place.In;
    this.mark = offset;
  }
}

/**
 * Parses a JSON array of orders, or an object whose `orders` is that array, with
 * `@streamparser/json`: each element is emitted, and dropped from the parser, as soon as it is
 * complete, so one order at a time is in memory. Orders are numbered by their 0-based index.
 */
export async function parseJson(text: AsyncIterable<string>, visitor: OrderVisitor): Promise<void> {
  let parser: JSONParser | undefined;
  let watcher: OrdersArrayWatcher | undefined;
  let written = 0;
  for await (const chunk of text) {
    if (parser === undefined) {
      const start = chunk.trimStart().codePointAt(0);
      if (start === undefined) continue;
      const first = String.fromCodePoint(start);
      if (first !== "[" && first !== "{") throw new MalformedFileError("JSON", `it starts with "${first}"; give an array of orders or an object with an "orders" array`);
      parser = new JSONParser({ paths: first === "[" ? ["$.*"] : ["$.orders.*"], keepStack: false });
      parser.onValue = ({ value, key }) => {
        visitElement(visitor, key as number, value);
      };
      watcher = new OrdersArrayWatcher(first === "[" ? "array" : "object");
      parser.onToken = watcher.onToken;
    }
    try {
      parser.write(chunk);
    } catch (error) {
      throw malformed(error);
    }
    written += Buffer.byteLength(chunk, "utf8");
    watcher!.check(written);
    await visitor.drain();
  }
  if (parser === undefined) return;
  try {
    if (!parser.isEnded) parser.end();
  } catch (error) {
    throw malformed(error);
  }
  if (!watcher!.found) {
    const hint = watcher!.looksLikeOneOrder ? 'it looks like a single order: put it in an array, [ {...} ], or in { "orders": [ {...} ] }' : 'put the orders in "orders"';
    throw new MalformedFileError("JSON", `the object has no "orders" array; ${hint}`);
  }
}
