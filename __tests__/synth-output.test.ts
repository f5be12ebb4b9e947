import { App, TerraformStack } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { removeStaleStackFiles } from "../stacks/synth-output";

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
