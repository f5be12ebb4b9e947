import Papa from "papaparse";
import { orderDateMillis } from "../dates";
import { clip } from "../clip";
import { MalformedFileError, MissingColumnError } from "../errors";
import { LIMITS } from "../limits";
import { isBlank, trimmed } from "../text";
import type { OrderProblem } from "../types";
import { fieldName, itemCountMessage } from "../validation";
import type { OrderVisitor } from "./types";

/** The CSV columns an order needs, in contract order. */
export const CSV_COLUMNS = ["order_id", "customer_id", "order_date", "currency", "sku", "quantity", "unit_price"] as const;

type Column = (typeof CSV_COLUMNS)[number];
type ColumnIndex = Readonly<Record<Column, number>>;
/** The order-level columns, which the rows of one order must agree on, and their field names. */
const FIELD_NAMES = { customer_id: "customerId", order_date: "orderDate", currency: "currency" } as const;
/** Every column's field name; the last three are an item's. */
const COLUMN_FIELDS: Readonly<Record<Column, string>> = { order_id: "orderId", ...FIELD_NAMES, sku: "sku", quantity: "quantity", unit_price: "unitPrice" };
const ITEM_COLUMNS: ReadonlySet<Column> = new Set(["sku", "quantity", "unit_price"]);
const ASCII_LETTERS = /^[A-Za-z]+$/;
/** Why a file whose lines end with CR alone fails: to the parser it is one row. */
const CR_ONLY = "its lines end with CR alone (an old Mac export), so the whole file reads as one row; save it with LF or CRLF line ends";

/** Separators spreadsheets use instead of commas (a semicolon in many locales), by name. */
const FOREIGN_SEPARATORS = [
  [";", "semicolons"],
  ["\t", "tabs"],
  ["|", "vertical bars"],
] as const;

function columnIndex(header: readonly string[]): ColumnIndex {
  if (header.length === 1) {
    for (const [separator, name] of FOREIGN_SEPARATORS) {
      if (header[0].includes(separator)) {
        throw new MalformedFileError("CSV", `its header row is separated by ${name}, not commas; save it as CSV with commas between the columns (${CSV_COLUMNS.join(",")})`);
      }
    }
  }
  // A name after a space and in quotes (`order_id, "sku"`) keeps its quotes: the space makes them text.
  const names = header.map((name) => name.trim().toLowerCase().replace(/^"(.*)"$/, "$1").trim());
  if (names.some((name) => name.includes("\r"))) throw new MalformedFileError("CSV", CR_ONLY);
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) throw new MissingColumnError(missing);
  const twice = CSV_COLUMNS.find((column) => names.indexOf(column) !== names.lastIndexOf(column));
  if (twice !== undefined) {
    const columns = names.flatMap((name, index) => (name === twice ? [index + 1] : []));
    const listed = columns.length > 3 ? `${columns.slice(0, 3).join(", ")} and ${columns.length - 3} more` : `${columns.slice(0, -1).join(", ")} and ${columns[columns.length - 1]}`;
    throw new MalformedFileError("CSV", `its header names ${twice} more than once (columns ${listed}), so which one holds the value is unclear; keep one`);
  }
  return Object.fromEntries(CSV_COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<Column, number>;
}

function optionalTrimmed(text: string | undefined): string | undefined {
  return text === undefined ? undefined : trimmed(text);
}

/** Drops the CR that a CRLF line end leaves on each row's last field, so no value or message carries it. */
function withoutCarriageReturns(rows: string[][]): string[][] {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const last = row[row.length - 1];
    if (last.charCodeAt(last.length - 1) === 13) row[row.length - 1] = last.slice(0, -1);
  }
  return rows;
}

const LONE_CR = /\r(?!\n)/;

/**
 * Finds CRs that certainly end a line alone: those before the file's first quote (after it, a CR
 * may be data inside a quoted field, and only the rows papaparse makes can tell). A CR that ends
 * a chunk is judged by the next chunk's first character, so the answer does not depend on where
 * chunks are cut; a CR that ends the file is a last line end like any other.
 */
class LoneCarriageReturns {
  /**
   * Whether a chunk so far (this one included, once `find` has read it) held a quote. `find`
   * returns before reading a chunk only when it found a lone CR, which fails the file.
   */
  quoteSeen = false;
  /** The last non-empty chunk ended with a CR, before any quote. */
  private crHeld = false;

