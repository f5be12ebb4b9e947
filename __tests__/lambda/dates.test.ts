import { normalizeOrderDate, orderDateMillis } from "../../lambda-src/dates";

describe("normalizeOrderDate", () => {
  it.each([
    ["2025-07-10", "2025-07-10T00:00:00.000Z"],
    ["2025-07-10T14:30:00Z", "2025-07-10T14:30:00.000Z"],
    ["2025-07-10T14:30Z", "2025-07-10T14:30:00.000Z"],
    ["2025-07-10T00:30:00+02:00", "2025-07-09T22:30:00.000Z"],
    ["2025-12-31T23:30:00-0130", "2026-01-01T01:00:00.000Z"],
    ["2025-07-10T14:30:00.123456+05", "2025-07-10T09:30:00.123Z"],
    ["2025-07-10T14:30:00,5Z", "2025-07-10T14:30:00.500Z"],
    ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
    ["2000-02-29", "2000-02-29T00:00:00.000Z"],
    ["2025-07-10T10:00:00+05:59", "2025-07-10T04:01:00.000Z"],
    ["1600-03-01", "1600-03-01T00:00:00.000Z"],
  ])("normalizes %s to %s", (text, iso) => {
    expect(normalizeOrderDate(text)).toBe(iso);
  });

  it("agrees with Date for a spread of instants", () => {
    for (let ms = Date.UTC(1970, 0, 1); ms < Date.UTC(2100, 0, 1); ms += 86_400_000 * 37 + 3_723_456) {
      const iso = new Date(ms).toISOString();
      expect(normalizeOrderDate(iso)).toBe(iso);
    }
  });

  it.each([
    ["2025-02-29", "range"],
    ["2100-02-29", "range"],
    ["2025-07-10T10:00:00+05:60", "range"],
    ["2025-06-30T23:59:60Z", "range"],
    ["2025-13-01", "range"],
    ["2025-07-10T24:00:00Z", "range"],
    ["2025-07-10T10:00:00+24:00", "range"],
    ["2025-07-10T10:00:00", "zone"],
    ["10/07/2025", "format"],
    ["2025-7-10", "format"],
    ["2025-07-10 10:00:00Z", "format"],
  ])("refuses %s (%s)", (text, problem) => {
    expect(normalizeOrderDate(text)).toBe(problem);
  });
});

/** The pattern the scanner replaced, kept as the oracle for which texts are dates. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function oracle(text: string): "date" | "zone" | "format" {
  const m = ISO_8601.exec(text);
  if (!m) return "format";
  return m[4] !== undefined && m[8] === undefined ? "zone" : "date";
}

describe("orderDateMillis", () => {
  const shapes = [
    "2025-07-10",
    "2025-07-10T14:30Z",
    "2025-07-10T14:30:05Z",
    "2025-07-10T14:30:05.1Z",
    "2025-07-10T14:30:05,123456-03",
    "2025-07-10T14:30:05+0530",
    "2025-07-10T14:30:05-05:45",
    "2025-07-10T14:30",
    "2025-07-10T14:30:05.5",
  ];
  const replacements = ["", "0", "9", "-", ":", "T", "Z", "+", ".", ",", " ", "x", "١"];

  it("accepts exactly what the ISO 8601 pattern accepts, over every one-character edit of each shape", () => {
    let compared = 0;
    for (const shape of shapes) {
      for (let at = 0; at <= shape.length; at++) {
        for (const replacement of replacements) {
          for (const text of [shape.slice(0, at) + replacement + shape.slice(at + 1), shape.slice(0, at) + replacement + shape.slice(at)]) {
            const result = orderDateMillis(text);
            const expected = oracle(text);
            // A text of the pattern is a date, or "range" when its fields are out of range.
            const outcome = typeof result === "number" || result === "range" ? "date" : result;
            expect([text, outcome]).toEqual([text, expected]);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it("gives the instant Date.parse gives for every accepted text it can compare", () => {
    for (let ms = Date.UTC(1, 0, 1); ms < Date.UTC(9999, 11, 31); ms += 86_400_000 * 1_301 + 7_654_321) {
      const iso = new Date(ms).toISOString();
      expect(orderDateMillis(iso)).toBe(ms);
      expect(orderDateMillis(`${iso.slice(0, 19)}+01:30`)).toBe(Math.floor(ms / 1000) * 1000 - 90 * 60_000);
      expect(normalizeOrderDate(iso)).toBe(iso);
    }
  });

  it("refuses instants outside years 0000-9999 after the offset is applied", () => {
    expect(orderDateMillis("0000-01-01T00:30:00+01:00")).toBe("range");
    expect(orderDateMillis("9999-12-31T23:30:00-01:00")).toBe("range");
    expect(orderDateMillis("9999-12-31T23:00:00-01:00")).toBe("range");
    expect(normalizeOrderDate("0000-01-01T00:00:00Z")).toBe("0000-01-01T00:00:00.000Z");
    expect(normalizeOrderDate("9999-12-31T23:59:59.999Z")).toBe("9999-12-31T23:59:59.999Z");
  });
});
