// Text made safe to store and publish: well-formed, and cut to a length.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/**
 * `text` with each lone surrogate (half of a character, which JSON text may carry as `\ud83d`)
 * replaced by U+FFFD. DynamoDB and SNS take UTF-8, which cannot encode a lone surrogate, so
 * every string stored or published from a file's content goes through here or `clip`.
 */
export function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, "\ufffd") : text;
}

/**
 * `text`, well-formed, and when longer than `length` UTF-16 units cut to `length` with "..." at
 * the end, never between the two halves of a character.
 */
export function clip(text: string, length: number): string {
  if (text.length <= length) return wellFormed(text);
  let end = length - 3;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${wellFormed(text.slice(0, end))}...`;
}
