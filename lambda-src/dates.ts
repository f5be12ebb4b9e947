const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function offsetMinutes(zone: string): number {
  if (zone === "Z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return Number.NaN;
  return sign * (hours * 60 + minutes);
}

/** Why a date was refused, phrased for the partner. */
export type DateProblem = "format" | "zone" | "range";

/**
 * Normalizes an ISO 8601 date (`2025-07-10`, read as midnight UTC) or a date-time with `Z` or an
 * offset to UTC `YYYY-MM-DDTHH:mm:ss.sssZ`; returns the problem instead when it is not one.
 */
export function normalizeOrderDate(text: string): string | DateProblem {
  const m = ISO_8601.exec(text);
  if (!m) return "format";
  if (m[4] !== undefined && m[8] === undefined) return "zone";
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  const offset = m[8] === undefined ? 0 : offsetMinutes(m[8]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return "range";
  if (hour > 23 || minute > 59 || second > 59 || Number.isNaN(offset)) return "range";
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, second, millis);
  const utcYear = date.getUTCFullYear();
  if (utcYear < 0 || utcYear > 9999) return "range";
  return date.toISOString();
}
