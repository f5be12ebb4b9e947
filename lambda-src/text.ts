import { isAscii } from "node:buffer";
import { EmptyFileError, FileTooLargeError, InvalidEncodingError, type NotTextKind } from "./errors";

/** Counts of what `decodeText` has read so far. */
export interface ReadProgress {
  /** Bytes read from the source. */
  bytes: number;
}

const NON_BLANK = /[^\s\uFEFF]/;

const NO_BYTES = new Uint8Array(0);

/** How many bytes at the end of `bytes` start a character that continues after them (the decoder then holds them): 0 to 3. */
function midCharacterTail(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[length - back];
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0x80) return 0;
    return (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) > back ? back : 0;
  }
  return 0;
}

/**
 * Index of the first byte of the first ill-formed UTF-8 sequence in `bytes` (one cut off by the
 * end included), or -1: the same sequences `TextDecoder` refuses (overlong forms, surrogates,
 * code points past U+10FFFF). Run only after the decoder has failed, to say where.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let follow: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) follow = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      follow = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      follow = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + follow >= bytes.length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k <= follow; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += follow + 1;
  }
  return -1;
}

/**
 * Decodes UTF-8 chunks into text chunks as they arrive: an optional byte-order mark is dropped,
 * invalid UTF-8 fails the file, more than `maxBytes` fails it as soon as the limit is crossed,
 * and a file with nothing but whitespace fails as empty. A pure-ASCII chunk (checked natively)
 * that follows a whole character skips the validating decoder: its Latin-1 reading is the same
 * text at a fraction of the cost. The first chunk always goes through it, so only a leading BOM
 * is dropped. The text before an invalid byte is still yielded before the error is thrown, so a
 * problem the parser finds earlier in the file is the one reported, wherever the chunks are cut.
 */
export async function* decodeText(source: AsyncIterable<Uint8Array>, maxBytes: number, progress: ReadProgress = { bytes: 0 }): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let content = false;
  /** The start of a character the last decoded chunk ended in, which the decoder holds. */
  let carried: Uint8Array = NO_BYTES;
  /** Set when the decoder refused a chunk: thrown once the text before the bad byte is yielded. */
  let failure: InvalidEncodingError | undefined;
  /** The file's first bytes, which name what a file that is not text is instead. */
  let head: Uint8Array = NO_BYTES;
  /** The chunk's text; on invalid UTF-8, the text before the bad byte, with `failure` set. */
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      // Where: the decoder says only that it failed. The bytes it holds come first.
      const bytes = chunk === undefined ? carried : Buffer.concat([carried, chunk]);
      const start = progress.bytes - bytes.byteLength;
      const bad = Math.max(0, firstInvalidUtf8(bytes));
      failure = new InvalidEncodingError(start + bad, notTextKind(head));
      // A BOM is dropped only at the start of the file.
      return new TextDecoder("utf-8", { ignoreBOM: start > 0 }).decode(bytes.subarray(0, bad));
    }
  };
  /** The decoder has seen the start of the stream and holds no partial character. */
  let clean = false;
  for await (const chunk of source) {
    if (head.byteLength < 4) head = Buffer.concat([head, chunk.subarray(0, 4 - head.byteLength)]);
    progress.bytes += chunk.byteLength;
    if (progress.bytes > maxBytes) throw new FileTooLargeError(progress.bytes, maxBytes);
    let text: string;
    if (clean && isAscii(chunk)) text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    else {
      text = decode(chunk);
      // A chunk shorter than a character may continue the one the decoder holds.
      const last = carried.byteLength > 0 && chunk.byteLength < 4 ? Buffer.concat([carried, chunk]) : chunk;
      const tail = midCharacterTail(last);
      carried = tail === 0 ? NO_BYTES : last.subarray(last.byteLength - tail);
      clean = text.length > 0 && tail === 0;
    }
    if (!content) content = NON_BLANK.test(text);
    if (text.length > 0) yield text;
    if (failure !== undefined) throw failure;
  }
  const rest = decode();
  if (failure !== undefined) throw failure;
  if (!content) content = NON_BLANK.test(rest);
  if (!content) throw new EmptyFileError();
  if (rest.length > 0) yield rest;
}

/** What the first bytes of a file that is not UTF-8 say it is: gzip, ZIP or UTF-16 (by its BOM). */
function notTextKind(head: Uint8Array): NotTextKind | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "zip";
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return "utf-16";
  return undefined;
}

/** A visible ASCII character: never whitespace to `String.prototype.trim`. */
function visible(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

/**
 * `text.trim()`, skipping the builtin when the first and last characters are visible ASCII, as
 * almost every field's are: the builtin costs a few hundred instructions even with nothing to trim.
 */
export function trimmed(text: string): string {
  const last = text.length - 1;
  return last >= 0 && visible(text.charCodeAt(0)) && visible(text.charCodeAt(last)) ? text : text.trim();
}

/** True when the text is empty or only whitespace (as `trim` sees it). */
export function isBlank(text: string): boolean {
  return text.length === 0 || (!visible(text.charCodeAt(0)) && text.trim() === "");
}

/** Characters (code points, as editors and partners count them, and as `[...text]` does: a lone surrogate is one) of `text` from `start` to `end`. */
export function codePoints(text: string, start = 0, end = text.length): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    // The low half of a surrogate pair was counted with its high half; a lone one is a character of its own.
    if (code >= 0xdc00 && code <= 0xdfff && i > start && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) continue;
    count++;
  }
  return count;
}

/** What kind of JSON value `value` is, for a message: `null`, `an array`, `a string`, ... */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
