import { EmptyFileError, FileTooLargeError, InvalidEncodingError } from "./errors";

/** Counts of what `decodeText` has read so far. */
export interface ReadProgress {
  /** Bytes read from the source. */
  bytes: number;
}

const NON_BLANK = /[^\s\uFEFF]/;

/**
 * Decodes UTF-8 chunks into text chunks as they arrive: an optional byte-order mark is dropped,
 * invalid UTF-8 fails the file, more than `maxBytes` fails it as soon as the limit is crossed,
 * and a file with nothing but whitespace fails as empty.
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
  for await (const chunk of source) {
    progress.bytes += chunk.byteLength;
    if (progress.bytes > maxBytes) throw new FileTooLargeError(progress.bytes, maxBytes);
    const text = decode(chunk);
    if (!content) content = NON_BLANK.test(text);
    if (text.length > 0) yield text;
  }
  const rest = decode();
  if (!content) content = NON_BLANK.test(rest);
  if (!content) throw new EmptyFileError();
  if (rest.length > 0) yield rest;
}
