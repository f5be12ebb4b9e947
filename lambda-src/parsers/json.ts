import { JSONParser, TokenType } from "@streamparser/json";
import { MalformedFileError } from "../errors";
import { LIMITS } from "../limits";
import { codePoints, jsonKind } from "../text";
import type { RawOrder } from "../types";
import type { OrderVisitor } from "./types";

function visitElement(visitor: OrderVisitor, index: number, value: unknown): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) visitor.order(value as RawOrder, { index });
  else visitor.reject({ position: { index }, message: `element ${index} is ${jsonKind(value)}, not an order object; give an object with orderId, customerId, orderDate, currency and items` });
}

/**
 * The parser's error as a reason a partner can act on: where (line and column when the parser
 * says, or knows the token), what was found, and what JSON wants instead. The parser's messages
 * are matched as the locked version writes them; tests pin each.
 */
function malformed(error: unknown, where?: (offset: number) => string, lastToken?: number): MalformedFileError {
  if (error instanceof MalformedFileError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (/in the middle|mid-parsing/i.test(detail)) return new MalformedFileError("JSON", "it ends before the document is complete, as if truncated; upload the whole file");
  if (/in state ENDED/.test(detail)) return new MalformedFileError("JSON", "there is content after the end of the document; remove it");
  const character = /^Unexpected "([\s\S])" at chunk position "\d+" \(absolute position "(\d+)"\) in state (\w+)/.exec(detail);
  const token = /^Unexpected (\w+) \(.*\) in state (\w+)/s.exec(detail);
  const offset = character !== null ? Number(character[2]) : lastToken;
  const problem = character !== null ? unexpectedCharacter(character[1], character[3]) : token !== null ? unexpectedToken(token[1], token[2]) : undefined;
  if (problem === undefined || offset === undefined || where === undefined) return new MalformedFileError("JSON", detail.replace(/\s*Either not all the data.*$/s, "").replace(/\.$/, ""));
  return new MalformedFileError("JSON", `at ${where(offset)} it has ${problem}`);
}

/** A character the tokenizer could not take in its state (one byte of it, for a non-ASCII one). */
function unexpectedCharacter(char: string, state: string): string {
  const code = char.charCodeAt(0);
  if (state === "STRING_AFTER_BACKSLASH" && code >= 0x80) return "a backslash before a non-ASCII character in a string; JSON escapes only \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\u with four hex digits";
  if (state === "STRING_AFTER_BACKSLASH") return `the escape \\${char} in a string; JSON escapes only \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\u with four hex digits`;
  if (state.startsWith("STRING_UNICODE")) return "a \\u escape without four hex digits in a string; write it as \\u00e9, for example";
  if (state.startsWith("STRING")) return `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")} inside a string; escape it (\\n, \\t, \\u0001) or remove it`;
  if (state.startsWith("NUMBER")) return "a number that ends too soon; write digits after a minus sign, a decimal point or an exponent";
  if (/^(TRUE|FALSE|NULL)/.test(state)) return "a misspelled true, false or null; write them in lower case, whole";
  if (char === "'") return "a single quote; JSON strings and names take double quotes";
  if (char === "/") return "a slash outside a string; JSON has no comments, so remove them";
  if (/[A-Za-z]/.test(char)) return `a bare word starting with "${char}"; JSON names and text take double quotes, and other values are numbers, true, false or null`;
  if (code >= 0x80) return "a character outside a string; put text in double quotes";
  if (code < 0x20 || code === 0x7f) return `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}; remove it`;
  return `an unexpected "${char}"; check the brackets, braces, commas and colons around it`;
}

/** A token in a place the grammar does not allow, by the parser's state (what it expected). */
function unexpectedToken(type: string, state: string): string {
  const closing = type === "RIGHT_BRACKET" || type === "RIGHT_BRACE";
  if (closing && (state === "VALUE" || state === "KEY")) return "a comma right before a closing bracket or brace; JSON allows no trailing comma, so remove it";
  if (state === "COMMA") return "a value where a comma or a closing bracket or brace belongs; separate values with commas, and write numbers without leading zeros";
  if (state === "COLON") return 'no colon after a name; write "name": value';
  if (state === "KEY") return 'a value where a name in double quotes belongs; an object holds "name": value pairs';
  return `an unexpected ${type.toLowerCase().replace(/_/g, " ")}; check the brackets, braces, commas and colons around it`;
}

/** Where a chunk of text begins: bytes, line ends and characters after the last line end before it. */
interface ChunkStart {
  readonly text: string;
  readonly bytes: number;
  readonly lines: number;
  readonly column: number;
}

/**
 * Turns the parser's byte offsets into lines and columns (in characters). It holds the last two
 * chunks given to the parser, so a token that began in the chunk before (a string or number cut
 * by a chunk's end) is placed too, and counts what came before them: bytes (the parser's, and
 * blank ones read before the parser started), line ends, and the characters after the last one.
 */
class TextPosition {
  private current: ChunkStart = { text: "", bytes: 0, lines: 0, column: 0 };
  private previous: ChunkStart | undefined;
  private chunkBytes = 0;
  private skipped = 0;

  /** Bytes given to the parser so far, the current chunk included. */
  get bytes(): number {
    return this.current.bytes + this.chunkBytes;
  }

  /** A chunk that reaches the parser (`parsed`), or a blank one read before it started. */
  next(chunk: string, parsed: boolean): void {
    const { text, lines, column } = this.current;
    let lastLf = -1;
    let ends = 0;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) {
      ends++;
      lastLf = at;
    }
    this.previous = this.chunkBytes > 0 ? this.current : undefined;
    this.current = {
      text: chunk,
      bytes: this.bytes,
      lines: lines + ends,
      column: (lastLf >= 0 ? 0 : column) + codePoints(text, lastLf + 1, text.length),
    };
    this.chunkBytes = Buffer.byteLength(chunk, "utf8");
    if (!parsed) {
      this.skipped += this.chunkBytes;
      this.chunkBytes = 0;
    }
  }

  /**
   * "line L, column C" of the parser's byte `offset` when it lies in the last two chunks; else, or
   * when asked (`form`, for a value that may start many chunks before), "byte N" of the text.
   */
  describe(offset: number, form?: "byte"): string {
    const start = offset >= this.current.bytes ? this.current : this.previous !== undefined && offset >= this.previous.bytes ? this.previous : undefined;
    if (start === undefined || form === "byte") return `byte ${this.skipped + offset}`;
    const { text } = start;
    let bytes = start.bytes;
    let index = 0;
    for (; index < text.length && bytes < offset; index++) {
      const code = text.charCodeAt(index);
      bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
    }
    let line = start.lines + 1;
    let lastLf = -1;
    for (let at = text.indexOf("\n"); at >= 0 && at < index; at = text.indexOf("\n", at + 1)) {
      line++;
      lastLf = at;
    }
    return `line ${line}, column ${(lastLf >= 0 ? 0 : start.column) + codePoints(text, lastLf + 1, index) + 1}`;
  }
}

