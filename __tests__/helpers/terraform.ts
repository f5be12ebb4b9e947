import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** Whether terraform can check a stack here, and if not, why. */
export type TerraformAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

let cached: TerraformAvailability | undefined;

/**
 * Terraform-backed checks need the binary and the stack's providers (hashicorp/aws 6.x,
 * hashicorp/archive). Offline, `terraform init` can't fetch them, so probe once with a minimal
 * configuration that requires exactly those providers and report the reason when it fails.
 */
export function terraformAvailability(requiredProviders: Record<string, unknown>): TerraformAvailability {
  if (cached) return cached;
  try {
    execFileSync("terraform", ["version"], { stdio: "ignore" });
  } catch {
    return (cached = { ok: false, reason: "no `terraform` on PATH" });
  }
  const dir = mkdtempSync(path.join(tmpdir(), "tf-probe-"));
  try {
    const config = JSON.stringify({ terraform: { required_providers: requiredProviders } });
    writeFileSync(path.join(dir, "main.tf.json"), config);
    const init = spawnSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (init.status === 0) return (cached = { ok: true });
    const firstError = (init.stderr || init.stdout).split("\n").find((l) => /Error|could not/i.test(l)) ?? "init failed";
    return (cached = { ok: false, reason: `terraform is installed but cannot install the providers: ${firstError.trim()}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
