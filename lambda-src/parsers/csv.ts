import Papa from "papaparse";
import { type Duplex, getDefaultHighWaterMark, pipeline, Readable, setDefaultHighWaterMark } from "node:stream";
import { MissingColumnError } from "../errors";
import { LIMITS } from "../limits";
import type { RawItem } from "../types";
import { batchesOf } from "./batches";
import type { ParsedEntry } from "./types";

/** The CSV columns an order needs, in contract order. */
export const CSV_COLUMNS = ["order_id", "customer_id", "order_date", "currency", "sku", "quantity", "unit_price"] as const;

type Column = (typeof CSV_COLUMNS)[number];
type ColumnIndex = Readonly<Record<Column, number>>;
const ORDER_FIELDS = ["customer_id", "order_date", "currency"] as const;
const FIELD_NAMES = { customer_id: "customerId", order_date: "orderDate", currency: "currency" } as const;
/** How much text is searched for the first line end before assuming LF. */
const NEWLINE_PROBE_CHARS = 1 << 16;

/** Rows of one order: consecutive rows that share an `order_id`. */
interface Group {
  readonly line: number;
  readonly orderId: string;
  readonly fields: Readonly<Record<(typeof ORDER_FIELDS)[number], string | undefined>>;
  readonly items: RawItem[];
  itemCount: number;
  conflict?: { readonly field: string; readonly message: string };
}

function columnIndex(header: readonly string[]): ColumnIndex {
  const names = header.map((name) => name.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) throw new MissingColumnError(missing);
  return Object.fromEntries(CSV_COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<Column, number>;
}

function newlinesIn(row: readonly string[]): number {
  let count = 0;
  for (const field of row) {
    for (let at = field.indexOf("\n"); at >= 0; at = field.indexOf("\n", at + 1)) count++;
  }
  return count;
}

function toEntry(group: Group): ParsedEntry {
  if (group.conflict !== undefined) {
    return { kind: "rejected", problem: { position: { line: group.line }, ...(group.orderId ? { orderId: group.orderId } : {}), ...group.conflict } };
  }
  if (group.itemCount > LIMITS.maxItems) {
    return {
      kind: "rejected",
      problem: { position: { line: group.line }, orderId: group.orderId, field: "items", message: `the order has ${group.itemCount} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}` },
    };
  }
  return {
    kind: "order",
    position: { line: group.line },
    order: {
      orderId: group.orderId,
      customerId: group.fields.customer_id,
      orderDate: group.fields.order_date,
      currency: group.fields.currency,
      items: group.items,
    },
  };
}

/** Rows papaparse may buffer before it pauses; see `csvRowStream`. */
const ROW_BUFFER = 8192;

/**
 * papaparse's Node stream mode (a Duplex: text in, one string array per row out) with a row
 * buffer of 8192 instead of Node's default 16 objects. papaparse pauses whenever a push finds the
 * buffer full, and each resume re-splits the rest of its chunk: with 16 rows that is quadratic
 * (about 4 MB/s); with 8192 it happens about once per chunk.
 */
export function csvRowStream(newline: "\n" | "\r\n"): Duplex {
  const previous = getDefaultHighWaterMark(true);
  setDefaultHighWaterMark(true, ROW_BUFFER);
  try {
    return Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: ",", newline, quoteChar: '"', escapeChar: '"', header: false, skipEmptyLines: false });
  } finally {
    setDefaultHighWaterMark(true, previous);
  }
}

/**
 * Reads ahead to the first line end to tell LF from CRLF files: papaparse would guess from its
 * first chunk alone, which may hold no line end at all.
 */
async function lineEnding(text: AsyncIterable<string>): Promise<{ readonly newline: "\n" | "\r\n"; readonly text: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]();
  const head: string[] = [];
  let probed = 0;
  let newline: "\n" | "\r\n" = "\n";
  while (probed < NEWLINE_PROBE_CHARS) {
    const next = await iterator.next();
    if (next.done) break;
    const before = (head[head.length - 1] ?? "").slice(-1) + next.value;
    head.push(next.value);
    probed += next.value.length;
    const at = before.indexOf("\n");
    if (at >= 0) {
      newline = at > 0 && before[at - 1] === "\r" ? "\r\n" : "\n";
      break;
    }
  }
  async function* replay(): AsyncGenerator<string> {
    try {
      yield* head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { newline, text: replay() };
}

/**
 * Parses CSV with papaparse's Node stream mode (RFC 4180, quoted newlines). The first non-blank row
 * is the header; consecutive rows with the same `order_id` form one order whose order-level fields
 * must agree. Rows are numbered by the physical line they start on.
 */
export async function* parseCsv(text: AsyncIterable<string>): AsyncGenerator<readonly ParsedEntry[], void, undefined> {
  const { newline, text: chunks } = await lineEnding(text);
  const rows = csvRowStream(newline);
  /**
   * Whether papaparse may have been given a quote. Before that, with LF rows, no field can hold a
   * line end, so rows need no scan for them (with CRLF rows an unquoted field may hold a lone LF).
   */
  let quoted = newline !== "\n";
  async function* watched(source: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const chunk of source) {
      if (!quoted && chunk.includes('"')) quoted = true;
      yield chunk;
    }
  }
  // pipeline() destroys the source when the rows stop being read, which releases the S3 body.
  pipeline(Readable.from(watched(chunks)), rows, () => undefined);

  let columns: ColumnIndex | undefined;
  /** The columns of `ORDER_FIELDS`, in that order. */
  let orderColumns: number[] = [];
  let line = 1;
  let group: Group | undefined;
  let batch: ParsedEntry[] = [];
  for await (const block of batchesOf<string[]>(rows, 1024)) {
    for (const row of block) {
      const rowLine = line;
      line += quoted ? 1 + newlinesIn(row) : 1;
      if (row.length === 1 && row[0].trim() === "") continue;
      if (columns === undefined) {
        columns = columnIndex(row);
        orderColumns = ORDER_FIELDS.map((field) => columns![field]);
        continue;
      }
      const orderId = (row[columns.order_id] ?? "").trim();
      const item: RawItem = { sku: row[columns.sku], quantity: row[columns.quantity], unitPrice: row[columns.unit_price], line: rowLine };
      if (group !== undefined && orderId !== "" && orderId === group.orderId) {
        if (group.conflict === undefined) {
          for (let f = 0; f < ORDER_FIELDS.length; f++) {
            const field = ORDER_FIELDS[f];
            const raw = row[orderColumns[f]];
            const expected = group.fields[field];
            // A value equal to the (trimmed) first row's needs no trimming to agree with it.
            if (raw === expected) continue;
            const value = raw?.trim();
            if (value !== expected) {
              group.conflict = {
                field: FIELD_NAMES[field],
                message: `${field} "${value ?? ""}" on line ${rowLine} differs from "${group.fields[field] ?? ""}" on line ${group.line}; rows of one order must agree`,
              };
              break;
            }
          }
        }
        group.itemCount++;
        if (group.items.length <= LIMITS.maxItems) group.items.push(item);
        continue;
      }
      if (group !== undefined) batch.push(toEntry(group));
      group = {
        line: rowLine,
        orderId,
        fields: { customer_id: row[columns.customer_id]?.trim(), order_date: row[columns.order_date]?.trim(), currency: row[columns.currency]?.trim() },
        items: [item],
        itemCount: 1,
      };
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (columns === undefined) throw new MissingColumnError(CSV_COLUMNS);
  if (group !== undefined) batch.push(toEntry(group));
  if (batch.length > 0) yield batch;
}
