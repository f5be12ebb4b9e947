import { Testing } from "cdktf";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { addGuardrails, guardrails, runGuardrails, type TerraformJson } from "../../stacks/guardrails";
import { bundleLambda } from "../../stacks/lambda-bundle";
import { bundleWith, triggerStack } from "../helpers/guardrail-stacks";
import { buildStack } from "../helpers/stack";
import { cleanEnv } from "../helpers/clean-env";

describe("addGuardrails", () => {
  it("runs all seven guardrails of the README's table, in its order", () => {
    // A guardrail dropped from the list would leave its own unit tests green and the stacks unchecked.
    const readme = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## What synth checks for you"), readme.indexOf("<!-- /section:guardrails -->"));
    const documented = [...table.matchAll(/^\| \d+ \| `([a-z-]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toHaveLength(7);
    expect(guardrails({ bundleDir: "unused" }).map((guardrail) => guardrail.name)).toEqual(documented);
  });

  it.each(["dev", "prod"])("lets the real %s stack through validated synth", (stage) => {
    // Prepare
    const stack = buildStack(stage);

    // Act
    const synth = () => Testing.synth(stack, true);

    // Assess
    expect(synth).not.toThrow();
    expect(runGuardrails(JSON.parse(Testing.synth(stack)) as TerraformJson, { bundleDir: bundleLambda().dir })).toEqual([]);
  });

  it("is wired into PipelineStack: a wrong handler on the real stack fails validated synth", () => {
    const stack = buildStack("dev");
    stack.processor.function.handler = "lambda_function.lambda_handler";
    expect(() => Testing.synth(stack, true)).toThrow(
      /\[pipeline-dev\] guardrail lambda-handler: aws_lambda_function\.processor handler "lambda_function\.lambda_handler": the bundle .* set handler to "index\.handler"/,
    );
  });

  it("fails validated synth of a broken stack with every problem, each named by its guardrail", () => {
    // Prepare
    const t = triggerStack({ handler: "lambda_function.lambda_handler" });
    t.notification.dependsOn = [];
    addGuardrails(t.stack, { bundleDir: bundleWith("index.js", "exports.handler = () => {};") });

    // Act
    const synth = () => Testing.synth(t.stack, true);

    // Assess
    expect(synth).toThrow(/\[broken\] guardrail lambda-handler: aws_lambda_function\.processor handler "lambda_function\.lambda_handler"/);
    expect(synth).toThrow(/guardrail notification-permission: aws_s3_bucket_notification\.trigger does not depend on aws_lambda_permission\.trigger/);
  });

  it("runs in `npm run synth` (main.ts), which still succeeds for every stage", () => {
    // Prepare
    const outdir = mkdtempSync(path.join(tmpdir(), "cdktf-out-"));

    // Act
    const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts"], {
      cwd: path.resolve(__dirname, "..", ".."),
      env: { ...cleanEnv(), CDKTF_OUTDIR: outdir, PIPELINE_PROD_ALARM_EMAILS: "oncall@acme.io" },
      encoding: "utf8",
    });
    rmSync(outdir, { recursive: true, force: true });

    // Assess: a real on-call address, so nothing at all on stderr.
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
