import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { type App, CONTEXT_ENV, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ConfigError } from "./config";

/**
 * Tidies what `app.synth()` wrote for `stacks` and returns the warnings to print: removes the
 * other format's stale files, repairs what cdktf writes wrongly in HCL, and warns of stack directories no
 * stage owns any more and, outside the cdktf CLI (which prints them itself), of the stacks' own
 * warnings.
 */
export function finishSynth(app: App, stacks: readonly TerraformStack[]): string[] {
  const manifest = readManifest(app.outdir);
  removeStaleStackFiles(app.outdir, manifest);
  if (app.hclOutput) repairHcl(stacks, app.outdir, manifest);
  const warnings = staleStackDirs(app.outdir, manifest).map((dir) => {
    const stack = path.basename(dir);
    return `${dir} is from a stack no configured stage synthesizes any more (the cdktf CLI deletes such directories, npm run synth keeps them); if ${stack} was deployed, its resources and state still exist: configure its stage again and run \`npm run destroy -- ${stack}\` to remove them`;
  });
  if (process.env[CONTEXT_ENV] === undefined) warnings.push(...stackWarnings(app.outdir, manifest));
  return warnings;
}

/**
 * What to print when synth threw a mistake of the user's: a configuration error, or the stacks'
 * validation problems (the guardrails'), each naming the problem and its fix, with no stack
 * trace. `undefined` for anything else: a bug, whose trace matters.
 */
export function synthFailureMessage(error: unknown, app: App): string | undefined {
  if (error instanceof ConfigError) return error.message;
  const problems = validationProblems(app);
  if (problems.length === 0) return undefined;
  return [`synth stopped: ${problems.length} problem(s) in the stacks; fix each as it says`, ...problems].join("\n  ");
}

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

/** The `terraform` block attributes cdktf writes as blocks of their own in HCL. */
const TERRAFORM_SUBBLOCKS = new Set(["required_providers", "backend", "cloud"]);

/**
 * One entry of a `depends_on` list as cdktf writes it in HCL, on its own line: a quoted address
 * (a resource's list, `"aws_iam_role.x",`) or a quoted interpolation of one (an output's,
 * `"${aws_iam_role.x}"`, which terraform refuses outright).
 */
const ADDRESS = String.raw`(?:data\.|module\.)?[a-z][\w-]*(?:\.[a-zA-Z_][\w-]*)?`;
const QUOTED_ADDRESS = new RegExp(String.raw`^(\s*)"(?:\$\{(${ADDRESS})\}|(${ADDRESS}))"(,?)$`);

/**
 * Repairs two things cdktf 0.21 writes wrongly in each stack it writes as HCL (`cdktf synth
 * --hcl`), so the files are the plain Terraform the README offers as the way off cdktf:
 * - the `terraform` block's plain attributes are rendered from the list of their names, not from
 *   the attributes: `required_version = ">= 1.11"` comes out as `0 = "required_version"`, which
 *   terraform refuses to parse. Each such line gets its value back from the stack's Terraform JSON.
 * - `depends_on` lists quoted addresses (`"aws_iam_role_policy.processor"`), which terraform
 *   accepts with a deprecation warning on every command; they are written as references.
 * Throws when a terraform attribute is not a plain string, number or boolean (it would need real
 * HCL rendering), rather than write a stack terraform would refuse. Returns the files repaired.
 */
export function repairHcl(stacks: readonly TerraformStack[], outdir: string, manifest: Manifest = readManifest(outdir)): string[] {
  const repaired: string[] = [];
  for (const stack of stacks) {
    const entry = manifest.stacks[stack.node.id];
    if (entry === undefined || path.basename(entry.synthesizedStackPath) !== "cdk.tf") continue;
    const file = path.join(outdir, entry.synthesizedStackPath);
    const hcl = readFileSync(file, "utf8");
    const fixed = unquoteDependsOn(repairTerraformBlock(hcl, stack, file));
    if (fixed !== hcl) {
      writeFileSync(file, fixed);
      repaired.push(file);
    }
  }
  return repaired;
}

