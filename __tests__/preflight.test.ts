import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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
