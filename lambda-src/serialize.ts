import { ISO_LENGTH, putIsoDate } from "./dates";
import { formatMinorUnits, type MinorUnits } from "./money";
import type { SourcePosition } from "./types";
import type { CheckedOrder } from "./validation";

/** Size of the output blocks handed to the sink. */
const BLOCK_BYTES = 1 << 18;
/** Most bytes one UTF-16 code unit can take in JSON text: `\u001f`. */
const MAX_BYTES_PER_UNIT = 6;
const HEX = "0123456789abcdef";

/**
 * Constant UTF-8 bytes as little-endian 32-bit words, the last one padded, so a `DataView` writes
 * it four bytes at a time in code the JIT inlines. `Uint8Array.prototype.set` is a builtin call
 * of about 20 ns even for a dozen bytes: the writer runs about 13% faster this way.
 */
class Constant {
  readonly length: number;
  readonly words: Int32Array;
  constructor(bytes: Uint8Array) {
    this.length = bytes.length;
    this.words = new Int32Array(Math.ceil(bytes.length / 4));
    for (let i = 0; i < bytes.length; i++) this.words[i >> 2] |= bytes[i] << (8 * (i & 3));
  }
}

function ascii(text: string): Constant {
  return new Constant(Uint8Array.from(text, (char) => char.charCodeAt(0)));
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
  private view = viewOf(this.block);
  private at = 0;
  private readonly full: Uint8Array[] = [];
  /** `","source":{"file":"<file>","line":` and its `"index"` twin, as UTF-8. */
  private readonly sourceLine: Constant;
  private readonly sourceIndex: Constant;

  /** @param file the decoded object key, written to each order's `source.file`. */
  constructor(file: string) {
    const source = `","source":{"file":${JSON.stringify(file)}`;
    this.sourceLine = new Constant(Buffer.from(`${source},"line":`));
    this.sourceIndex = new Constant(Buffer.from(`${source},"index":`));
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
      this.view = viewOf(this.block);
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
    const view = this.view;
    let at = put(view, this.at, ORDER_ID);
    at = putString(block, at, order.orderId);
    at = put(view, at, CUSTOMER_ID);
    at = putString(block, at, order.customerId);
    at = put(view, at, ORDER_DATE);
    at = putIsoDate(block, at, order.orderDateMs);
    at = put(view, at, CURRENCY);
    at = putAscii(block, at, order.currency);
    for (let i = 0; i < count; i++) {
      at = put(view, at, i === 0 ? FIRST_SKU : NEXT_SKU);
      at = putString(block, at, order.skus[i]);
      at = put(view, at, QUANTITY);
      at = putInteger(block, at, order.quantities[i]);
      at = put(view, at, UNIT_PRICE);
      at = putMoney(block, at, order.prices[i]);
    }
    at = put(view, at, TOTAL);
    at = putMoney(block, at, order.total);
    if ("line" in position) {
      at = put(view, at, this.sourceLine);
      at = putInteger(block, at, position.line);
    } else {
      at = put(view, at, this.sourceIndex);
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
    this.view = viewOf(this.block);
    this.at = 0;
  }
}

/** Most bytes `putMoney` writes for the amount. */
function moneyBound(minor: MinorUnits): number {
  return typeof minor === "number" ? 24 : formatMinorUnits(minor).length;
}

/** A view for the word writes of `put`. */
function viewOf(block: Buffer): DataView {
  return new DataView(block.buffer, block.byteOffset, block.byteLength);
}

/**
 * Writes a constant at `start`; returns the offset after its text. The last word may write up to
 * 3 bytes past it, which the line's next bytes overwrite (every constant is followed by more of
 * the line, and `write` reserves room for the whole line with bytes to spare).
 */
function put(view: DataView, start: number, constant: Constant): number {
  const words = constant.words;
  for (let i = 0; i < words.length; i++) view.setInt32(start + 4 * i, words[i], true);
  return start + constant.length;
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
