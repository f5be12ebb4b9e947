import { spawnSync } from "node:child_process";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { App, Fn, TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { removeStaleStackFiles, repairHcl, staleStackDirs, synthFailureMessage } from "../stacks/synth-output";
import { cleanEnv } from "./helpers/clean-env";

const ROOT = path.join(__dirname, "..");

describe("removeStaleStackFiles", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.each([
    ["JSON", false, "cdk.tf.json", "cdk.tf"],
    ["HCL", true, "cdk.tf", "cdk.tf.json"],
  ])("removes the other format's file an earlier synth left, after a synth to %s", (_format, hclOutput, written, stale) => {
    // Prepare: an earlier synth in the other format left its file.
    const outdir = mkdtempSync(path.join(tmpdir(), "synth-output-"));
    dirs.push(outdir);
    const stackDir = path.join(outdir, "stacks", "pipeline-x");
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(path.join(stackDir, stale), "left by an earlier synth");
    const app = new App({ outdir, hclOutput });
    new TerraformStack(app, "pipeline-x");
    app.synth();

    // Act
    const removed = removeStaleStackFiles(outdir);

    // Assess
    expect(removed).toEqual([path.join(stackDir, stale)]);
    expect([existsSync(path.join(stackDir, written)), existsSync(path.join(stackDir, stale))]).toEqual([true, false]);
  });
});