const JSON_WHITESPACE = /^[ \t\r\n]+/;

function elementTooLong(index: number): MalformedFileError {
  return new MalformedFileError("JSON", `element ${index} is longer than ${LIMITS.maxJsonElementBytes} bytes; no order is that large, so look in it for a string that never ends`);
}

function outsideTooLong(where: string): MalformedFileError {
  return new MalformedFileError("JSON", `the value at ${where}, outside the orders array, is longer than ${LIMITS.maxJsonElementBytes} bytes; keep beside "orders" only small fields`);
}

function tooDeep(where: string): MalformedFileError {
  return new MalformedFileError("JSON", `arrays and objects nest more than ${LIMITS.maxNesting} levels deep at ${where}; orders need at most 5`);
}

/** Where the watcher is, relative to the orders array. */
const Place = { Before: 0, In: 1, After: 2 } as const;
type Place = (typeof Place)[keyof typeof Place];

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
  private place: Place = Place.Before;
  /** Containers open before the current token. */
  private depth = 0;
  /** Offset of the array's `[` or of its last `,`: where the current element began. */
  private mark = -1;
  private index = 0;
  /** Offset of the last token: outside the array, the next one must start within the limit of it. */
  lastToken = 0;
  /** Root object only: the next depth-1 string is a key; the last key; a `:` was just read. */
  private expectKey = true;
  private key: unknown;
  private afterColon = false;

  /** @param where the line and column of a parser offset (or its byte), for messages */
  constructor(
    private readonly root: "array" | "object",
    private readonly where: (offset: number, form?: "byte") => string,
  ) {}

  /** Root object only: it has an `orderId` of its own, so it is most likely one order without its array. */
  looksLikeOneOrder = false;

  /** True once the array has been found, so an object without `orders` can be told from an empty one. */
  get found(): boolean {
    return this.place !== Place.Before;
  }

  readonly onToken = ({ token, value, offset }: { token: TokenType; value?: unknown; offset: number }): void => {
    const depth = this.depth;
    if (this.place !== Place.In && offset - this.lastToken > LIMITS.maxJsonElementBytes) throw outsideTooLong(this.where(this.lastToken, "byte"));
    this.lastToken = offset;
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      if (++this.depth > LIMITS.maxNesting) throw tooDeep(this.where(offset));
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
    } else if (written - this.lastToken > LIMITS.maxJsonElementBytes) throw outsideTooLong(this.where(this.lastToken, "byte"));
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
  const position = new TextPosition();
  for await (const chunk of text) {
    if (parser === undefined) {
      // JSON's own whitespace only: trimStart would also skip a no-break space the parser refuses.
      const start = chunk.replace(JSON_WHITESPACE, "").codePointAt(0);
      if (start === undefined) {
        position.next(chunk, false);
        continue;
      }
      const first = String.fromCodePoint(start);
      if (first !== "[" && first !== "{") throw new MalformedFileError("JSON", `it starts with "${first}"; give an array of orders or an object with an "orders" array`);
      parser = new JSONParser({ paths: first === "[" ? ["$.*"] : ["$.orders.*"], keepStack: false });
      parser.onValue = ({ value, key }) => {
        visitElement(visitor, key as number, value);
      };
      watcher = new OrdersArrayWatcher(first === "[" ? "array" : "object", (offset, form) => position.describe(offset, form));
      parser.onToken = watcher.onToken;
    }
    position.next(chunk, true);
    try {
      parser.write(chunk);
    } catch (error) {
      throw malformed(error, (offset) => position.describe(offset), watcher!.lastToken);
    }
    watcher!.check(position.bytes);
    await visitor.drain();
  }
  if (parser === undefined) return;
  try {
    if (!parser.isEnded) parser.end();
  } catch (error) {
    throw malformed(error, (offset) => position.describe(offset), watcher!.lastToken);
  }
  if (!watcher!.found) {
    const hint = watcher!.looksLikeOneOrder ? 'it looks like a single order: put it in an array, [ {...} ], or in { "orders": [ {...} ] }' : 'put the orders in "orders"';
    throw new MalformedFileError("JSON", `the object has no "orders" array; ${hint}`);
  }
}