/** The terraform block comes first; its lines up to the one that closes it. */
function repairTerraformBlock(hcl: string, stack: TerraformStack, file: string): string {
  if (!hcl.startsWith("terraform {")) return hcl;
  const attributes = ((stack.toTerraform() as { terraform?: Record<string, unknown> }).terraform ?? {}) as Record<string, unknown>;
  const names = Object.keys(attributes).filter((name) => !TERRAFORM_SUBBLOCKS.has(name));
  const lines = hcl.split("\n");
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    depth += braceDelta(withoutStrings(lines[i]));
    if (depth === 0) break;
    lines[i] = lines[i].replace(/^(\s*)(\d+) = "([a-z_]+)"$/, (line, indent: string, index: string, name: string) => {
      if (names[Number(index)] !== name) return line;
      const value = attributes[name];
      if (!((typeof value === "string" && !/[$%]\{/.test(value)) || typeof value === "number" || typeof value === "boolean")) {
        throw new Error(`${file}: cannot write terraform.${name} (${JSON.stringify(value)}) as HCL; set it to a plain string, number or boolean`);
      }
      return `${indent}${name} = ${JSON.stringify(value)}`;
    });
  }
  return lines.join("\n");
}

/**
 * Writes the quoted addresses of every `depends_on` list that is an argument of a top-level block
 * (a resource, data source, module or output) as references. Reads the file line by line, counting
 * braces outside quoted strings and skipping heredocs, so a string or a map that merely holds the
 * text `depends_on = [` is left as it is.
 */
function unquoteDependsOn(hcl: string): string {
  const lines = hcl.split("\n");
  let depth = 0;
  let heredoc: { readonly marker: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (heredoc !== undefined) {
      // terraform ends either kind of heredoc at its marker, indented or not.
      if (line.trim() === heredoc.marker) heredoc = undefined;
      continue;
    }
    if (depth === 1 && /^\s*depends_on = \[$/.test(line)) {
      let end = i + 1;
      while (end < lines.length && QUOTED_ADDRESS.test(lines[end])) end++;
      if (end > i + 1 && end < lines.length && /^\s*\]$/.test(lines[end])) {
        for (let j = i + 1; j < end; j++) {
          lines[j] = lines[j].replace(QUOTED_ADDRESS, (_entry, indent: string, interpolated: string | undefined, plain: string | undefined, comma: string) => `${indent}${interpolated ?? plain}${comma}`);
        }
        i = end;
        continue;
      }
    }
    const code = withoutStrings(line);
    depth += braceDelta(code);
    const opened = /<<-?([A-Za-z_][\w-]*)$/.exec(code.trimEnd());
    if (opened !== null) heredoc = { marker: opened[1] };
  }
  return lines.join("\n");
}

/**
 * The line without its quoted strings, templates included: the text of `"a-${f("}")}"` is all
 * string, though a quote inside an interpolation opens a string of its own. (`$${` and `%%{` are
 * literal text, not interpolations.)
 */
function withoutStrings(line: string): string {
  let code = "";
  let inString = false;
  /** Open braces inside each interpolation the scan is in, innermost last. */
  const interpolations: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      else if ((char === "$" || char === "%") && line[i + 1] === char && line[i + 2] === "{") i += 2;
      else if ((char === "$" || char === "%") && line[i + 1] === "{") {
        interpolations.push(0);
        inString = false;
        i++;
      }
    } else if (char === '"') inString = true;
    else if (interpolations.length > 0) {
      const last = interpolations.length - 1;
      if (char === "{") interpolations[last]++;
      else if (char === "}" && interpolations[last]-- === 0) {
        interpolations.pop();
        inString = true;
      }
    } else code += char;
  }
  return code;
}

/** Braces `code` (a line without its strings, see `withoutStrings`) opens minus those it closes. */
function braceDelta(code: string): number {
  let delta = 0;
  for (const char of code) {
    if (char === "{") delta++;
    else if (char === "}") delta--;
  }
  return delta;
}

/**
 * Every validation problem under `scope` (the guardrails among them), as `[<path>] <message>`:
 * what `app.synth()` threw for, read through the public constructs API to print on its own.
 */
export function validationProblems(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((construct) => construct.node.validate().map((message) => `[${construct.node.path}] ${message}`));
}

/** The directory of each stack the manifest lists. */
export function stackDirs(outdir: string, manifest: Manifest = readManifest(outdir)): string[] {
  return Object.values(manifest.stacks).map(({ synthesizedStackPath }) => path.join(outdir, path.dirname(synthesizedStackPath)));
}

/**
 * Stack directories in `<outdir>/stacks` that the manifest does not name: left by a stage since
 * removed from the configuration (the cdktf CLI deletes them after its synth; `npm run synth`
 * leaves them to the user). If that stage was deployed, its resources and state still exist.
 */
export function staleStackDirs(outdir: string, manifest: Manifest = readManifest(outdir)): string[] {
  const stacksDir = path.join(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  const current = new Set(stackDirs(outdir, manifest));
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !current.has(path.join(stacksDir, entry.name)))
    .map((entry) => path.join(stacksDir, entry.name))
    .sort();
}