describe("npm run synth", () => {
  it("leaves only the JSON stack files, removing the cdk.tf an earlier `cdktf synth --hcl` wrote", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "synth-stale-"));
    try {
      const stale = path.join(outdir, "stacks", "pipeline-dev", "cdk.tf");
      mkdirSync(path.dirname(stale), { recursive: true });
      writeFileSync(stale, "left by an earlier synth");
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts"], { cwd: ROOT, env: { ...cleanEnv(), CDKTF_OUTDIR: outdir, PIPELINE_PROD_ALARM_EMAILS: "oncall@acme.io" }, encoding: "utf8" });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect([existsSync(stale), existsSync(path.join(path.dirname(stale), "cdk.tf.json"))]).toEqual([false, true]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("repairHcl", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** An HCL synth, as cdktf writes it, of a stack that `build` fills (by default: a required_version and a depends_on). */
  function synthHcl(build: (stack: TerraformStack) => void = requiredVersionAndDependsOn): { stack: TerraformStack; outdir: string; file: string } {
    const outdir = mkdtempSync(path.join(tmpdir(), "repair-hcl-"));
    dirs.push(outdir);
    // A stack writes HCL by the variable the cdktf CLI sets (the App's hclOutput only names the file).
    process.env.SYNTH_HCL_OUTPUT = "true";
    const app = new App({ outdir, hclOutput: true });
    const stack = new TerraformStack(app, "pipeline-x");
    delete process.env.SYNTH_HCL_OUTPUT;
    build(stack);
    app.synth();
    return { stack, outdir, file: path.join(outdir, "stacks", "pipeline-x", "cdk.tf") };
  }

  function requiredVersionAndDependsOn(stack: TerraformStack): void {
    stack.addOverride("terraform.required_version", ">= 1.11");
    // terraform_data is built into terraform: validate needs no provider download.
    const first = new TerraformResource(stack, "first", { terraformResourceType: "terraform_data" });
    new TerraformResource(stack, "second", { terraformResourceType: "terraform_data", dependsOn: [first] });
    // An output's depends_on comes out as "${terraform_data.first}", which terraform refuses.
    new TerraformOutput(stack, "done", { value: "yes", dependsOn: [first] });
  }

  it("writes the terraform block's required_version and depends_on references as terraform reads them", () => {
    const { stack, outdir, file } = synthHcl();
    // What cdktf 0.21 writes: an attribute terraform cannot parse, and quoted references.
    expect(readFileSync(file, "utf8")).toMatch(/^\s*0 = "required_version"$/m);

    expect(repairHcl([stack], outdir)).toEqual([file]);

    const hcl = readFileSync(file, "utf8");
    expect(hcl).toMatch(/^terraform \{[\s\S]*^\s*required_version = ">= 1\.11"\n\}/m);
    expect(hcl).not.toMatch(/^\s*\d+ = /m);
    expect(hcl).toMatch(/depends_on = \[\n\s*terraform_data\.first,\n\s*\]/);
    expect(hcl).toMatch(/depends_on = \[\n\s*terraform_data\.first\n\s*\]/);
    expect(repairHcl([stack], outdir)).toEqual([]);
  });

  it("leaves alone a heredoc or a map that merely holds the text of a depends_on list, whatever braces strings hold before it", () => {
    const text = 'depends_on = [\n  "terraform_data.first",\n]\n';
    const { stack, outdir, file } = synthHcl((scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1" });
      const first = new TerraformResource(scope, "first", { terraformResourceType: "terraform_data" });
      // A brace inside a string inside an interpolation must not count as code.
      first.addOverride("input", Fn.replace("abc", "}", ""));
      const second = new TerraformResource(scope, "second", { terraformResourceType: "terraform_data" });
      second.addOverride("triggers_replace", { depends_on: ["terraform_data.first"] });
      // cdktf writes a multi-line string as a heredoc.
      new S3Object(scope, "doc", { bucket: "b", key: "k", content: text, dependsOn: [first] });
    });

    repairHcl([stack], outdir);

    const hcl = readFileSync(file, "utf8");
    expect(hcl).toContain(`<<EOF\n${text}\nEOF`);
    expect(hcl).toMatch(/triggers_replace = \{\s*depends_on = \[\s*"terraform_data\.first",\s*\]/);
    expect(hcl).toMatch(/key = "k"\s*depends_on = \[\s*terraform_data\.first,\s*\]/);
  });

  it("leaves a stack terraform validates without errors or warnings (runs where terraform is on PATH)", () => {
    const { stack, outdir, file } = synthHcl();
    repairHcl([stack], outdir);
    const env = { ...cleanEnv(), CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: "/dev/null" };
    const run = (args: string[]) => spawnSync("terraform", args, { cwd: path.dirname(file), env, encoding: "utf8", timeout: 60_000 });
    const init = run(["init", "-backend=false", "-input=false", "-no-color"]);
    if ((init.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
      console.info("skipped terraform validate of the repaired HCL: no `terraform` on PATH");
      return;
    }
    expect({ status: init.status, output: init.status === 0 ? "" : init.stderr }).toEqual({ status: 0, output: "" });
    const validate = JSON.parse(run(["validate", "-json", "-no-color"]).stdout) as { valid: boolean; error_count: number; warning_count: number; diagnostics: unknown[] };
    expect(validate).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
  });
});

describe("staleStackDirs", () => {
  it("names a stack directory the manifest no longer lists, and not the current ones", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "stale-stacks-"));
    try {
      mkdirSync(path.join(outdir, "stacks", "pipeline-staging"), { recursive: true });
      const app = new App({ outdir });
      new TerraformStack(app, "pipeline-dev");
      app.synth();
      expect(staleStackDirs(outdir)).toEqual([path.join(outdir, "stacks", "pipeline-staging")]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("synthFailureMessage", () => {
  it("prints the stacks' validation problems on their own, and leaves any other error to its trace", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "synth-failure-")) });
    const stack = new TerraformStack(app, "pipeline-x");
    expect(synthFailureMessage(new Error("a bug"), app)).toBeUndefined();
    stack.node.addValidation({ validate: () => ["guardrail lambda-handler: set handler to \"index.handler\""] });
    let thrown: unknown;
    try {
      app.synth();
    } catch (error) {
      thrown = error;
    } finally {
      rmSync(app.outdir, { recursive: true, force: true });
    }
    expect(synthFailureMessage(thrown, app)).toBe('synth stopped: 1 problem(s) in the stacks; fix each as it says\n  [pipeline-x] guardrail lambda-handler: set handler to "index.handler"');
  });
});
