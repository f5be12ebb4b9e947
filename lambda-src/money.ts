const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Minor units (cents) of a non-negative decimal with at most 2 fraction digits, or `undefined`
 * when the text is not one. Integer arithmetic only: `"0.10"` is exactly `10n`.
 */
export function parseMinorUnits(text: string): bigint | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = match[2] === undefined ? "00" : match[2].padEnd(2, "0");
  return BigInt(match[1]) * 100n + BigInt(fraction);
}

/**
 * The decimal text of a JSON number as the partner wrote it (`12.5`, `3`); `undefined` for
 * values with no plain decimal form (`1e21`, `NaN`). `String()` gives the shortest text that
 * round-trips, which is the literal for any price with up to 15 significant digits.
 */
export function decimalTextOfNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  return /[eE]/.test(text) ? undefined : text;
}

/** `1250n` -> `"12.50"`. */
export function formatMinorUnits(minor: bigint): string {
  const cents = minor % 100n;
  return `${minor / 100n}.${cents < 10n ? "0" : ""}${cents}`;
}
