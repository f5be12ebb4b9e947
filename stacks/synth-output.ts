import { existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";

/** What `manifest.json` in the output directory says about each synthesized stack. */
export interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly synthesizedStackPath: string; readonly annotations?: readonly { readonly level: string; readonly message: string }[] }>>;
}

/** Reads `manifest.json`, which cdktf writes into the output directory with the stacks. */
export function readManifest(outdir: string): Manifest {
  return JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
}

/**
 * Removes, next to each stack's synthesized file, the file of the other format that an earlier
 * synth left there: `cdk.tf` (from `cdktf synth --hcl`) beside a new `cdk.tf.json`, or the other
 * way round. cdktf overwrites only the format it writes, and terraform reads both, so `terraform
 * validate`, `plan` and `cdktf deploy` would fail on every block declared twice. Reads the
 * manifest cdktf writes with the stacks; returns the files removed.
 */
export function removeStaleStackFiles(outdir: string, manifest: Manifest = readManifest(outdir)): string[] {
  const removed: string[] = [];
  for (const { synthesizedStackPath } of Object.values(manifest.stacks)) {
    const written = path.join(outdir, synthesizedStackPath);
    const other = path.join(path.dirname(written), path.basename(written) === "cdk.tf" ? "cdk.tf.json" : "cdk.tf");
    if (existsSync(other)) {
      rmSync(other);
      removed.push(other);
    }
  }
  return removed;
}

/**
 * The warnings the stacks recorded (`Annotations.addWarning`), as `<stack>: <message>`. The cdktf
 * CLI prints them at synth, diff and deploy; `npm run synth`, which runs without the CLI, prints
 * them with this.
 */
export function stackWarnings(outdir: string, manifest: Manifest = readManifest(outdir)): string[] {
  return Object.entries(manifest.stacks).flatMap(([stack, { annotations = [] }]) =>
    annotations.filter((annotation) => annotation.level === "@cdktf/warn").map((annotation) => `${stack}: ${annotation.message}`),
  );
}
