import { normalizeOrderDate } from "../../lambda-src/dates";

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
