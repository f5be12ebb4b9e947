/** An amount in minor units (cents): a number while exact, a bigint beyond that. */
export type MinorUnits = number | bigint;

/** Most integer digits whose minor units (x 100, plus cents) are certainly a safe integer: 13 (15 would overflow 2^53). */
const SAFE_DIGITS = 13;
/** Above this many minor units a line (quantity <= 1e6) could leave exact double arithmetic. */
export const SAFE_PRICE = 9_000_000;

/**
 * Minor units (cents) of a non-negative decimal with at most 2 fraction digits (`"12.5"`,
 * `"0.10"`, `"3"`), or `undefined` when the text is not one. Integer arithmetic only: `"0.10"` is
 * exactly 10, and long values become bigints.
 */
export function parseMinorUnits(text: string): MinorUnits | undefined {
  const length = text.length;
  let units = 0;
  let i = 0;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) break;
    if (code < 48 || code > 57) return undefined;
    units = units * 10 + (code - 48);
  }
  const integerDigits = i;
  if (integerDigits === 0) return undefined;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < length) {
    fractionDigits = length - i - 1;
    if (fractionDigits < 1 || fractionDigits > 2) return undefined;
    for (let j = i + 1; j < length; j++) {
      const code = text.charCodeAt(j);
      if (code < 48 || code > 57) return undefined;
      fraction = fraction * 10 + (code - 48);
    }
    if (fractionDigits === 1) fraction *= 10;
  }
  if (integerDigits > SAFE_DIGITS) return BigInt(text.slice(0, integerDigits)) * 100n + BigInt(fraction);
  return units * 100 + fraction;
}

/** Most significant digits a JSON number is certain to carry exactly through a double. */
export const MAX_EXACT_NUMBER_DIGITS = 15;

/**
 * The decimal text of a JSON number as the partner wrote it (`12.5`, `3`); `undefined` for a
 * value that is no amount (negative, `1e-7`, `NaN`), and `"inexact"` for a value of more than 15
 * significant digits: the parser has already rounded such a literal to the nearest double
 * (`12345678901234567.89` arrives as `12345678901234568`), so its cents cannot be trusted.
 * Trailing zeros of a large value count too (`1e16` is also what `10000000000000001` arrives
 * as), and so every value of 1e21 or more, which `String()` writes with an exponent, is inexact.
 * `String()` gives the shortest text that round-trips, which is the literal for up to 15 digits.
 */
export function decimalTextOfNumber(value: number): string | "inexact" | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const text = String(value);
  if (text.includes("e")) return value >= 1 ? "inexact" : undefined;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Leading zeros are not significant; every digit after the first nonzero one is.
    if ((code >= 49 && code <= 57) || (code === 48 && digits > 0)) digits++;
  }
  return digits > MAX_EXACT_NUMBER_DIGITS ? "inexact" : text;
}

/** Exact sum of quantity x price over the lines, in minor units. */
export function lineTotal(lines: readonly { readonly quantity: number; readonly minor: MinorUnits }[]): MinorUnits {
  let exact = true;
  for (const line of lines) if (typeof line.minor !== "number" || line.minor > SAFE_PRICE) exact = false;
  if (exact && lines.length <= 1000) {
    // <= 1000 lines x 1e6 x 9e6 stays below 2^53: plain integer arithmetic is exact.
    let total = 0;
    for (const line of lines) total += line.quantity * (line.minor as number);
    return total;
  }
  let total = 0n;
  for (const line of lines) total += BigInt(line.quantity) * BigInt(line.minor);
  return total;
}

/** `1250` -> `"12.50"`. */
export function formatMinorUnits(minor: MinorUnits): string {
  if (typeof minor === "bigint") {
    const cents = minor % 100n;
    return `${minor / 100n}.${cents < 10n ? "0" : ""}${cents}`;
  }
  const cents = minor % 100;
  return `${(minor - cents) / 100}.${cents < 10 ? "0" : ""}${cents}`;
}
