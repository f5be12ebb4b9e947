import { decimalTextOfNumber, formatMinorUnits, lineTotal, parseMinorUnits } from "../../lambda-src/money";

describe("money", () => {
  it.each([
    ["12.50", 1250],
    ["12.5", 1250],
    ["0.10", 10],
    ["3", 300],
    ["007.01", 701],
    ["0", 0],
  ])("reads %s as %d minor units", (text, minor) => {
    expect(parseMinorUnits(text)).toBe(minor);
  });

  it.each([["-1"], ["1.234"], ["1."], [".5"], ["1,50"], ["1e3"], [""], ["abc"], ["+1"], ["1.5 "]])("refuses %p", (text) => {
    expect(parseMinorUnits(text)).toBeUndefined();
  });

  it("sums 3 x 0.10 to exactly 0.30", () => {
    // Act
    const total = lineTotal([{ quantity: 3, minor: parseMinorUnits("0.10")! }]);

    // Assess
    expect(formatMinorUnits(total)).toBe("0.30");
  });

  it("switches to bigint arithmetic for amounts beyond exact doubles", () => {
    // Prepare
    const price = parseMinorUnits("12345678901234567890.99")!;

    // Act
    const total = lineTotal([{ quantity: 1_000_000, minor: price }, { quantity: 1, minor: 1 }]);

    // Assess
    expect(typeof price).toBe("bigint");
    expect(formatMinorUnits(total)).toBe("12345678901234567890990000.01");
  });

  it.each([
    ["999999999999999.99", "999999999999999.99"],
    ["90071992547409.93", "90071992547409.93"],
    ["9999999999999.99", "9999999999999.99"],
  ])("keeps every cent of %s, at the edge of exact doubles", (text, expected) => {
    // Act
    const minor = parseMinorUnits(text)!;

    // Assess
    expect(formatMinorUnits(lineTotal([{ quantity: 1, minor }]))).toBe(expected);
  });

  it("keeps exact totals at the largest safe price and quantity", () => {
    expect(formatMinorUnits(lineTotal(Array.from({ length: 1000 }, () => ({ quantity: 1_000_000, minor: 9_000_000 }))))).toBe("90000000000000.00");
  });

  it("reads a JSON number as the decimal the partner wrote, and refuses exponent forms", () => {
    expect(decimalTextOfNumber(12.5)).toBe("12.5");
    expect(decimalTextOfNumber(0.1)).toBe("0.1");
    expect(decimalTextOfNumber(1e-7)).toBeUndefined();
    expect(decimalTextOfNumber(-1)).toBeUndefined();
    expect(decimalTextOfNumber(Number.NaN)).toBeUndefined();
    expect(decimalTextOfNumber(-0)).toBe("0");
  });

  it("calls a JSON number of more than 15 significant digits inexact: the parser has already rounded it", () => {
    expect(decimalTextOfNumber(1234567890123.45)).toBe("1234567890123.45");
    expect(decimalTextOfNumber(0.000001234567890123)).toBe("0.000001234567890123");
    // The literal 12345678901234567.89 arrives as the double 12345678901234568.
    expect(decimalTextOfNumber(JSON.parse("12345678901234567.89") as number)).toBe("inexact");
    expect(decimalTextOfNumber(1234567890123.456)).toBe("inexact");
  });

  it("calls a large number inexact even when it looks round: 1e16 is also what 10000000000000001 arrives as", () => {
    expect(decimalTextOfNumber(JSON.parse("10000000000000001") as number)).toBe("inexact");
    expect(decimalTextOfNumber(1e16)).toBe("inexact");
    // From 1e21 on, String() writes an exponent; such a value is as inexact, not a malformed amount.
    expect(decimalTextOfNumber(1e21)).toBe("inexact");
    expect(decimalTextOfNumber(-1e21)).toBeUndefined();
    expect(decimalTextOfNumber(-1e16)).toBeUndefined();
  });
});
