import { spawnSync } from "node:child_process";
import { App, TerraformStack } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { removeStaleStackFiles } from "../stacks/synth-output";
import { cleanEnv } from "./helpers/clean-env";

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
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts"], { cwd: path.join(__dirname, ".."), env: { ...cleanEnv(), CDKTF_OUTDIR: outdir, PIPELINE_PROD_ALARM_EMAILS: "oncall@acme.io" }, encoding: "utf8" });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect([existsSync(stale), existsSync(path.join(path.dirname(stale), "cdk.tf.json"))]).toEqual([false, true]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
