import { FORMAT, type Format } from "./types";

const EXTENSION_FORMATS: Readonly<Record<string, Format>> = {
  csv: FORMAT.csv,
  json: FORMAT.json,
  ndjson: FORMAT.ndjson,
  jsonl: FORMAT.ndjson,
  xml: FORMAT.xml,
};

/**
 * Decodes an S3 event key (form-URL encoded: `orders+1.csv` is `orders 1.csv`). A malformed escape
 * can't come from S3; such a key is kept as it arrived so the object lookup fails visibly instead.
 */
export function decodeEventKey(encoded: string): string {
  const spaced = encoded.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The format named by the key's extension (case-insensitive), or `unknown`. */
export function formatOfKey(key: string): Format {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot < 0) return FORMAT.unknown;
  return EXTENSION_FORMATS[name.slice(dot + 1).toLowerCase()] ?? FORMAT.unknown;
}

/** Whether the key is under the prefix and names something after it. */
export function isUnderPrefix(key: string, prefix: string): boolean {
  return key.startsWith(prefix) && key.length > prefix.length;
}

/** The longest object key S3 accepts, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** Whether S3 accepts `key` as an object key: at most 1,024 bytes of UTF-8. */
export function fitsS3Key(key: string): boolean {
  return Buffer.byteLength(key, "utf8") <= MAX_KEY_BYTES;
}

/** `processed/<key after incoming/>.ndjson`, for a key under `incomingPrefix`. */
export function outputKeyFor(key: string, incomingPrefix: string, outputPrefix: string): string {
  return `${outputPrefix}${key.slice(incomingPrefix.length)}.ndjson`;
}
