import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { preflightProblems } from "../scripts/preflight";
import { placeholderEmailProblem } from "../stacks/config";
import { stackWarnings } from "../stacks/synth-output";
import { buildStack, stageConfig } from "./helpers/stack";

const ROOT = path.join(__dirname, "..");
const SHIPPED_PROD_WARNING =
  "alarmEmails oncall@example.com is at a domain reserved for examples, so alarms and FAILED files would reach nobody; put the on-call addresses in config/stages.json or PIPELINE_PROD_ALARM_EMAILS before deploying";

function npmRun(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--require", "tsx/cjs", script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("alarm addresses at a domain reserved for examples", () => {
  it("are named, with the setting to change, for every reserved domain and only those", () => {
    const problem = (alarmEmails: string[]) => placeholderEmailProblem(stageConfig("prod", { alarmEmails }));
    expect(problem(["oncall@example.com"])).toBe(SHIPPED_PROD_WARNING);
    expect(problem(["a@acme.io", "b@mail.example.org", "c@EXAMPLE.NET", "d@corp.test", "e@x.example", "f@host.invalid", "g@box.localhost"])).toMatch(
      /^alarmEmails b@mail\.example\.org, c@EXAMPLE\.NET, d@corp\.test, e@x\.example, f@host\.invalid, g@box\.localhost are at a domain/,
    );
    expect(problem(["a@acme.io", "b@example.company.com", "c@myexample.com", "d@testing.dev"])).toBeUndefined();
    expect(problem([])).toBeUndefined();
  });

  it("still synthesize, with a warning that cdktf prints at synth, diff and deploy", () => {
    const outdir = Testing.fullSynth(buildStack("prod"));
    expect(stackWarnings(outdir)).toEqual([`pipeline-prod: ${SHIPPED_PROD_WARNING}`]);
    const real = Testing.fullSynth(buildStack("prod", { alarmEmails: ["oncall@acme.io"] }));
    expect(stackWarnings(real)).toEqual([]);
  });

  it("are printed by npm run synth as a warning, which does not fail it", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "synth-warn-"));
    try {
      expect(npmRun("main.ts", [], { CDKTF_OUTDIR: outdir })).toEqual({ status: 0, stdout: "", stderr: `Warning: pipeline-prod: ${SHIPPED_PROD_WARNING}\n` });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("npm run preflight", () => {
  it("refuses the shipped prod configuration, naming the stack, the address and the fix", () => {
    expect(preflightProblems(["pipeline-prod"], [stageConfig("dev"), stageConfig("prod")])).toEqual([`pipeline-prod: ${SHIPPED_PROD_WARNING}`]);
    expect(preflightProblems([], [stageConfig("dev"), stageConfig("prod")])).toEqual([`pipeline-prod: ${SHIPPED_PROD_WARNING}`]);
  });

  it("passes a stack without placeholders, and names an unknown stack with the real ones", () => {
    expect(preflightProblems(["pipeline-dev"], [stageConfig("dev"), stageConfig("prod")])).toEqual([]);
    expect(preflightProblems(["pipeline-qa"], [stageConfig("dev"), stageConfig("prod")])).toEqual(["pipeline-qa: no such stack; the stacks are pipeline-dev, pipeline-prod"]);
  });

  it("exits 1 on the shipped prod, and 0 once the environment gives a real address", () => {
    expect(npmRun("scripts/preflight.ts", ["pipeline-prod"])).toEqual({ status: 1, stdout: "", stderr: `Not ready to deploy:\n  - pipeline-prod: ${SHIPPED_PROD_WARNING}\n` });
    expect(npmRun("scripts/preflight.ts", ["pipeline-prod"], { PIPELINE_PROD_ALARM_EMAILS: "oncall@acme.io" })).toEqual({ status: 0, stdout: "ready: pipeline-prod\n", stderr: "" });
  });
});
