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

  it("finds ids again after growth at every length header: bodies of 127, 128 and 129 bytes", () => {
    // A non-ASCII id is a marker byte and its UTF-8: 41 or 42 three-byte letters and 0-2 ASCII ones
    // make bodies either side of 128 bytes, where the length header grows from one byte to two.
    const set = new OrderIdSet();
    const ids: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const letters = String.fromCharCode(0x4e00 + (i % 5000)).repeat(42);
      ids.push(`${letters}`, `${letters}x`, `${letters}xy`, `${letters.slice(1)}${i}`);
    }
    const firstTime = ids.map((id) => set.add(id));
    const secondTime = ids.map((id) => set.add(id));
    expect(firstTime.filter(Boolean)).toHaveLength(new Set(ids).size);
    expect(secondTime.some(Boolean)).toBe(false);
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

  it("keeps ids apart that a lossy encoding would merge: lone surrogates, digit runs, long ids", () => {
    const set = new OrderIdSet();
    const ids = ["a\ud800", "a\ud801", "a\ufffd", "\udc00a", "0", "00", "000", "01", "1", "10", "x09", "x9", "1234", "12 34", "9".repeat(250), "9".repeat(249), "a".repeat(200), "a".repeat(199), "ä".repeat(100)];
    expect(ids.map((id) => set.add(id))).toEqual(ids.map(() => true));
    expect(ids.map((id) => set.add(id))).toEqual(ids.map(() => false));
    expect(set.size).toBe(ids.length);
  });

  it("answers exactly as a Set<string> does for random ids of digits, letters, non-ASCII and surrogates", () => {
    // Prepare: a small alphabet so that many ids repeat; a fixed seed so a failure reproduces.
    const alphabet = ["0", "1", "9", "5", "a", "-", "ä", "東", "\ud83d", "\ude00", "\ud800"];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const reference = new Set<string>();
    const set = new OrderIdSet();

    // Act and assess
    for (let i = 0; i < 60_000; i++) {
      const length = random(4) === 0 ? 100 + random(151) : 1 + random(6);
      let id = "";
      for (let j = 0; j < length; j++) id += alphabet[random(alphabet.length)];
      const isNew = !reference.has(id);
      reference.add(id);
      if (set.add(id) !== isNew) throw new Error(`add(${JSON.stringify(id)}) should be ${isNew}`);
    }
    expect(set.size).toBe(reference.size);
  });
});
