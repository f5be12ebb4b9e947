import { ISO_LENGTH, putIsoDate } from "./dates";
import { formatMinorUnits, type MinorUnits } from "./money";
import type { SourcePosition } from "./types";
import type { CheckedOrder } from "./validation";

/** Size of the output blocks handed to the sink. */
const BLOCK_BYTES = 1 << 18;
/** Most bytes one UTF-16 code unit can take in JSON text: `\u001f`. */
const MAX_BYTES_PER_UNIT = 6;
const HEX = "0123456789abcdef";

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

const ORDER_ID = ascii('{"orderId":');
const CUSTOMER_ID = ascii(',"customerId":');
const ORDER_DATE = ascii(',"orderDate":"');
const CURRENCY = ascii('","currency":"');
const FIRST_SKU = ascii('","items":[{"sku":');
const NEXT_SKU = ascii('"},{"sku":');
const QUANTITY = ascii(',"quantity":');
const UNIT_PRICE = ascii(',"unitPrice":"');
const TOTAL = ascii('"}],"total":"');

/**
 * Writes normalized orders as NDJSON lines (the contract's keys in the contract's order, the same
 * text as `JSON.stringify` of the normalized order) straight into UTF-8 byte blocks: no per-order
 * strings, no string concatenation to flatten, no separate encoding pass. Full blocks wait in
 * `take()` for the caller to hand them to the output.
 */
export class NdjsonWriter {
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private at = 0;
  private readonly full: Uint8Array[] = [];
  /** `","source":{"file":"<file>","line":` and its `"index"` twin, as UTF-8. */
  private readonly sourceLine: Uint8Array;
  private readonly sourceIndex: Uint8Array;

  /** @param file the decoded object key, written to each order's `source.file`. */
  constructor(file: string) {
    const source = `","source":{"file":${JSON.stringify(file)}`;
    this.sourceLine = new Uint8Array(Buffer.from(`${source},"line":`));
    this.sourceIndex = new Uint8Array(Buffer.from(`${source},"index":`));
  }

  /** Bytes written and not yet taken. */
  get pendingBytes(): number {
    let bytes = this.at;
    for (const block of this.full) bytes += block.byteLength;
    return bytes;
  }

  /** The bytes written since the last call, in order, as whole lines. */
  take(): Uint8Array[] {
    const blocks = this.full.splice(0);
    if (this.at > 0) {
      blocks.push(this.block.subarray(0, this.at));
      this.block = Buffer.allocUnsafe(BLOCK_BYTES);
      this.at = 0;
    }
    return blocks;
  }

  /** Appends the order `check` accepted last, found at `position`, as one line. */
  write(order: CheckedOrder, position: SourcePosition): void {
    const count = order.itemCount;
    // An upper bound of the line's size, so the writes below need no checks.
    let bound = 160 + this.sourceIndex.length + MAX_BYTES_PER_UNIT * (order.orderId.length + order.customerId.length) + ISO_LENGTH + order.currency.length + moneyBound(order.total);
    for (let i = 0; i < count; i++) bound += 64 + MAX_BYTES_PER_UNIT * order.skus[i].length + moneyBound(order.prices[i]);
    this.reserve(bound);
    const block = this.block;
    let at = put(block, this.at, ORDER_ID);
    at = putString(block, at, order.orderId);
    at = put(block, at, CUSTOMER_ID);
    at = putString(block, at, order.customerId);
    at = put(block, at, ORDER_DATE);
    at = putIsoDate(block, at, order.orderDateMs);
    at = put(block, at, CURRENCY);
    at = putAscii(block, at, order.currency);
    for (let i = 0; i < count; i++) {
      at = put(block, at, i === 0 ? FIRST_SKU : NEXT_SKU);
      at = putString(block, at, order.skus[i]);
      at = put(block, at, QUANTITY);
      at = putInteger(block, at, order.quantities[i]);
      at = put(block, at, UNIT_PRICE);
      at = putMoney(block, at, order.prices[i]);
    }
    at = put(block, at, TOTAL);
    at = putMoney(block, at, order.total);
    if ("line" in position) {
      at = put(block, at, this.sourceLine);
      at = putInteger(block, at, position.line);
    } else {
      at = put(block, at, this.sourceIndex);
      at = putInteger(block, at, position.index);
    }
    block[at] = 125; // }}\n
    block[at + 1] = 125;
    block[at + 2] = 10;
    this.at = at + 3;
  }

