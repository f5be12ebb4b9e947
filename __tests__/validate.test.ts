import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { exitCodeFor, firstError, formatReport, validateStacks, type CommandResult, type RunCommand } from "../scripts/validate";

const OFFLINE_INIT = `Initializing provider plugins...
- Finding hashicorp/aws versions matching "6.25.0"...

Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider hashicorp/aws:
could not connect to registry.terraform.io: failed to request discovery
document: dial tcp: lookup registry.terraform.io: no such host

To see which modules are currently depending on hashicorp/aws and what
versions are specified, run the following command:
    terraform providers
`;

const ok: CommandResult = { status: 0, stdout: "", stderr: "" };

/** A fake terraform: answers by subcommand, and records every call as `<subcommand> <stack dir name>`. */
function fakeTerraform(answers: Partial<Record<"version" | "init" | "validate", CommandResult | ((stack: string) => CommandResult)>>) {
  const calls: string[] = [];
  const run: RunCommand = (program, args, cwd) => {
    expect(program).toBe("terraform");
    const sub = args[0] as "version" | "init" | "validate";
    calls.push(`${sub} ${path.basename(cwd)}`);
    const answer = answers[sub] ?? ok;
    return typeof answer === "function" ? answer(path.basename(cwd)) : answer;
  };
  return { run, calls };
}

