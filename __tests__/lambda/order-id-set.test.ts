import { OrderIdSet } from "../../lambda-src/order-id-set";

describe("OrderIdSet", () => {
  it("tells new ids from ids seen before, across growth and storage chunks", () => {
    // Prepare
    const set = new OrderIdSet();
    const ids = Array.from({ length: 300_000 }, (_, i) => `ORD-${i}-${"x".repeat(i % 40)}`);

    // Act
    const firstTime = ids.map((id) => set.add(id));
    const secondTime = ids.filter((_, i) => i % 997 === 0).map((id) => set.add(id));

    // Assess
    expect(firstTime.every(Boolean)).toBe(true);
    expect(secondTime.some(Boolean)).toBe(false);
    expect(set.size).toBe(ids.length);
  });

  it("compares non-ASCII ids by their exact text", () => {
    const set = new OrderIdSet();
    expect(set.add("Bestellung-ä")).toBe(true);
    expect(set.add("Bestellung-a\u0308")).toBe(true);
    expect(set.add("東京-1")).toBe(true);
    expect(set.add("東京-1")).toBe(false);
    expect(set.add("😀".repeat(64))).toBe(true);
    expect(set.add("😀".repeat(64))).toBe(false);
  });
});