  /**
   * Where in `chunk` the first such CR is: 0 also for one that ended the chunk before, when this
   * chunk does not start with its LF; -1 when there is none.
   */
  find(chunk: string): number {
    if (this.quoteSeen) return -1;
    if (this.crHeld && chunk.length > 0 && chunk.charCodeAt(0) !== 10) return 0;
    const quote = chunk.indexOf('"');
    this.quoteSeen = quote >= 0;
    const end = this.quoteSeen ? quote : chunk.length;
    for (let cr = chunk.indexOf("\r"); cr >= 0 && cr < end; cr = chunk.indexOf("\r", cr + 1)) {
      if (cr + 1 === chunk.length) {
        this.crHeld = true;
        return -1;
      }
      if (chunk.charCodeAt(cr + 1) !== 10) return cr;
    }
    this.crHeld &&= chunk.length === 0;
    return -1;
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

function spansLines(field: string): boolean {
  return field.includes("\n");
}

function newlinesIn(row: readonly string[]): number {
  let count = 0;
  for (const field of row) count += countNewlines(field);
  return count;
}

/**
 * CSV rows from text chunks, read with papaparse's parser one chunk at a time: a chunk's complete
 * rows come back at once, and its unfinished last row (papaparse's cursor says where it starts)
 * waits for the next chunk. That is how papaparse's own streamers drive `Papa.Parser`, which it
 * exports and `@types/papaparse` declares; the lock file pins papaparse, and the tests pin this
 * behaviour. The caller asks for the next chunk only after handling these rows, so it sets the
 * pace, and every character is parsed about once.
 *
 * This replaces papaparse's Node stream mode, which pauses whenever its output buffer is full and
 * re-splits the rest of its chunk on every resume: with a body that is always ready (S3 in the
 * same region) that happened after every row, about 3 MiB/s instead of 25.
 *
 * Every LF ends a row (outside quotes), so LF and CRLF lines may mix, as in files joined from two
 * systems: papaparse leaves a CRLF row's CR on its last field (and allows it after a closing
 * quote), and the reader drops it. (Told that lines end with CRLF, papaparse would
 * read a lone LF as part of a field and silently join two rows.)
 */
export class CsvRowReader {
  private readonly config: Papa.ParseConfig;
  private readonly parser: Papa.Parser;
  /** The text of the unfinished row. */
  private rest = "";
  /** Characters before `rest`: papaparse's cursor counts from the start of the text. */
  private consumed = 0;

  /** @param maxRowChars longest row accepted, in characters, line end excluded; @default LIMITS.maxCsvRowChars */
  constructor(private readonly maxRowChars: number = LIMITS.maxCsvRowChars) {
    this.config = { delimiter: ",", newline: "\n", quoteChar: '"', escapeChar: '"' };
    this.parser = new Papa.Parser(this.config);
  }

  /** The rows that `text` completes, and what is wrong with them. */
  rows(text: string): CsvRows {
    const input = this.rest + text;
    const before = this.consumed;
    const result = this.parser.parse(input, before, true) as Papa.ParseResult<string[]>;
    const cursor = result.meta.cursor;
    this.rest = input.slice(cursor - before);
    this.consumed = cursor;
    let runawayRow: number | undefined;
    const badQuoteRows: number[] = [];
    for (const error of result.errors) {
      // Rarely any: a quoted field with a line end inside never reports one when its quotes are right.
      if (error.code !== "InvalidQuotes" || error.row === undefined) continue;
      const row = result.data[error.row];
      if (row !== undefined && row.some(spansLines)) {
        runawayRow = error.row;
        break;
      }
      if (row !== undefined) badQuoteRows.push(error.row);
    }
    // Only text longer than the limit can hold a row longer than it: rarely measured.
    let longRow = cursor - before > this.maxRowChars ? this.firstLongRow(input.slice(0, cursor - before)) : undefined;
    // A CR that ends the held text may be the start of the row's CRLF.
    const held = this.rest.endsWith("\r") ? this.rest.length - 1 : this.rest.length;
    if (longRow === undefined && held > this.maxRowChars) longRow = this.describe(result.data.length, this.rest);
    return { rows: withoutCarriageReturns(result.data), longRow, runawayRow, badQuoteRows };
  }

  /** The last row, when the text does not end with a line end, and what is wrong with it. */
  end(): CsvLastRow {
    if (this.rest === "") return { rows: [], runawayQuote: undefined, unclosed: false, badQuoteRows: [] };
    const input = this.rest;
    this.rest = "";
    const result = this.parser.parse(input, this.consumed, false) as Papa.ParseResult<string[]>;
    const missingQuote = result.errors.some((error) => error.code === "MissingQuotes");
    const invalidQuote = result.errors.some((error) => error.code === "InvalidQuotes");
    const spans = missingQuote && spansLines(input.trimEnd());
    return {
      rows: withoutCarriageReturns(result.data),
      runawayQuote: spans ? (invalidQuote ? "text after closing quote" : "unclosed") : undefined,
      unclosed: missingQuote && !spans,
      badQuoteRows: !missingQuote && invalidQuote ? [0] : [],
    };
  }

  /**
   * A long row at `index`, with what it looks like, judged by its first characters up to the
   * limit, so wherever chunks were cut: a quote there most likely never closes; a CR there
   * without an LF after it most likely ends lines of a file whose lines all end with CR alone.
   */
  private describe(index: number, row: string): LongRow {
    const quote = row.indexOf('"');
    // A CR at the very end of held text may yet be followed by its LF.
    const cr = row.search(LONE_CR);
    return { index, quoted: quote >= 0 && quote <= this.maxRowChars, crOnly: cr >= 0 && cr < Math.min(this.maxRowChars, row.length - 1) };
  }

  /** The first row of `text` (which ends with a line end) longer than the limit, line end excluded. */
  private firstLongRow(text: string): LongRow | undefined {
    let found: LongRow | undefined;
    let index = 0;
    let start = 0;
    const parser = new Papa.Parser({
      ...this.config,
      step: (result: Papa.ParseStepResult<string[]>) => {
        const lf = result.meta.cursor - 1;
        const end = text[lf - 1] === "\r" ? lf - 1 : lf;
        if (end - start > this.maxRowChars) {
          found = this.describe(index, text.slice(start, end));
          parser.abort();
        }
        index++;
        start = result.meta.cursor;
      },
    });
    parser.parse(text, 0, true);
    return found;
  }
}

/** What `CsvRowReader.rows` read from a chunk. */
export interface CsvRows {
  /** The rows the chunk completes. */
  readonly rows: string[][];
  /**
   * The first row longer than the limit, if any. Rows are measured in characters of the file,
   * line end excluded, so the outcome does not depend on where chunks are cut.
   */
  readonly longRow: LongRow | undefined;
  /**
   * The index of the first row whose quoted field ran on over later lines and closed at a later
   * quote (papaparse reports a malformed quote in a row that spans lines), so the rows between
   * were taken into one field. Such a field can even pass validation.
   */
  readonly runawayRow: number | undefined;
  /**
   * Indexes of rows, each on one line, with text right after a closing quote (`"C1"x`): papaparse
   * keeps the quote and the text in the value, and may join the fields up to the next quote.
   */
  readonly badQuoteRows: readonly number[];
}

/** What `CsvRowReader.end` read: the last row, when the text does not end with a line end. */
export interface CsvLastRow {
  readonly rows: string[][];
  /**
   * Why the last row's quoted field runs on over later lines to the end of the text, taking them
   * in: its quote never closes, or text follows its closing quote. Unset when that row is one
   * line: then only its own order suffers, and validation says how.
   */
  readonly runawayQuote: "unclosed" | "text after closing quote" | undefined;
  /** The last row, one line, opens a quoted field that never closes, which takes in the rest of the row. */
  readonly unclosed: boolean;
  /** As `CsvRows.badQuoteRows`: `[0]` when the last row has text right after a closing quote. */
  readonly badQuoteRows: readonly number[];
}

/** A row longer than `CsvRowReader`'s limit. */
export interface LongRow {
  /** Its index in the rows `rows` returned; their count when it is the unfinished row. */
  readonly index: number;
  /** Its first characters, up to the limit, hold a quote: most likely a quoted field that never closes. */
  readonly quoted: boolean;
  /** Its first characters, up to the limit, hold a CR without an LF after it: most likely lines ended by CR alone. */
  readonly crOnly: boolean;
}

/** The reason a file with a row longer than the limit fails; `line` is the line the row starts on. */
function longRowReason(row: LongRow, line: number): string {
  const too = `the row on line ${line} is longer than ${LIMITS.maxCsvRowChars} characters`;
  if (row.crOnly) return `${too}: ${CR_ONLY}`;
  if (row.quoted) return `${too}; close its quoted fields (one that never closes makes the rest of the file one row), or shorten its longest field`;
  return `${too}; end every line with LF or CRLF, or shorten its longest field`;
}

/**
 * Parses CSV with papaparse (RFC 4180, quoted newlines), chunk by chunk. The first non-blank row
 * is the header; consecutive rows with the same `order_id` form one order whose order-level fields
 * must agree. Rows are numbered by the physical line they start on. Each order goes to the visitor
 * field by field as its rows arrive (`begin`, `item`, `end`): no object is built per row.
 */
export async function parseCsv(text: AsyncIterable<string>, visitor: OrderVisitor): Promise<void> {
  const reader = new CsvRowReader();
  const grouper = new RowGrouper(visitor);
  const lineEnds = new LoneCarriageReturns();
  /** Reads the rows that `piece` completes; throws the first file-level problem among them. */
  const read = (piece: string): void => {
    const { rows, longRow: long, runawayRow: runaway, badQuoteRows } = reader.rows(piece);
    // The first problem in file order, so the outcome does not depend on where chunks are cut.
    if (runaway !== undefined && (long === undefined || runaway < long.index)) {
      grouper.rows(rows.slice(0, runaway)); // to count the lines before it
      throw new MalformedFileError(
        "CSV",
        `the row on line ${grouper.nextLine} has a quoted field that runs on into the lines after it, taking them in (a quote that never closes, or text right after a closing quote); fix that row's quotes`,
      );
    }
    if (long !== undefined) {
      grouper.rows(rows.slice(0, long.index)); // to count the lines before it
      throw new MalformedFileError("CSV", longRowReason(long, grouper.nextLine));
    }
    grouper.rows(rows, badQuoteRows);
  };
  for await (const chunk of text) {
    const cr = lineEnds.find(chunk);
    grouper.quoted = lineEnds.quoteSeen;
    if (cr < 0) read(chunk);
    else {
      // The text before the CR first: a problem in it (a row before, or this line already too long) comes first in the file.
      read(chunk.slice(0, cr));
      // Before the first quote no row holds an LF, so the unfinished row starts on the CR's line.
      if (!grouper.hasHeader) {
        throw new MalformedFileError("CSV", `the header row on line ${grouper.nextLine} ends with CR alone, as lines of an old Mac export do, so the line after it runs into it; save the file with LF or CRLF line ends`);
      }
      throw new MalformedFileError("CSV", `line ${grouper.nextLine} ends with CR alone, so the line after it runs into it; end every line with LF or CRLF`);
    }
    await visitor.drain();
  }
  const last = reader.end();
  if (last.runawayQuote === "unclosed") {
    throw new MalformedFileError("CSV", `the row on line ${grouper.nextLine} opens a quoted field that never closes, so it takes in every line after it; add the closing double quote`);
  }
  if (last.runawayQuote === "text after closing quote") {
    throw new MalformedFileError("CSV", `the row on line ${grouper.nextLine} has text right after the closing quote of a field, so the field takes in every line after it; quote the whole field, or remove that text`);
  }
  if (last.unclosed && !grouper.hasHeader) {
    throw new MalformedFileError("CSV", `the header row on line ${grouper.nextLine} opens a quoted field that never closes, so the names after it run into it; add the closing double quote`);
  }
  grouper.rows(last.rows, last.badQuoteRows);
  // A lone quote on the last line is a blank row: no order of the rows before it is affected.
  if (last.unclosed && last.rows.some((row) => row.length > 1 || !isBlank(row[0]))) grouper.unclosedQuote();
  grouper.end();
}

/**
 * Whether two different texts of an order-level field normalize to the same value: `usd` and
 * `USD`, or `2025-07-10` and `2025-07-10T02:00:00+02:00`. Only asked when the texts differ.
 */
function sameNormalized(column: keyof typeof FIELD_NAMES, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  // ASCII letters only: toUpperCase also maps "ſ" to "S".
  if (column === "currency") return ASCII_LETTERS.test(a) && ASCII_LETTERS.test(b) && a.toUpperCase() === b.toUpperCase();
  if (column !== "order_date") return false;
  const ms = orderDateMillis(a);
  return typeof ms === "number" && ms === orderDateMillis(b);
}

/**
 * Turns CSV rows into orders for the visitor: consecutive rows with the same `order_id` are one
 * order's line items, and their order-level fields must agree with its first row's, as values:
 * the same text, or texts that normalize alike.
 */
class RowGrouper {
  /**
   * Whether papaparse may have been given a quote. Before that no field can hold an LF (every LF
   * ends a row), so rows need no scan for line ends.
   */
  quoted = false;
  /** Physical line of the next row. */
  nextLine = 1;
  private columns: ColumnIndex | undefined;
  /** Fields of the header row: a row with more may hold two lines joined by a CR line end. */
  private headerFields = 0;
  /** The last row and its line. */
  private lastRow: readonly string[] = [];
  private lastRowLine = 0;
  /** The order being read: its `order_id` (undefined before the first), first line and fields, all trimmed. */
  private orderId: string | undefined;
  private orderLine = 0;
  private customerId: string | undefined;
  private orderDate: string | undefined;
  private currency: string | undefined;
  private itemCount = 0;
  /** Why the order being read is refused as a whole, once known. */
  private refusal: OrderProblem | undefined;

  constructor(private readonly visitor: OrderVisitor) {}

  /** Whether the header row has been read. */
  get hasHeader(): boolean {
    return this.columns !== undefined;
  }

  /** Reads `block`; `badQuotes` are the indexes of its rows with text right after a closing quote. */
  rows(block: readonly string[][], badQuotes: readonly number[] = []): void {
    const bad = badQuotes.length > 0 ? new Set(badQuotes) : undefined;
    for (let r = 0; r < block.length; r++) {
      const row = block[r];
      const rowLine = this.nextLine;
      this.nextLine += this.quoted ? 1 + newlinesIn(row) : 1;
      if (row.length === 1 && isBlank(row[0])) continue;
      const columns = this.columns;
      if (columns === undefined) {
        this.columns = columnIndex(row);
        this.headerFields = row.length;
        continue;
      }
      // After the file's first quote, where LoneCarriageReturns cannot judge a CR: two lines joined at a lone CR make a row longer than the header.
      if (row.length > this.headerFields && row.some((field) => LONE_CR.test(field))) {
        throw new MalformedFileError("CSV", `the row on line ${rowLine} holds a line that ends with CR alone, so the line after it runs into it; end every line with LF or CRLF`);
      }
      this.lastRow = row;
      this.lastRowLine = rowLine;
      const orderId = trimmed(row[columns.order_id] ?? "");
      if (orderId !== "" && orderId === this.orderId) {
        ++this.itemCount;
        if (this.quoted && this.refusal === undefined) this.checkQuoting(row, columns, rowLine, bad?.has(r) === true);
        if (this.refusal === undefined) this.agree(row, columns, rowLine);
        if (this.itemCount <= LIMITS.maxItems) this.visitor.item(row[columns.sku], row[columns.quantity], row[columns.unit_price], rowLine);
        continue;
      }
      this.end();
      this.orderId = orderId;
      this.orderLine = rowLine;
      this.customerId = optionalTrimmed(row[columns.customer_id]);
      this.orderDate = optionalTrimmed(row[columns.order_date]);
      this.currency = optionalTrimmed(row[columns.currency]);
      this.itemCount = 1;
      this.visitor.begin({ line: rowLine }, orderId, this.customerId, this.orderDate, this.currency);
      this.visitor.item(row[columns.sku], row[columns.quantity], row[columns.unit_price], rowLine);
      if (this.quoted) this.checkQuoting(row, columns, rowLine, bad?.has(r) === true);
    }
  }

  /**
   * Refuses the order of the last row, whose quoted field (its last) never closes, when that field
   * took in more than its own value: a column the order needs, which would only be reported
   * missing, or, when it is a needed field itself, the fields after it. (A quote left open on the
   * row's last value loses nothing: `..., "1.00` reads as 1.00.)
   */
  unclosedQuote(): void {
    const columns = this.columns;
    if (this.orderId === undefined || this.refusal !== undefined || columns === undefined) return;
    const open = this.lastRow.length - 1;
    const swallowedNeeded = CSV_COLUMNS.some((column) => columns[column] > open);
    const neededAndMore = CSV_COLUMNS.some((column) => columns[column] === open) && this.lastRow[open].includes(",");
    if (!swallowedNeeded && !neededAndMore) return;
    this.refuse(undefined, `the row on line ${this.lastRowLine} opens a quoted field that never closes, so the fields after it run into it; add the closing double quote`);
  }

  /**
   * Refuses the order when a field of the row is quoted wrongly. RFC 4180 quotes only a whole
   * field, so with a space before the opening quote, or text after the closing one, the quotes
   * would become part of the value (an id of "C1", quotes and all), and a comma inside them would
   * split the field and shift the columns after it.
   */
  private checkQuoting(row: readonly string[], columns: ColumnIndex, rowLine: number, textAfterQuote: boolean): void {
    if (textAfterQuote) {
      this.refuse(undefined, `the row on line ${rowLine} has text right after the closing quote of a field, so the quotes would be part of the value; quote the whole field, or remove that text`);
      return;
    }
    for (let i = 0; i < row.length; i++) {
      const raw = row[i];
      if (raw.length < 2 || raw.charCodeAt(0) > 0x20 || raw.trimStart().charCodeAt(0) !== 0x22) continue;
      const column = CSV_COLUMNS.find((name) => columns[name] === i);
      // In an ignored column it matters only when a comma inside the quotes can shift a needed column after it.
      if (column === undefined && !CSV_COLUMNS.some((name) => columns[name] > i)) continue;
      const field = column === undefined ? undefined : ITEM_COLUMNS.has(column) ? fieldName(COLUMN_FIELDS[column], Math.min(this.itemCount, LIMITS.maxItems) - 1) : COLUMN_FIELDS[column];
      this.refuse(field, `${column ?? `column ${i + 1}`} on line ${rowLine} has a space before its opening quote, so the quotes would be part of the value; remove the space after the comma`);
      return;
    }
  }

  private refuse(field: string | undefined, message: string): void {
    this.refusal = { position: { line: this.orderLine }, ...(this.orderId ? { orderId: this.orderId } : {}), ...(field !== undefined ? { field } : {}), message };
  }

  /** Ends the last order; a file without a header row fails. */
  end(): void {
    if (this.orderId !== undefined) {
      const refusal = this.refusal ?? (this.itemCount > LIMITS.maxItems ? this.tooManyItems() : undefined);
      this.visitor.end(refusal);
      this.orderId = undefined;
      this.refusal = undefined;
    } else if (this.columns === undefined) throw new MissingColumnError(CSV_COLUMNS);
  }

  /** Checks a further row's order-level fields against the order's first row. */
  private agree(row: readonly string[], columns: ColumnIndex, rowLine: number): void {
    this.compare("customer_id", row[columns.customer_id], this.customerId, rowLine);
    this.compare("order_date", row[columns.order_date], this.orderDate, rowLine);
    this.compare("currency", row[columns.currency], this.currency, rowLine);
  }

  private compare(column: keyof typeof FIELD_NAMES, raw: string | undefined, expected: string | undefined, rowLine: number): void {
    // A value equal to the (trimmed) first row's needs no trimming to agree with it.
    if (raw === expected || this.refusal !== undefined) return;
    const value = optionalTrimmed(raw);
    if (value === expected || sameNormalized(column, value, expected)) return;
    const quote = (text: string | undefined): string => clip(text ?? "", LIMITS.maxQuotedValueLength);
    this.refuse(FIELD_NAMES[column], `${column} "${quote(value)}" on line ${rowLine} differs from "${quote(expected)}" on line ${this.orderLine}; rows of one order must agree`);
  }

  private tooManyItems(): OrderProblem {
    return {
      position: { line: this.orderLine },
      orderId: this.orderId,
      field: "items",
      message: itemCountMessage(this.itemCount),
    };
  }
}
