import { clip, wellFormed } from "../../lambda-src/clip";
import { LIMITS } from "../../lambda-src/limits";
import { appendHistory, type HistoryEntry } from "../../lambda-src/metadata-item";
import { OrderTally } from "../../lambda-src/tally";

const outcome = (n: number): HistoryEntry => ({ Sequencer: String(n).padStart(4, "0"), Status: "SUCCEEDED", OrdersValid: n, OrdersRejected: 0, CompletedAt: `2025-07-10T00:00:${String(n % 60).padStart(2, "0")}.000Z` });

describe("a file's status from its orders", () => {
  it("is SUCCEEDED with every order valid, PARTIAL with both kinds, FAILED with none valid", () => {
    const tally = (valid: number, rejected: number): OrderTally => {
      const counted = new OrderTally();
      for (let i = 0; i < valid; i++) counted.accept();
      for (let i = 0; i < rejected; i++) counted.reject([{ position: { line: i + 2 }, message: "x" }]);
      return counted;
    };
    expect([tally(2, 0), tally(2, 1), tally(0, 3)].map((counted) => counted.status())).toEqual(["SUCCEEDED", "PARTIAL", "FAILED"]);
  });
});

describe("the metadata item's caps", () => {
  it("keeps exactly 50 errors unmarked, and marks the item truncated from the 51st on", () => {
    // Prepare
    const tally = new OrderTally();
    const reject = (n: number) => tally.reject([{ position: { line: n }, field: "currency", message: `problem ${n}` }]);

    // Act
    for (let n = 1; n <= LIMITS.maxErrorsKept; n++) reject(n);
    const atTheCap = { kept: tally.errors.length, truncated: tally.errorsTruncated };
    reject(LIMITS.maxErrorsKept + 1);

    // Assess
    expect(atTheCap).toEqual({ kept: 50, truncated: false });
    expect({ kept: tally.errors.length, truncated: tally.errorsTruncated, rejected: tally.rejected }).toEqual({ kept: 50, truncated: true, rejected: 51 });
    expect(tally.errors[49].message).toBe("problem 50");
  });

  it("keeps each message to 300 characters, so 50 errors stay far below DynamoDB's 400 KB", () => {
    const tally = new OrderTally();
    tally.reject([{ position: { line: 2 }, message: "x".repeat(1000) }]);
    expect(tally.errors[0].message).toBe(`${"x".repeat(LIMITS.maxMessageLength - 3)}...`);
    expect(LIMITS.maxMessageLength).toBe(300);
  });

  it("keeps the last 20 outcomes in History, oldest first, dropping the oldest", () => {
    // Act
    let history: HistoryEntry[] = [];
    for (let n = 1; n <= LIMITS.maxHistory + 2; n++) history = appendHistory(history, outcome(n));

    // Assess
    expect(history).toHaveLength(20);
    expect(history.map((entry) => entry.OrdersValid)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
  });

  it("clips text to its length with an ellipsis, never between the halves of a character", () => {
    expect(clip("a".repeat(1500), LIMITS.maxFailureReasonLength)).toBe(`${"a".repeat(997)}...`);
    expect(clip("a".repeat(1000), 1000)).toBe("a".repeat(1000));
    expect(clip(`ab${"😀".repeat(10)}`, 8)).toBe("ab😀...");
    expect(clip(`a${"😀".repeat(10)}`, 8)).toBe("a😀😀...");
  });

  it("replaces half a character with U+FFFD, wherever it stands, and leaves whole ones alone", () => {
    expect(wellFormed("x\ud800")).toBe("x\ufffd");
    expect(wellFormed("\udc00x\ud83d\ude00")).toBe("\ufffdx😀");
    expect(wellFormed("plain 東京 😀")).toBe("plain 東京 😀");
    expect(clip("\ud800\ud800", 10)).toBe("\ufffd\ufffd");
  });
});
