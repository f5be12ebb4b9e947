import type { RawOrder } from "../../lambda-src/types";
import { OrderValidator } from "../../lambda-src/validation";

const VALID: RawOrder = { orderId: " A1 ", customerId: "C9", orderDate: "2025-07-10", currency: "usd", items: [{ sku: "SKU-1", quantity: 2, unitPrice: "12.50" }, { sku: "SKU-2", quantity: "3", unitPrice: 0.1 }] };

function problemsOf(raw: RawOrder): { field?: string; message: string }[] {
  const result = new OrderValidator("incoming/x.json").validate(raw, { index: 4 });
  if (result.ok) throw new Error("expected the order to be rejected");
  return result.problems.map((p) => ({ field: p.field, message: p.message }));
}

describe("OrderValidator", () => {
  it("normalizes a valid order: trimmed ids, UTC date, upper-case currency, 2-decimal prices, exact total", () => {
    // Act
    const result = new OrderValidator("incoming/x.json").validate(VALID, { index: 0 });

    // Assess
    expect(result).toEqual({
      ok: true,
      order: {
        orderId: "A1",
        customerId: "C9",
        orderDate: "2025-07-10T00:00:00.000Z",
        currency: "USD",
        items: [
          { sku: "SKU-1", quantity: 2, unitPrice: "12.50" },
          { sku: "SKU-2", quantity: 3, unitPrice: "0.10" },
        ],
        total: "25.30",
        source: { file: "incoming/x.json", index: 0 },
      },
    });
  });

  it.each([
    ["orderId", { orderId: "  " }, /orderId is empty/],
    ["orderId", { orderId: 12 }, /orderId is missing or not text \(got number 12\)/],
    ["customerId", { customerId: "x".repeat(65) }, /customerId has 65 characters; use at most 64/],
    ["orderDate", { orderDate: "2025-02-30" }, /not a real date/],
    ["orderDate", { orderDate: "2025-07-10T10:00:00" }, /no zone; add Z or an offset/],
    ["orderDate", { orderDate: undefined }, /orderDate is missing/],
    ["currency", { currency: "US" }, /not a three-letter code/],
    ["items", { items: [] }, /0 items; give 1 to 1000/],
    ["items", { items: Array.from({ length: 1001 }, () => ({ sku: "a", quantity: 1, unitPrice: 1 })) }, /1001 items/],
    ["items", { items: "SKU-1" }, /items is missing or not a list/],
    ["items[0]", { items: [42] }, /items\[0\] is number 42, not an item/],
    ["items[0].sku", { items: [{ sku: "", quantity: 1, unitPrice: 1 }] }, /items\[0\]\.sku is empty/],
    ["items[0].quantity", { items: [{ sku: "a", quantity: 0, unitPrice: 1 }] }, /whole number from 1 to 1000000/],
    ["items[0].quantity", { items: [{ sku: "a", quantity: 1.5, unitPrice: 1 }] }, /whole number/],
    ["items[0].quantity", { items: [{ sku: "a", quantity: 1_000_001, unitPrice: 1 }] }, /whole number/],
    ["items[0].unitPrice", { items: [{ sku: "a", quantity: 1, unitPrice: "-1.00" }] }, /non-negative amount with at most 2 decimals/],
    ["items[0].unitPrice", { items: [{ sku: "a", quantity: 1, unitPrice: 1.234 }] }, /at most 2 decimals/],
    ["items[0].unitPrice", { items: [{ sku: "a", quantity: 1, unitPrice: JSON.parse("12345678901234567.89") as number }] }, /is a number of more significant digits than a JSON number holds exactly \(15; it reads as 12345678901234568\); give it as a string/],
    ["items[0].unitPrice", { items: [{ sku: "a", quantity: 1, unitPrice: 1e21 }] }, /more significant digits than a JSON number holds exactly \(15; it reads as 1e\+21\)/],
    ["items[0].unitPrice", { items: [{ sku: "a", quantity: 1, unitPrice: -1e16 }] }, /is number -10000000000000000; give a non-negative amount/],
    ["items[0].quantity", { items: [{ sku: "a", quantity: "10000000", unitPrice: 1 }] }, /is "10000000"; give a whole number from 1 to 1000000/],
    ["items[0].quantity", { items: [{ sku: "a", quantity: "1:", unitPrice: 1 }] }, /whole number/],
    ["items[0].quantity", { items: [{ sku: "a", quantity: "1/", unitPrice: 1 }] }, /whole number/],
    ["currency", { currency: "US[" }, /not a three-letter code/],
    ["currency", { currency: "U@D" }, /not a three-letter code/],
    ["currency", { currency: "" }, /currency "" is not a three-letter code/],
  ])("rejects an order whose %s is wrong, saying what to fix", (field, change, message) => {
    // Act
    const problems = problemsOf({ ...VALID, ...change });

    // Assess
    expect(problems).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it("trims every text field before checking it: quantity, unit price, date and currency too", () => {
    const padded = { ...VALID, orderDate: " 2025-07-10 ", currency: " usd\t", items: [{ sku: " S1 ", quantity: " 2 ", unitPrice: " 1.50 " }] };
    expect(new OrderValidator("f").validate(padded, { index: 0 })).toMatchObject({
      ok: true,
      order: { orderDate: "2025-07-10T00:00:00.000Z", currency: "USD", items: [{ sku: "S1", quantity: 2, unitPrice: "1.50" }], total: "3.00" },
    });
  });

  it("accepts quantities up to 1,000,000 written as text, leading zeros included", () => {
    const validator = new OrderValidator("f");
    const order = (id: string, quantity: string) => ({ ...VALID, orderId: id, items: [{ sku: "a", quantity, unitPrice: "1" }] });
    expect(validator.validate(order("Q1", "1000000"), { index: 0 })).toMatchObject({ ok: true, order: { items: [{ quantity: 1_000_000 }] } });
    expect(validator.validate(order("Q2", "0000007"), { index: 1 })).toMatchObject({ ok: true, order: { items: [{ quantity: 7 }] } });
  });

  it("rejects an empty currency after a valid one, and does not reuse the last code", () => {
    const validator = new OrderValidator("f");
    expect(validator.validate(VALID, { index: 0 }).ok).toBe(true);
    expect(validator.validate({ ...VALID, orderId: "A2", currency: "" }, { index: 1 })).toMatchObject({ ok: false, problems: [{ field: "currency" }] });
  });

  it("reports a problem of the first item on its own line too", () => {
    const items = [{ sku: "a", quantity: "x", unitPrice: "1" }];
    const result = new OrderValidator("f").validate({ ...VALID, items }, { line: 3 }, [9]);
    expect(result.ok ? [] : result.problems.map((p) => p.position)).toEqual([{ line: 9 }]);
  });

  it("never takes an item's position from the partner's own fields: a line field in an item is data", () => {
    // A JSON item's "line" (say 1e400, which parses as Infinity) once became the error's Line and failed the metadata write.
    const items = [{ sku: "a", quantity: "x", unitPrice: "1", line: Infinity }];
    const result = new OrderValidator("f").validate({ ...VALID, items }, { index: 4 });
    expect(result.ok ? [] : result.problems.map((p) => p.position)).toEqual([{ index: 4 }]);
  });

  it("accepts ids of exactly 64 characters, counting letters beyond the BMP as one", () => {
    const validator = new OrderValidator("f");
    expect(validator.validate({ ...VALID, orderId: "😀".repeat(64) }, { line: 2 }).ok).toBe(true);
    expect(validator.validate({ ...VALID, orderId: "😀".repeat(65) }, { line: 3 }).ok).toBe(false);
  });

  it("rejects a later order with an id seen earlier in the file, and reports every problem of an order", () => {
    // Prepare
    const validator = new OrderValidator("incoming/x.csv");
    validator.validate(VALID, { line: 2 });

    // Act
    const result = validator.validate({ ...VALID, orderId: "A1", currency: "?" }, { line: 5 });

    // Assess
    expect(result).toEqual({
      ok: false,
      problems: [
        { position: { line: 5 }, orderId: "A1", field: "currency", message: expect.any(String) },
        { position: { line: 5 }, orderId: "A1", field: "orderId", message: 'orderId "A1" already appeared earlier in the file; give every order its own orderId' },
      ],
    });
  });

  it("reports an item problem on the item's own line when the parser knows it (XML items)", () => {
    const result = new OrderValidator("f").validate({ ...VALID, items: [{ sku: "a", quantity: 1, unitPrice: "1" }, { sku: "b", quantity: "x", unitPrice: "1" }] }, { line: 7 }, [7, 8]);
    expect(result.ok ? [] : result.problems.map((p) => p.position)).toEqual([{ line: 8 }]);
  });
});
