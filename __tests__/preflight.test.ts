import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CONTEXT_ENV, Testing } from "cdktf";
import { preflight } from "../scripts/preflight";
import { placeholderEmailProblem } from "../stacks/config";
import { stackWarnings } from "../stacks/synth-output";
import { buildStack, stageConfig } from "./helpers/stack";
import { cleanEnv } from "./helpers/clean-env";

const ROOT = path.join(__dirname, "..");
const SHIPPED_PROD_WARNING =
  "alarmEmails oncall@example.com is at a domain reserved for examples, tests or private networks, so alarms and FAILED files would reach nobody; put the on-call addresses in config/stages.json or PIPELINE_PROD_ALARM_EMAILS before deploying";

function npmRun(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--require", "tsx/cjs", script, ...args], { cwd: ROOT, env: { ...cleanEnv(), ...env }, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("alarm addresses at a domain reserved for examples", () => {
  it("are named, with the setting to change, for every reserved domain and only those", () => {
    const problem = (alarmEmails: string[]) => placeholderEmailProblem(stageConfig("prod", { alarmEmails }));
    expect(problem(["oncall@example.com"])).toBe(SHIPPED_PROD_WARNING);
    const reserved = ["b@mail.example.org", "c@EXAMPLE.NET", "d@corp.test", "e@x.example", "f@host.invalid", "g@box.localhost", "h@printer.local", "i@corp.internal", "j@home.arpa", "k@nas.home.arpa"];
    expect(problem(["a@acme.io", ...reserved])).toBe(`alarmEmails ${reserved.join(", ")} are at a domain${SHIPPED_PROD_WARNING.slice(SHIPPED_PROD_WARNING.indexOf(" at a domain") + " at a domain".length)}`);
    expect(problem(["a@acme.io", "b@example.company.com", "c@myexample.com", "d@testing.dev", "e@localbank.com", "f@arpa.io"])).toBeUndefined();
    expect(problem([])).toBeUndefined();
  });

  it("still synthesize, with a warning that cdktf prints at synth, diff and deploy", () => {
    const outdir = Testing.fullSynth(buildStack("prod"));
    expect(stackWarnings(outdir)).toEqual([`pipeline-prod: ${SHIPPED_PROD_WARNING}`]);
    const real = Testing.fullSynth(buildStack("prod", { alarmEmails: ["oncall@acme.io"] }));
    expect(stackWarnings(real)).toEqual([]);
  });

  it("are printed by npm run synth as a warning, which does not fail it, and left to the cdktf CLI when it runs the app", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "synth-warn-"));
    try {
      expect(npmRun("main.ts", [], { CDKTF_OUTDIR: outdir })).toEqual({ status: 0, stdout: "", stderr: `Warning: pipeline-prod: ${SHIPPED_PROD_WARNING}\n` });
      // The CLI prints annotations itself, and shows anything on the app's stderr as an error.
      expect(npmRun("main.ts", [], { CDKTF_OUTDIR: outdir, [CONTEXT_ENV]: "{}" })).toEqual({ status: 0, stdout: "", stderr: "" });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("npm run preflight", () => {
  const stages = [stageConfig("dev"), stageConfig("prod")];
  const noAddresses = (stack: string) => `${stack}: alarmEmails is empty, so alarms and FAILED files reach only subscribers added to the status topic outside this stack`;

  it("refuses the shipped prod configuration, naming the stack, the address and the fix", () => {
    expect(preflight(["pipeline-prod"], stages)).toEqual({ problems: [`pipeline-prod: ${SHIPPED_PROD_WARNING}`], notes: [] });
    expect(preflight([], stages)).toEqual({ problems: [`pipeline-prod: ${SHIPPED_PROD_WARNING}`], notes: [noAddresses("pipeline-dev")] });
  });

  it("passes a stack without placeholders, noting one without any address, and names an unknown stack with the real ones", () => {
    expect(preflight(["pipeline-dev"], stages)).toEqual({ problems: [], notes: [noAddresses("pipeline-dev")] });
    expect(preflight(["pipeline-prod"], [stageConfig("prod", { alarmEmails: [] })])).toEqual({ problems: [], notes: [noAddresses("pipeline-prod")] });
    expect(preflight(["pipeline-qa"], stages)).toEqual({ problems: ["pipeline-qa: no such stack; the stacks are pipeline-dev, pipeline-prod"], notes: [] });
  });

  it("exits 1 on the shipped prod, and 0 once the environment gives a real address; a configuration mistake prints as synth prints it", () => {
    expect(npmRun("scripts/preflight.ts", ["pipeline-prod"])).toEqual({ status: 1, stdout: "", stderr: `Not ready to deploy:\n  - pipeline-prod: ${SHIPPED_PROD_WARNING}\n` });
    expect(npmRun("scripts/preflight.ts", ["pipeline-prod"], { PIPELINE_PROD_ALARM_EMAILS: "oncall@acme.io" })).toEqual({ status: 0, stdout: "ready: pipeline-prod\n", stderr: "" });
    expect(npmRun("scripts/preflight.ts", ["pipeline-prod"], { PIPELINE_PROD_MEMORY_MIB: "64" })).toEqual({
      status: 1,
      stdout: "",
      stderr: "Invalid pipeline configuration:\n  - PIPELINE_PROD_MEMORY_MIB (overriding stages.prod.memoryMiB): 64 is out of range; use a whole number from 128 to 10240 MiB\n",
    });
  });
});

/** What the stand-in AWS CLI (helpers/fake-aws.js) answers for the Lambda calls of `--account`, and the calls it got. */
interface FakeLambdaState {
  readonly accountLimit: { readonly ConcurrentExecutions: number; readonly UnreservedConcurrentExecutions: number };
  /** Reserved concurrency per function name (null: none); a function not named does not exist. */
  readonly reservations: Record<string, number | null>;
  readonly failure?: { readonly status: number; readonly stderr: string };
  readonly calls: string[][];
}

const NEW_ACCOUNT = { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 };
const REAL_ADDRESS = { PIPELINE_PROD_ALARM_EMAILS: "oncall@acme.io" };

/** Runs preflight with `args` and the stand-in AWS CLI first on PATH (no `aws` at all with "missing"); returns what the CLI was asked. */
function preflightWithAws(
  args: readonly string[],
  aws: Omit<FakeLambdaState, "calls"> | "missing",
  env: NodeJS.ProcessEnv = REAL_ADDRESS,
): { status: number | null; stdout: string; stderr: string; calls: string[][] } {
  const dir = mkdtempSync(path.join(tmpdir(), "preflight-aws-"));
  try {
    const statePath = path.join(dir, "state.json");
    if (aws !== "missing") {
      copyFileSync(path.join(__dirname, "helpers", "fake-aws.js"), path.join(dir, "aws"));
      chmodSync(path.join(dir, "aws"), 0o755);
      writeFileSync(statePath, JSON.stringify({ ...aws, calls: [] }));
    }
    const run = npmRun("scripts/preflight.ts", args, { ...env, PATH: aws === "missing" ? dir : `${dir}${path.delimiter}${path.dirname(process.execPath)}`, FAKE_AWS_STATE: statePath });
    const calls = aws === "missing" ? [] : (JSON.parse(readFileSync(statePath, "utf8")) as FakeLambdaState).calls;
    return { ...run, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("npm run preflight -- --account (with a stand-in for the AWS CLI)", () => {
  const accountSettings = ["lambda", "get-account-settings", "--region", "eu-west-1", "--output", "json"];
  const prodConcurrency = ["lambda", "get-function-concurrency", "--function-name", "order-pipeline-prod-processor", "--region", "eu-west-1", "--output", "json"];

  it("refuses prod's reservation in a new account (quota 10, 10 unreserved), naming the numbers and both fixes", () => {
    const run = preflightWithAws(["--account", "pipeline-prod"], { accountLimit: NEW_ACCOUNT, reservations: {} });
    expect(run).toEqual({
      status: 1,
      stdout: "",
      stderr:
        'Not ready to deploy:\n  - pipeline-prod: reservedConcurrency 20 needs 120 unreserved concurrent executions in eu-west-1 (20 for order-pipeline-prod-processor, which reserves none now, plus the 100 Lambda keeps unreserved) but the account has 10 (UnreservedConcurrentExecutions 10 of a ConcurrentExecutions quota of 10), so the deploy would fail with InvalidParameterValueException; request a "Concurrent executions" quota (L-B99A9384) of at least 120 in Service Quotas (AWS Lambda, eu-west-1), or deploy with PIPELINE_PROD_RESERVED_CONCURRENCY=none\n',
      calls: [accountSettings, prodConcurrency],
    });
  });

  it("passes prod when the account leaves 100 unreserved after the reservation, saying how many", () => {
    const exactly = preflightWithAws(["--account", "pipeline-prod"], { accountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 120 }, reservations: { "order-pipeline-prod-processor": null } });
    expect(exactly).toEqual({
      status: 0,
      stdout: "ready: pipeline-prod\n",
      stderr: "Note: pipeline-prod: reservedConcurrency 20 leaves 100 concurrent executions unreserved in eu-west-1 (Lambda needs at least 100)\n",
      calls: [accountSettings, prodConcurrency],
    });
    const oneShort = preflightWithAws(["--account", "pipeline-prod"], { accountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 119 }, reservations: {} });
    expect(oneShort.status).toBe(1);
    expect(oneShort.stderr).toContain("but the account has 119 (UnreservedConcurrentExecutions 119 of a ConcurrentExecutions quota of 1000)");
    expect(oneShort.stderr).toContain('quota (L-B99A9384) of at least 1001 in Service Quotas (AWS Lambda, eu-west-1), or deploy with PIPELINE_PROD_RESERVED_CONCURRENCY=none or a value of at most 19\n');
  });

  it("counts back what the deployed function reserves already, which the unreserved pool does not hold", () => {
    // 110 unreserved + the 20 it holds - the 20 it keeps = 110: fine. Without counting back, 90.
    const unchanged = preflightWithAws(["--account", "pipeline-prod"], { accountLimit: { ConcurrentExecutions: 130, UnreservedConcurrentExecutions: 110 }, reservations: { "order-pipeline-prod-processor": 20 } });
    expect(unchanged).toMatchObject({ status: 0, stdout: "ready: pipeline-prod\n" });
    const raised = preflightWithAws(["--account", "pipeline-prod"], { accountLimit: { ConcurrentExecutions: 130, UnreservedConcurrentExecutions: 110 }, reservations: { "order-pipeline-prod-processor": 20 } }, { ...REAL_ADDRESS, PIPELINE_PROD_RESERVED_CONCURRENCY: "40" });
    expect(raised.status).toBe(1);
    expect(raised.stderr).toContain("reservedConcurrency 40 needs 120 unreserved concurrent executions in eu-west-1 (40 for order-pipeline-prod-processor less the 20 it reserves now, plus the 100 Lambda keeps unreserved) but the account has 110");
    expect(raised.stderr).toContain("of at least 140 in Service Quotas (AWS Lambda, eu-west-1), or deploy with PIPELINE_PROD_RESERVED_CONCURRENCY=none or a value of at most 30\n");
  });

  it("asks nothing about a stage that reserves no concurrency, even with --account", () => {
    expect(preflightWithAws(["--account", "pipeline-dev"], { accountLimit: NEW_ACCOUNT, reservations: {} })).toMatchObject({ status: 0, stdout: "ready: pipeline-dev\n", calls: [] });
    expect(preflightWithAws(["--account", "pipeline-prod"], { accountLimit: NEW_ACCOUNT, reservations: {} }, { ...REAL_ADDRESS, PIPELINE_PROD_RESERVED_CONCURRENCY: "none" })).toMatchObject({ status: 0, stdout: "ready: pipeline-prod\n", stderr: "", calls: [] });
  });

  it("checks a later stack of the same region with what the earlier ones would reserve already taken", () => {
    const run = preflightWithAws(["--account"], { accountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 160 }, reservations: {} }, { ...REAL_ADDRESS, PIPELINE_DEV_RESERVED_CONCURRENCY: "50" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Note: pipeline-dev: reservedConcurrency 50 leaves 110 concurrent executions unreserved in eu-west-1");
    expect(run.stderr).toContain("but the account has 110 (UnreservedConcurrentExecutions 160 of a ConcurrentExecutions quota of 1000, less the 50 that pipeline-dev, checked first, would reserve)");
    expect(run.calls.map((call) => call[1])).toEqual(["get-account-settings", "get-function-concurrency", "get-function-concurrency"]);
  });

  it("fails when the AWS CLI is not on PATH, saying so and how to go on", () => {
    const run = preflightWithAws(["--account", "pipeline-prod"], "missing");
    expect(run).toEqual({
      status: 1,
      stdout: "",
      stderr:
        "Not ready to deploy:\n  - pipeline-prod: cannot check the account's concurrency for reservedConcurrency 20: the AWS CLI (aws) is not on PATH, and --account asks the account through it; install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), or leave out --account to run only the offline checks\n",
      calls: [],
    });
  });

  it("fails when the AWS CLI call fails, quoting the command and what the CLI said", () => {
    const failure = { status: 253, stderr: 'Unable to locate credentials. You can configure credentials by running "aws configure".' };
    const run = preflightWithAws(["--account", "pipeline-prod"], { accountLimit: NEW_ACCOUNT, reservations: {}, failure });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `Not ready to deploy:\n  - pipeline-prod: cannot check the account's concurrency for reservedConcurrency 20: \`aws ${accountSettings.join(" ")}\` failed (exit 253): ${failure.stderr}; give the AWS CLI credentials for the account the stack deploys to (AWS_PROFILE, aws sso login; in CI the configure-aws-credentials step) that allow lambda:GetAccountSettings and lambda:GetFunctionConcurrency, or leave out --account to run only the offline checks\n`,
    );
    expect(run.calls).toEqual([accountSettings]);
  });

  it("asks AWS nothing without --account, whatever the stage reserves", () => {
    expect(preflightWithAws(["pipeline-prod"], { accountLimit: NEW_ACCOUNT, reservations: {} })).toEqual({ status: 0, stdout: "ready: pipeline-prod\n", stderr: "", calls: [] });
    expect(preflightWithAws([], { accountLimit: NEW_ACCOUNT, reservations: {} })).toMatchObject({ status: 0, calls: [] });
  });

  it("fails with exit 2 and the usage on an unknown option, and prints the usage for --help", () => {
    const typo = preflightWithAws(["--acount", "pipeline-prod"], { accountLimit: NEW_ACCOUNT, reservations: {} });
    expect(typo).toMatchObject({ status: 2, stdout: "", calls: [] });
    expect(typo.stderr).toMatch(/^error: unknown option --acount; preflight takes --account, --help and stack names\n\nusage: npm run preflight -- \[--account\] \[STACK\.\.\.\]\n/);
    expect(preflightWithAws(["--help"], "missing")).toMatchObject({ status: 0, stdout: expect.stringMatching(/^usage: npm run preflight/), stderr: "" });
  });
});