describe("validateStacks", () => {
  let stacksDir: string;
  beforeEach(() => {
    stacksDir = mkdtempSync(path.join(tmpdir(), "validate-test-"));
    for (const stack of ["pipeline-prod", "pipeline-dev"]) mkdirSync(path.join(stacksDir, stack));
  });
  afterEach(() => rmSync(stacksDir, { recursive: true, force: true }));

  it("runs init without a backend, then validate, for every stack and passes when terraform accepts them", () => {
    const { run, calls } = fakeTerraform({});
    const report = validateStacks(stacksDir, run);
    expect(calls).toEqual(["version " + path.basename(stacksDir), "init pipeline-dev", "validate pipeline-dev", "init pipeline-prod", "validate pipeline-prod"]);
    expect(report).toEqual({ exitCode: 0, outcomes: [{ stack: "pipeline-dev", status: "valid" }, { stack: "pipeline-prod", status: "valid" }] });
    expect(formatReport(report)).toBe("pipeline-dev: valid (terraform validate)\npipeline-prod: valid (terraform validate)");
  });

  it("validates only the stacks it is given: a directory a removed stage left is not one of them", () => {
    mkdirSync(path.join(stacksDir, "pipeline-staging"));
    const { run, calls } = fakeTerraform({});
    const report = validateStacks(stacksDir, run, ["pipeline-prod", "pipeline-dev"]);
    expect(calls.filter((call) => call.includes("staging"))).toEqual([]);
    expect(report.outcomes.map((outcome) => outcome.stack)).toEqual(["pipeline-dev", "pipeline-prod"]);
  });

  it("passes -backend=false and -input=false to init, so no state or credentials are touched", () => {
    const seen: (readonly string[])[] = [];
    validateStacks(stacksDir, (_p, args) => {
      seen.push(args);
      return ok;
    });
    expect(seen).toContainEqual(["init", "-backend=false", "-input=false", "-no-color"]);
  });

  it("skips every stack, exiting 0, and says there is no terraform on PATH", () => {
    const { run, calls } = fakeTerraform({ version: { status: null, stdout: "", stderr: "", missing: true } });
    const report = validateStacks(stacksDir, run);
    expect(calls).toHaveLength(1);
    expect(report.exitCode).toBe(0);
    expect(formatReport(report)).toBe(
      "pipeline-dev: skipped terraform validate: no terraform binary on PATH\npipeline-prod: skipped terraform validate: no terraform binary on PATH",
    );
  });

  it("skips, exiting 0, when the providers cannot be installed, quoting terraform's first error", () => {
    const { run, calls } = fakeTerraform({ init: { status: 1, stdout: OFFLINE_INIT, stderr: "" } });
    const report = validateStacks(stacksDir, run);
    expect(calls).not.toContain("validate pipeline-dev");
    expect(report.exitCode).toBe(0);
    expect(report.outcomes[0]).toEqual({
      stack: "pipeline-dev",
      status: "skipped",
      reason:
        "providers could not be installed: Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io: failed to request discovery document: dial tcp: lookup registry.terraform.io: no such host",
    });
  });

  it("fails, exiting 1, when terraform validate rejects a stack, and shows why", () => {
    const invalid = { status: 1, stdout: "", stderr: 'Error: Unsupported argument\n\n  on cdk.tf.json line 12:\nAn argument named "bukket" is not expected here.' };
    const { run } = fakeTerraform({ validate: (stack) => (stack === "pipeline-prod" ? invalid : ok) });
    const report = validateStacks(stacksDir, run);
    expect(report.exitCode).toBe(1);
    expect(report.outcomes[0]).toEqual({ stack: "pipeline-dev", status: "valid" });
    expect(report.outcomes[1]).toMatchObject({ stack: "pipeline-prod", status: "invalid" });
    expect(formatReport(report)).toMatch(/pipeline-prod: INVALID\n {4}Error: Unsupported argument[\s\S]*"bukket"/);
  });

  it("fails, exiting 1, with all of terraform's errors, when init rejects the configuration itself rather than the download", () => {
    // Part of what terraform 1.11 printed here (-no-color) for a stack directory holding both cdk.tf and cdk.tf.json.
    const stderr = [
      "Error: Terraform encountered problems during initialisation, including problems",
      "with the configuration, described below.",
      "",
      "The Terraform configuration must be valid before initialization so that",
      "Terraform can determine which modules and providers need to be installed.",
      "",
      "",
      'Error: Duplicate data "archive_file" configuration',
      "",
      "  on cdk.tf.json line 23, in data.archive_file:",
      '  23:       "processor": {',
      "",
      'A archive_file data resource named "processor" was already declared at',
      "cdk.tf:323,1-32. Resource names must be unique per type in each module.",
    ].join("\n");
    const { run } = fakeTerraform({ init: { status: 1, stdout: "", stderr } });
    const report = validateStacks(stacksDir, run);
    expect(report.exitCode).toBe(1);
    expect(report.outcomes[0]).toEqual({ stack: "pipeline-dev", status: "invalid", detail: `terraform init failed:\n${stderr}` });
    expect(formatReport(report)).toContain('\n    Error: Duplicate data "archive_file" configuration\n');
  });

  it("fails a skip where terraform is required (CI), and passes a valid run there too", () => {
    const { run: missing } = fakeTerraform({ version: { status: null, stdout: "", stderr: "", missing: true } });
    const skipped = validateStacks(stacksDir, missing);
    expect([exitCodeFor(skipped, false), exitCodeFor(skipped, true)]).toEqual([0, 1]);
    const { run: ok } = fakeTerraform({});
    expect(exitCodeFor(validateStacks(stacksDir, ok), true)).toBe(0);
  });

  it("skips, exiting 0, when terraform is there but does not run, saying so", () => {
    const { run } = fakeTerraform({ version: { status: 1, stdout: "", stderr: "Error: cannot execute binary file" } });
    const report = validateStacks(stacksDir, run);
    expect(report.exitCode).toBe(0);
    expect(report.outcomes[0]).toEqual({ stack: "pipeline-dev", status: "skipped", reason: "`terraform version` failed: cannot execute binary file" });
  });
});

describe("firstError", () => {
  it("strips the box drawing terraform puts around diagnostics", () => {
    expect(firstError("╷\n│ Error: Failed to install provider\n│ \n│ Error while installing hashicorp/aws v6.25.0\n╵")).toBe(
      "Failed to install provider: Error while installing hashicorp/aws v6.25.0",
    );
  });

  it("falls back to the first non-empty line when there is no Error:", () => {
    expect(firstError("\n  something broke\nmore")).toBe("something broke");
  });
});