  /** Makes room for `bytes` more bytes, starting a new block when this one is too full. */
  private reserve(bytes: number): void {
    if (this.at + bytes <= this.block.length) return;
    if (this.at > 0) this.full.push(this.block.subarray(0, this.at));
    this.block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, bytes));
    this.at = 0;
  }
}

/** Most bytes `putMoney` writes for the amount. */
function moneyBound(minor: MinorUnits): number {
  return typeof minor === "number" ? 24 : formatMinorUnits(minor).length;
}

/**
 * Copies constant bytes with `set`, a native copy: even for the shortest constants here it runs
 * about a third of the instructions of a byte loop.
 */
function put(block: Uint8Array, start: number, bytes: Uint8Array): number {
  block.set(bytes, start);
  return start + bytes.length;
}

/** Text known to be ASCII and to need no escaping (currency codes, digits). */
function putAscii(block: Uint8Array, start: number, text: string): number {
  let at = start;
  for (let i = 0; i < text.length; i++) block[at++] = text.charCodeAt(i);
  return at;
}

/** A non-negative safe integer in decimal. */
function putInteger(block: Uint8Array, start: number, value: number): number {
  if (value < 10) {
    block[start] = 48 + value;
    return start + 1;
  }
  if (value > 0x7fffffff) return putAscii(block, start, String(value));
  let digits = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
  let rest = value;
  for (let i = start + digits - 1; i >= start; i--) {
    const next = (rest / 10) | 0;
    block[i] = 48 + rest - next * 10;
    rest = next;
  }
  return start + digits;
}

/** Minor units as the text of `"12.50"` without its quotes. */
function putMoney(block: Uint8Array, start: number, minor: MinorUnits): number {
  if (typeof minor !== "number") return putAscii(block, start, formatMinorUnits(minor));
  const cents = minor % 100;
  const at = putInteger(block, start, (minor - cents) / 100);
  block[at] = 46;
  block[at + 1] = 48 + ((cents / 10) | 0);
  block[at + 2] = 48 + (cents % 10);
  return at + 3;
}

/** A JSON string, quotes included, escaped exactly as `JSON.stringify` escapes it, in UTF-8. */
function putString(block: Uint8Array, start: number, text: string): number {
  const length = text.length;
  let at = start;
  block[at++] = 34;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 0x20 && code !== 34 && code !== 92) block[at++] = code;
      else at = escape(block, at, code);
    } else if (code < 0x800) {
      block[at++] = 0xc0 | (code >> 6);
      block[at++] = 0x80 | (code & 0x3f);
    } else if (code < 0xd800 || code > 0xdfff) {
      block[at++] = 0xe0 | (code >> 12);
      block[at++] = 0x80 | ((code >> 6) & 0x3f);
      block[at++] = 0x80 | (code & 0x3f);
    } else {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        block[at++] = 0xf0 | (point >> 18);
        block[at++] = 0x80 | ((point >> 12) & 0x3f);
        block[at++] = 0x80 | ((point >> 6) & 0x3f);
        block[at++] = 0x80 | (point & 0x3f);
        i++;
      } else at = escape(block, at, code);
    }
  }
  block[at++] = 34;
  return at;
}

/** `\"`, `\\`, `\n` and friends, or `\u00XX`/`\udXXX` (lone surrogates), as JSON.stringify writes them. */
function escape(block: Uint8Array, start: number, code: number): number {
  let at = start;
  block[at++] = 92;
  const short = code === 34 ? 34 : code === 92 ? 92 : code === 8 ? 98 : code === 9 ? 116 : code === 10 ? 110 : code === 12 ? 102 : code === 13 ? 114 : 0;
  if (short !== 0) {
    block[at++] = short;
    return at;
  }
  block[at++] = 117;
  for (let shift = 12; shift >= 0; shift -= 4) block[at++] = HEX.charCodeAt((code >> shift) & 0xf);
  return at;
}
