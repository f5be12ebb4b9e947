import { decideDelivery } from "../../lambda-src/delivery";
import { UnexpectedKeyError } from "../../lambda-src/errors";
import { decodeEventKey, fitsS3Key, formatOfKey, isUnderPrefix, outputKeyFor } from "../../lambda-src/keys";
import type { MetadataItem } from "../../lambda-src/metadata-item";
import { compareSequencers } from "../../lambda-src/sequencer";
import { encodeEventKey } from "../../local/s3-event";

const recorded = (over: Partial<MetadataItem>): MetadataItem =>
  ({ FileName: "incoming/a.csv", Bucket: "b", Status: "SUCCEEDED", Format: "csv", SizeBytes: 1, ETag: "e", Sequencer: "0055AED6DCD90281E5", ReceivedAt: "", StartedAt: "", Attempts: 1, ...over }) as MetadataItem;

describe("event keys", () => {
  it.each([["incoming/orders 1.csv"], ["incoming/a+b.csv"], ["incoming/100% sure.csv"], ["incoming/Müller – 東京/β.xml"], ["incoming/(x)!*'.json"]])("decodes the S3 encoding of %s", (key) => {
    expect(decodeEventKey(encodeEventKey(key))).toBe(key);
  });

  it("keeps a key with a malformed escape as it arrived, with + as space", () => {
    expect(decodeEventKey("incoming/bad%zz+x.csv")).toBe("incoming/bad%zz x.csv");
  });

  it.each([
    ["incoming/a.CSV", "csv"],
    ["incoming/a.json", "json"],
    ["incoming/a.ndjson", "ndjson"],
    ["incoming/a.JSONL", "ndjson"],
    ["incoming/a.xml", "xml"],
    ["incoming/a.txt", "unknown"],
    ["incoming/csv", "unknown"],
    ["incoming/dir.csv/file", "unknown"],
  ])("reads the format of %s as %s", (key, format) => {
    expect(formatOfKey(key)).toBe(format);
  });

  it("names the output after the key below the incoming prefix", () => {
    expect(outputKeyFor("incoming/p/orders 1.csv", "incoming/", "processed/")).toBe("processed/p/orders 1.csv.ndjson");
    expect(isUnderPrefix("incoming/", "incoming/")).toBe(false);
    expect(isUnderPrefix("other/a.csv", "incoming/")).toBe(false);
  });

  it("measures S3's key limit in UTF-8 bytes, not characters", () => {
    expect(fitsS3Key("a".repeat(1024))).toBe(true);
    expect(fitsS3Key("a".repeat(1025))).toBe(false);
    expect(fitsS3Key("é".repeat(512))).toBe(true);
    expect(fitsS3Key("é".repeat(513))).toBe(false);
  });
});

describe("the reason for a key with no file under the prefix", () => {
  it("says the object has no file name when its key is the prefix itself, and where to upload otherwise", () => {
    expect(new UnexpectedKeyError("incoming/", "incoming/").message).toBe('The object "incoming/" has no file name after "incoming/"; upload order files as "incoming/<name>.csv" (or .json, .ndjson, .jsonl, .xml).');
    expect(new UnexpectedKeyError("elsewhere/a.csv", "incoming/").message).toBe('The key "elsewhere/a.csv" is not under "incoming/"; upload order files under "incoming/".');
  });
});

describe("compareSequencers", () => {
  it.each([
    ["0055AED6DCD90281E5", "0055AED6DCD90281E6", -1],
    ["0055AED6DCD90281E5", "0055AED6DCD90281E5", 0],
    ["0055AED6DCD9028200", "0055AED6DCD90281E5", 1],
    ["0055AED6DCD90281E5", "0055AED6DCD90281E500", 0],
    ["0055AED6DCD90281E6", "0055AED6DCD90281E501", 1],
    ["0055aed6dcd90281e5", "0055AED6DCD90281E5", 0],
  ])("compares %s with %s as %d after right-padding with zeros", (a, b, order) => {
    expect(Math.sign(compareSequencers(a, b))).toBe(order);
  });
});

describe("decideDelivery", () => {
  it("processes a key never seen, as attempt 1", () => {
    expect(decideDelivery(undefined, "01")).toEqual({ action: "process", attempts: 1 });
  });

  it("ignores an event older than the recorded one", () => {
    expect(decideDelivery(recorded({}), "0055AED6DCD90281E4")).toEqual({ action: "ignore", recordedSequencer: "0055AED6DCD90281E5" });
  });

  it("republishes only when the same sequencer already finished, whatever its final status", () => {
    for (const Status of ["SUCCEEDED", "PARTIAL", "FAILED"] as const) {
      const item = recorded({ Status });
      expect(decideDelivery(item, "0055AED6DCD90281E500")).toEqual({ action: "republish", item });
    }
  });

  it("retries an unfinished attempt of the same sequencer as the next attempt", () => {
    expect(decideDelivery(recorded({ Status: "PROCESSING", Attempts: 2 }), "0055AED6DCD90281E5")).toEqual({ action: "process", attempts: 3 });
  });

  it("processes a newer version as attempt 1", () => {
    expect(decideDelivery(recorded({ Attempts: 4 }), "0055AED6DCD90281E6")).toEqual({ action: "process", attempts: 1 });
  });
});
