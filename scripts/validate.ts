/**
 * `npm run validate`: synthesizes, then runs `terraform init -backend=false` and `terraform validate`
 * on every stack the synth wrote (as its manifest lists them: a directory left by a stage since
 * removed is not one). Where that cannot happen (no terraform on PATH, or its
 * providers cannot be installed, e.g. offline) it says it skipped and exactly why, and exits 0;
 * a configuration terraform rejects exits 1.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { readManifest, stackDirs, staleStackDirs } from "../stacks/synth-output";

/** What a finished command left behind. `missing` is true when the program itself was not found. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing?: boolean;
}

/** Runs one program; injected so the skip and failure logic is tested without terraform. */
export type RunCommand = (program: string, args: readonly string[], cwd: string) => CommandResult;

/** The result of one stack. */
export type StackOutcome =
  | { readonly stack: string; readonly status: "valid" }
  | { readonly stack: string; readonly status: "invalid"; readonly detail: string }
  | { readonly stack: string; readonly status: "skipped"; readonly reason: string };

/** What `validateStacks` found, and the exit code it implies. */
export interface ValidationReport {
  readonly outcomes: readonly StackOutcome[];
  readonly exitCode: 0 | 1;
}

/** Runs a program with spawnSync, reporting a missing binary instead of throwing; terraform does not phone home. */
export const runCommand: RunCommand = (program, args, cwd) => {
  const result = spawnSync(program, [...args], { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", missing };
};

/**
 * The first `Error:` of terraform's output with the paragraph that explains it, on one line:
 * "Failed to query available provider packages: Could not retrieve ... could not connect to registry.terraform.io: ...".
 */
export function firstError(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd());
  const at = lines.findIndex((l) => /^\s*Error:/.test(l));
  if (at === -1) return lines.find((l) => l.trim() !== "")?.trim() ?? "no output";
  const summary = lines[at].replace(/^\s*Error:\s*/, "").trim();
  const detail: string[] = [];
  let i = at + 1;
  while (i < lines.length && lines[i].trim() === "") i++;
  for (; i < lines.length && lines[i].trim() !== ""; i++) detail.push(lines[i].trim());
  return detail.length > 0 ? `${summary}: ${detail.join(" ")}` : summary;
}

/** Whether an init failure is about fetching providers (an environment problem) rather than the configuration. */
function isProviderInstallFailure(summary: string): boolean {
  return /provider|registry|plugin|could not connect|no such host/i.test(summary);
}

/** Validates the `stacks` (directory names under `stacksDir`; by default all) with `run`; never throws for terraform's answers. */
export function validateStacks(stacksDir: string, run: RunCommand = runCommand, only?: readonly string[]): ValidationReport {
  const stacks = (
    only ??
    readdirSync(stacksDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
  )
    .slice()
    .sort();
  const version = run("terraform", ["version"], stacksDir);
  if (version.missing || version.status !== 0) {
    const reason = version.missing ? "no terraform binary on PATH" : `\`terraform version\` failed: ${firstError(version.stderr || version.stdout)}`;
    return { outcomes: stacks.map((stack) => ({ stack, status: "skipped", reason })), exitCode: 0 };
  }
  const outcomes: StackOutcome[] = [];
  for (const stack of stacks) {
    const dir = path.join(stacksDir, stack);
    const init = run("terraform", ["init", "-backend=false", "-input=false", "-no-color"], dir);
    if (init.status !== 0) {
      const summary = firstError(`${init.stderr}\n${init.stdout}`);
      outcomes.push(
        isProviderInstallFailure(summary)
          ? { stack, status: "skipped", reason: `providers could not be installed: ${summary}` }
          : { stack, status: "invalid", detail: `terraform init failed:\n${`${init.stderr}\n${init.stdout}`.trim()}` },
      );
      continue;
    }
    const validate = run("terraform", ["validate", "-no-color"], dir);
    outcomes.push(
      validate.status === 0
        ? { stack, status: "valid" }
        : { stack, status: "invalid", detail: (validate.stdout + validate.stderr).trim() },
    );
  }
  return { outcomes, exitCode: outcomes.some((o) => o.status === "invalid") ? 1 : 0 };
}

/** One line per stack, for people and CI logs. */
export function formatReport(report: ValidationReport): string {
  return report.outcomes
    .map((o) => {
      if (o.status === "valid") return `${o.stack}: valid (terraform validate)`;
      if (o.status === "skipped") return `${o.stack}: skipped terraform validate: ${o.reason}`;
      return `${o.stack}: INVALID\n${o.detail.replace(/^/gm, "    ")}`;
    })
    .join("\n");
}

/**
 * The exit code when skipping is not acceptable: with `VALIDATE_REQUIRE_TERRAFORM=true` (CI, where
 * terraform and the registry are there) a skipped stack fails the run instead of passing it.
 */
export function exitCodeFor(report: ValidationReport, requireTerraform: boolean): 0 | 1 {
  return requireTerraform && report.outcomes.some((o) => o.status === "skipped") ? 1 : report.exitCode;
}

function main(): number {
  const root = path.resolve(__dirname, "..");
  const synth = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts"], { cwd: root, stdio: "inherit" });
  if (synth.status !== 0) {
    console.error("synth failed; nothing to validate");
    return 1;
  }
  const outdir = path.resolve(root, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const stacksDir = path.join(outdir, "stacks");
  if (!existsSync(stacksDir)) {
    console.error(`${stacksDir} does not exist after synth`);
    return 1;
  }
  const manifest = readManifest(outdir);
  const report = validateStacks(stacksDir, runCommand, stackDirs(outdir, manifest).map((dir) => path.basename(dir)));
  for (const dir of staleStackDirs(outdir, manifest)) console.log(`${path.basename(dir)}: not validated: no configured stage synthesizes it any more`);
  console.log(formatReport(report));
  const exitCode = exitCodeFor(report, process.env.VALIDATE_REQUIRE_TERRAFORM === "true");
  if (exitCode !== report.exitCode) console.error("VALIDATE_REQUIRE_TERRAFORM=true: a skipped stack fails here, as terraform validate must run");
  return exitCode;
}

if (require.main === module) process.exitCode = main();
