import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** One way of synthesizing (or testing) the project, timed as a whole process. */
interface Variant {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

const ROOT = path.resolve(__dirname, "..");

/**
 * The cdktf TypeScript template's default entry point: the provider's root barrel import, run by
 * ts-node with type-checking. Written under `.build/` only for this benchmark, so no file of the
 * project (and no `tsc --noEmit` of `npm test`) ever loads the barrel.
 */
/** The package whose root barrel the template imports: this benchmark's subject, never the app's. */
const PROVIDER_PACKAGE = "@cdktf/provider-aws";

const TEMPLATE_MAIN = `import * as aws from "${PROVIDER_PACKAGE}";
import { App } from "cdktf";
import { loadConfig } from "../../stacks/config";
import { PipelineStack } from "../../stacks/pipeline-stack";

void aws.provider.AwsProvider;
const app = new App();
for (const config of loadConfig()) new PipelineStack(app, { config });
app.synth();
`;

function writeTemplateMain(): string {
  const dir = path.join(ROOT, ".build", "bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "template-main.ts");
  writeFileSync(file, TEMPLATE_MAIN);
  return path.relative(ROOT, file);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function time(variant: Variant, outDir: string): { ms: number; ok: boolean } {
  const started = process.hrtime.bigint();
  const result = spawnSync(variant.command, [...variant.args], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outDir, CI: "1" },
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) process.stderr.write(`${variant.name} failed:\n${result.stderr}\n`);
  return { ms, ok: result.status === 0 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Times synthesis of both stacks, ours against the cdktf template's default, interleaved in one
 * run so machine noise hits both alike, and prints medians and ratios. No timing is asserted anywhere.
 */
function main(): void {
  const cli = path.join(ROOT, "node_modules", ".bin", "cdktf");
  const templateMain = writeTemplateMain();
  const variants: Variant[] = [
    { name: "npm run synth (tsx, deep imports)", command: "node", args: ["--require", "tsx/cjs", "main.ts"] },
    { name: "template app alone (ts-node, root import)", command: "npx", args: ["ts-node", templateMain] },
    { name: "template default: cdktf synth + ts-node + root import", command: cli, args: ["synth", "--app", `npx ts-node ${templateMain}`, "--output", "OUT"] },
    { name: "cdktf synth with this app (tsx, deep imports)", command: cli, args: ["synth", "--output", "OUT"] },
    { name: "type-check once (tsc --noEmit)", command: "npx", args: ["tsc", "--noEmit", "-p", "."] },
  ];
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const variant of variants) {
      const outDir = mkdtempSync(path.join(tmpdir(), "bench-synth-"));
      const args = variant.args.map((a) => (a === "OUT" ? outDir : a));
      const { ms, ok } = time({ ...variant, args }, outDir);
      rmSync(outDir, { recursive: true, force: true });
      if (ok) samples.get(variant.name)?.push(ms);
      // One line rewritten in place on a terminal; a line each in a log, where \r would run them together.
      process.stderr.write(process.stderr.isTTY ? `\r run ${run + 1}/${RUNS}: ${variant.name.padEnd(56)}` : ` run ${run + 1}/${RUNS}: ${variant.name}\n`);
    }
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  const ours = median(samples.get(variants[0].name) ?? [Number.NaN]);
  const template = median(samples.get(variants[2].name) ?? [Number.NaN]);
  console.log(`\nSynth benchmark (median of ${RUNS} interleaved runs, both stacks, this machine)\n`);
  console.log(`| variant | median ms | vs npm run synth |`);
  console.log(`|---|---:|---:|`);
  for (const variant of variants) {
    const ms = median(samples.get(variant.name) ?? [Number.NaN]);
    console.log(`| ${variant.name} | ${ms.toFixed(0)} | ${(ms / ours).toFixed(1)}x |`);
  }
  console.log(`\nnpm run synth: ${(ours / 1000).toFixed(2)} s (target < 2 s); template default / ours = ${(template / ours).toFixed(1)}x (target >= 5x)`);
  if (process.env.BENCH_SKIP_TESTS !== "1") {
    const outDir = mkdtempSync(path.join(tmpdir(), "bench-tests-"));
    const suite = time({ name: "jest", command: "npx", args: ["jest", "--silent"] }, outDir);
    rmSync(outDir, { recursive: true, force: true });
    console.log(`Test time: the whole jest suite (once, after the type-check above) ${(suite.ms / 1000).toFixed(1)} s${suite.ok ? "" : " (FAILED)"}`);
  }
}

main();
