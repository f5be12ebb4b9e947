import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const SCRIPT = path.join(__dirname, "..", "scripts", "redrive.sh");
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/000000000000/order-pipeline-prod-failed-events";
const hasJq = spawnSync("jq", ["--version"]).status === 0;

interface FakeAwsState {
  queueName: string;
  queueUrl: string;
  messages: { MessageId: string; ReceiptHandle: string; Body: string; hidden?: boolean }[];
  failKeys: string[];
  invocations: { functionName: string; type: string; payload: { Records: { s3: { object: { key: string } } }[] } }[];
  calls: string[][];
}

/** An S3 event for `key`, as Lambda's on-failure record keeps it. */
function eventFor(key: string): { Records: { s3: { bucket: { name: string }; object: { key: string; sequencer: string } } }[] } {
  return { Records: [{ s3: { bucket: { name: "upload" }, object: { key, sequencer: "0A" } } }] };
}

/** A queue message holding the on-failure record of `key`. */
function failedMessage(n: number, key: string): FakeAwsState["messages"][number] {
  const record = { version: "1.0", requestContext: { condition: "RetriesExhausted" }, requestPayload: eventFor(key), responsePayload: { errorType: "Error", errorMessage: `DynamoDB was down for ${key}` } };
  return { MessageId: `m${n}`, ReceiptHandle: `r${n}`, Body: JSON.stringify(record) };
}

/** Runs the script against a fake `aws` first on PATH, with `messages` in the prod queue. */
function redrive(
  messages: FakeAwsState["messages"],
  failKeys: string[] = [],
  stage = "prod",
  project?: { readonly inConfig: string; readonly queueName: string },
): { status: number | null; stdout: string; stderr: string; state: FakeAwsState } {
  const dir = mkdtempSync(path.join(tmpdir(), "redrive-"));
  try {
    const aws = path.join(dir, "aws");
    copyFileSync(path.join(__dirname, "helpers", "fake-aws.js"), aws);
    chmodSync(aws, 0o755);
    const statePath = path.join(dir, "state.json");
    const initial: FakeAwsState = { queueName: project?.queueName ?? "order-pipeline-prod-failed-events", queueUrl: QUEUE_URL, messages, failKeys, invocations: [], calls: [] };
    writeFileSync(statePath, JSON.stringify(initial));
    let script = SCRIPT;
    if (project !== undefined) {
      // A checkout of its own, whose config names another project.
      mkdirSync(path.join(dir, "scripts"));
      mkdirSync(path.join(dir, "config"));
      script = path.join(dir, "scripts", "redrive.sh");
      copyFileSync(SCRIPT, script);
      writeFileSync(path.join(dir, "config", "stages.json"), JSON.stringify({ project: project.inConfig, stages: { dev: {}, prod: {} } }));
    }
    const run = spawnSync("bash", [script, stage], { env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}`, FAKE_AWS_STATE: statePath }, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, state: JSON.parse(readFileSync(statePath, "utf8")) as FakeAwsState };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const invokedKeys = (state: FakeAwsState): string[] => state.invocations.map((i) => i.payload.Records[0].s3.object.key);

(hasJq ? describe : describe.skip)("scripts/redrive.sh (with a stand-in for the AWS CLI; skipped without jq)", () => {
  it("replays every event of the stage's queue into the stage's function, one at a time and synchronously, deleting each after it succeeded", () => {
    const { status, stdout, state } = redrive([failedMessage(1, "incoming/a.csv"), failedMessage(2, "incoming/b 1.json")]);
    expect(status).toBe(0);
    expect(state.invocations.map(({ functionName, type }) => `${functionName} ${type}`)).toEqual(["order-pipeline-prod-processor RequestResponse", "order-pipeline-prod-processor RequestResponse"]);
    expect(state.invocations.map((i) => i.payload)).toEqual([eventFor("incoming/a.csv"), eventFor("incoming/b 1.json")]);
    expect(state.messages).toEqual([]);
    expect(state.calls.filter((call) => call[1] === "receive-message").every((call) => call[call.indexOf("--max-number-of-messages") + 1] === "1")).toBe(true);
    expect(stdout).toBe(
      "replaying incoming/a.csv (it failed with: DynamoDB was down for incoming/a.csv)\nreplaying incoming/b 1.json (it failed with: DynamoDB was down for incoming/b 1.json)\nreplayed 2 event(s); 0 message(s) left in the queue\n",
    );
  });

  it("names the queue and function after config/stages.json's project when no project is given", () => {
    const { status, state } = redrive([failedMessage(1, "incoming/a.csv")], [], "prod", { inConfig: "acme-orders", queueName: "acme-orders-prod-failed-events" });
    expect(status).toBe(0);
    expect(state.invocations.map((i) => i.functionName)).toEqual(["acme-orders-prod-processor"]);
    expect(state.messages).toEqual([]);
  });

  it("stops at the first replay that fails again, leaving its message and the ones after it in the queue", () => {
    const { status, stderr, state } = redrive([failedMessage(1, "incoming/a.csv"), failedMessage(2, "incoming/b.csv"), failedMessage(3, "incoming/c.csv")], ["incoming/b.csv"]);
    expect(status).toBe(1);
    expect(invokedKeys(state)).toEqual(["incoming/a.csv", "incoming/b.csv"]);
    expect(state.messages.map((m) => m.MessageId)).toEqual(["m2", "m3"]);
    expect(stderr).toContain("the replay of incoming/b.csv failed again (Unhandled): ");
    expect(stderr).toContain("stopping after 1 replayed; its message stays in the queue");
  });

  it("leaves a message that holds no S3 event in the queue, names it, replays the others, and exits 3", () => {
    const stray = { MessageId: "m9", ReceiptHandle: "r9", Body: "not an on-failure record" };
    const { status, stdout, stderr, state } = redrive([stray, failedMessage(1, "incoming/a.csv")]);
    // Not a clean drain: the message keeps the queue's alarm on.
    expect(status).toBe(3);
    expect(invokedKeys(state)).toEqual(["incoming/a.csv"]);
    expect(state.messages.map((m) => m.MessageId)).toEqual(["m9"]);
    expect(stderr).toBe("message m9 holds no S3 event (not an on-failure record of this function?): left in the queue\n");
    expect(stdout).toMatch(/replayed 1 event\(s\); 1 message\(s\) left in the queue\n$/);
  });

  it("fails before touching anything when the stage has no queue, and without a stage says how to run it", () => {
    const wrongStage = redrive([failedMessage(1, "incoming/a.csv")], [], "qa");
    expect(wrongStage.status).not.toBe(0);
    expect(wrongStage.state.invocations).toEqual([]);
    expect(wrongStage.state.messages).toHaveLength(1);
    const noStage = spawnSync("bash", [SCRIPT], { encoding: "utf8" });
    expect({ status: noStage.status, stderr: noStage.stderr }).toEqual({ status: 2, stderr: "usage: bash scripts/redrive.sh <stage> [project], e.g. bash scripts/redrive.sh prod\n" });
  });
});
