import type { FailedEventRecord } from "../../local/async-invoke";
import { firstError, formatDuration, hasFinalRecord, renderTable } from "../../local/table";

/** The on-failure record of an event with this sequencer. */
function failureOf(sequencer: string): FailedEventRecord {
  return {
    version: "1.0",
    timestamp: "2025-07-10T00:00:00.000Z",
    requestContext: { requestId: "r", functionArn: "arn", condition: "RetriesExhausted", approximateInvokeCount: 3 },
    requestPayload: { Records: [{ s3: { object: { key: "incoming/a.csv", sequencer } } }] },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    responsePayload: { errorType: "InternalError", errorMessage: "We encountered an internal error." },
  };
}

describe("renderTable", () => {
  it("prints one aligned row per file, with NO RECORD and the on-failure error for a file without an item", () => {
    const table = renderTable([
      { key: "incoming/a.csv", item: { Status: "PARTIAL", Format: "csv", OrdersValid: 3, OrdersRejected: 1, DurationMs: 1500, OutputKey: "processed/a.csv.ndjson", Errors: [{ Line: 4, Field: "currency", Message: "must be three letters" }] } },
      {
        key: "incoming/b.json",
        failure: {
          version: "1.0",
          timestamp: "2025-07-10T00:00:00.000Z",
          requestContext: { requestId: "r", functionArn: "arn", condition: "RetriesExhausted", approximateInvokeCount: 3 },
          requestPayload: {},
          responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
          responsePayload: { errorType: "TimeoutError", errorMessage: "connect ECONNREFUSED" },
        },
      },
    ]);
    expect(table.split("\n")).toEqual([
      "FILE    STATUS     FORMAT  VALID/REJECTED  DURATION  OUTPUT KEY              FIRST ERROR",
      "a.csv   PARTIAL    csv     3/1             1.5 s     processed/a.csv.ndjson  line 4: currency: must be three letters",
      "b.json  NO RECORD  -       -               -         -                       TimeoutError: connect ECONNREFUSED",
    ]);
  });

  it("prints the whole first error on one line: a failure reason's fix comes at its end", () => {
    const reason = 'The file name "incoming/orders.txt" has no supported extension;\nuse .csv, .json, .ndjson, .jsonl or .xml.';
    const [, row] = renderTable([{ key: "incoming/orders.txt", item: { Status: "FAILED", Format: "unknown", FailureReason: reason } }]).split("\n");
    expect(row).toMatch(/ {2}The file name "incoming\/orders\.txt" has no supported extension; use \.csv, \.json, \.ndjson, \.jsonl or \.xml\.$/);
  });
});

describe("hasFinalRecord", () => {
  it("is true for a SUCCEEDED, PARTIAL or FAILED item", () => {
    expect(["SUCCEEDED", "PARTIAL", "FAILED"].map((Status) => hasFinalRecord({ key: "k", item: { Status, Sequencer: "0A" } }))).toEqual([true, true, true]);
  });

  it("is false without an item, for a PROCESSING item, and when the newest event went to the on-failure file", () => {
    expect(hasFinalRecord({ key: "k" })).toBe(false);
    expect(hasFinalRecord({ key: "k", item: { Status: "PROCESSING", Sequencer: "0A" }, failure: failureOf("0A") })).toBe(false);
    expect(hasFinalRecord({ key: "k", item: { Status: "SUCCEEDED", Sequencer: "0A" }, failure: failureOf("0B") })).toBe(false);
  });

  it("is true when the failed event is older than the final item (a later version went through)", () => {
    expect(hasFinalRecord({ key: "k", item: { Status: "SUCCEEDED", Sequencer: "0B" }, failure: failureOf("0A") })).toBe(true);
  });
});

describe("firstError", () => {
  it("shows the on-failure error of a file whose item stayed PROCESSING", () => {
    expect(firstError({ key: "k", item: { Status: "PROCESSING", Sequencer: "0A" }, failure: failureOf("0A") })).toBe("InternalError: We encountered an internal error.");
  });

  it("prefers the failure reason, and does not repeat a field the message already names", () => {
    expect(firstError({ key: "k", item: { FailureReason: "The JSON is malformed.", Errors: [{ Index: 0, Message: "x" }] } })).toBe("The JSON is malformed.");
    expect(firstError({ key: "k", item: { Errors: [{ Index: 2, Field: "items[0].quantity", Message: "items[0].quantity is 0" }] } })).toBe("index 2: items[0].quantity is 0");
  });
});

describe("formatDuration", () => {
  it("shows milliseconds under a second and seconds above", () => {
    expect([formatDuration(12), formatDuration(1234), formatDuration(undefined)]).toEqual(["12 ms", "1.2 s", "-"]);
  });
});
