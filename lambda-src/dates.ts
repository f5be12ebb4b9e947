const DAY_MS = 86_400_000;

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysIn(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The calendar fields of epoch milliseconds (years 0000-9999): year, month, day, hour, minute,
 * second, millisecond. One array, reused, so the writer's path allocates nothing.
 */
const CIVIL = new Int32Array(7);

function civilOf(ms: number): Int32Array {
  const days = Math.floor(ms / DAY_MS);
  const rest = ms - days * DAY_MS;
  // civil_from_days
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  CIVIL[0] = yoe + era * 400 + (month <= 2 ? 1 : 0);
  CIVIL[1] = month;
  CIVIL[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
  CIVIL[3] = Math.floor(rest / 3_600_000);
  CIVIL[4] = Math.floor(rest / 60_000) % 60;
  CIVIL[5] = Math.floor(rest / 1000) % 60;
  CIVIL[6] = rest % 1000;
  return CIVIL;
}

/** Length of `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export const ISO_LENGTH = 24;
/** Digits of each calendar field in that form, and the character after it. */
const ISO_WIDTHS = [4, 2, 2, 2, 2, 2, 3];
const ISO_AFTER = Uint8Array.from("--T::.Z", (char) => char.charCodeAt(0));

/**
 * Writes epoch milliseconds (years 0000-9999) as the ASCII bytes of `YYYY-MM-DDTHH:mm:ss.sssZ` at
 * `start`; returns the offset after them. The output writer's path: no string is made.
 */
export function putIsoDate(bytes: Uint8Array, start: number, ms: number): number {
  const fields = civilOf(ms);
  let at = start;
  for (let f = 0; f < 7; f++) {
    const width = ISO_WIDTHS[f];
    let rest = fields[f];
    for (let i = at + width - 1; i >= at; i--) {
      const next = (rest / 10) | 0;
      bytes[i] = 48 + rest - next * 10;
      rest = next;
    }
    bytes[at + width] = ISO_AFTER[f];
    at += width + 1;
  }
  return at;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` of epoch milliseconds, for years 0000-9999. */
export function isoOf(ms: number): string {
  const bytes = new Uint8Array(ISO_LENGTH);
  putIsoDate(bytes, 0, ms);
  return String.fromCharCode(...bytes);
}

/** Why a date was refused, phrased for the partner by the caller. */
export type DateProblem = "format" | "zone" | "range";

/** The two ASCII digits at `at` as a number, or -1 (also past the end: `charCodeAt` is then NaN). */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

const MIN_MS = daysFromCivil(0, 1, 1) * DAY_MS;
const MAX_MS = daysFromCivil(10000, 1, 1) * DAY_MS;

/**
 * Reads an ISO 8601 date (`2025-07-10`, read as midnight UTC) or a date-time with `Z` or an offset
 * (`+02`, `+0200`, `+02:00`; seconds and a fraction of them optional) as epoch milliseconds, or
 * the problem when it is not one. One pass of integer arithmetic, no regular expression and no
 * `Date`: this runs once per order.
 */
export function orderDateMillis(text: string): number | DateProblem {
  const length = text.length;
  const century = twoDigits(text, 0);
  const yearOf = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || yearOf < 0 || month < 0 || day < 0 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return "format";
  const year = century * 100 + yearOf;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offset = 0;
  let offsetHours = 0;
  let offsetMinutes = 0;
  if (length > 10) {
    hour = twoDigits(text, 11);
    minute = twoDigits(text, 14);
    if (text.charCodeAt(10) !== 84 || hour < 0 || text.charCodeAt(13) !== 58 || minute < 0) return "format";
    let at = 16;
    if (text.charCodeAt(at) === 58) {
      second = twoDigits(text, at + 1);
      if (second < 0) return "format";
      at += 3;
      const mark = text.charCodeAt(at);
      if (mark === 46 || mark === 44) {
        const first = ++at;
        for (let digit = text.charCodeAt(at) - 48; digit >= 0 && digit <= 9; digit = text.charCodeAt(at) - 48) {
          if (at - first < 3) millis = millis * 10 + digit;
          at++;
        }
        if (at === first) return "format";
        for (let place = at - first; place < 3; place++) millis *= 10;
      }
    }
    if (at === length) return "zone";
    const zone = text.charCodeAt(at);
    if (zone === 90) at++;
    else if (zone === 43 || zone === 45) {
      offsetHours = twoDigits(text, at + 1);
      if (offsetHours < 0) return "format";
      at += 3;
      if (at < length) {
        if (text.charCodeAt(at) === 58) at++;
        offsetMinutes = twoDigits(text, at);
        if (offsetMinutes < 0) return "format";
        at += 2;
      }
      offset = (zone === 45 ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
    } else return "format";
    if (at !== length) return "format";
  }
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return "range";
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return "range";
  const ms = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis;
  if (ms < MIN_MS || ms >= MAX_MS) return "range";
  return ms;
}

/**
 * Normalizes an ISO 8601 date (`2025-07-10`, read as midnight UTC) or a date-time with `Z` or an
 * offset to UTC `YYYY-MM-DDTHH:mm:ss.sssZ`; returns the problem instead when it is not one.
 */
export function normalizeOrderDate(text: string): string | DateProblem {
  const ms = orderDateMillis(text);
  return typeof ms === "number" ? isoOf(ms) : ms;
}
