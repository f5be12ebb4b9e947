import { isAscii } from "node:buffer";
import { EmptyFileError, FileTooLargeError, InvalidEncodingError } from "./errors";

/** Counts of what `decodeText` has read so far. */
export interface ReadProgress {
  /** Bytes read from the source. */
  bytes: number;
}

const NON_BLANK = /[^\s\uFEFF]/;

/** True when the bytes end inside a multi-byte UTF-8 sequence (the decoder then holds its start). */
function endsMidCharacter(bytes: Uint8Array): boolean {
  const length = bytes.length;
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[length - back];
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0x80) return false;
    return (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) > back;
  }
  return false;
}

/**
 * Decodes UTF-8 chunks into text chunks as they arrive: an optional byte-order mark is dropped,
 * invalid UTF-8 fails the file, more than `maxBytes` fails it as soon as the limit is crossed,
 * and a file with nothing but whitespace fails as empty. A pure-ASCII chunk (checked natively)
 * that follows a whole character skips the validating decoder: its Latin-1 reading is the same
 * text at a fraction of the cost. The first chunk always goes through it, so only a leading BOM
 * is dropped.
 */
export async function* decodeText(source: AsyncIterable<Uint8Array>, maxBytes: number, progress: ReadProgress = { bytes: 0 }): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let content = false;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new InvalidEncodingError(progress.bytes);
    }
  };
  /** The decoder has seen the start of the stream and holds no partial character. */
  let clean = false;
  for await (const chunk of source) {
    progress.bytes += chunk.byteLength;
    if (progress.bytes > maxBytes) throw new FileTooLargeError(progress.bytes, maxBytes);
    let text: string;
    if (clean && isAscii(chunk)) text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    else {
      text = decode(chunk);
      clean = text.length > 0 && !endsMidCharacter(chunk);
    }
    if (!content) content = NON_BLANK.test(text);
    if (text.length > 0) yield text;
  }
  const rest = decode();
  if (!content) content = NON_BLANK.test(rest);
  if (!content) throw new EmptyFileError();
  if (rest.length > 0) yield rest;
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
