import { parse as parseCjs } from "cjs-module-lexer";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { resourcesOfType, type TerraformJson } from "./terraform-json";

// The order in which Lambda's Node.js runtime looks for the handler's module.
const EXTENSIONS = [".js", ".mjs", ".cjs"] as const;

/**
 * Guardrail 3: each function's `handler` (`<file>.<export>`) names a module in the bundle being
 * deployed and an export of it. The seed project deployed `lambda_function.lambda_handler` against
 * a package that had neither, and learned it from the first invocation ("Runtime.ImportModuleError").
 * Exports are found statically (cjs-module-lexer for CommonJS, export statements for ES modules);
 * the bundle is never executed. Container-image functions have no handler and are skipped.
 */
export function checkLambdaHandler(json: TerraformJson, bundleDir: string): string[] {
  const problems: string[] = [];
  for (const fn of resourcesOfType(json, "aws_lambda_function")) {
    if (fn.body.package_type === "Image" || fn.body.image_uri !== undefined) continue;
    const handler = fn.body.handler;
    if (typeof handler !== "string" || handler.includes("${")) {
      problems.push(`${fn.address} has no literal handler (${JSON.stringify(handler)}); set handler to "<file>.<export>", e.g. ${suggestion(bundleDir)}`);
      continue;
    }
    const where = `${fn.address} handler "${handler}"`;
    const slash = handler.lastIndexOf("/");
    const dot = handler.indexOf(".", slash + 1);
    if (dot < 0 || dot === handler.length - 1) {
      problems.push(`${where} is not "<file>.<export>"; set it to ${suggestion(bundleDir)}`);
      continue;
    }
    const file = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1).split(".")[0];
    const module = EXTENSIONS.map((ext) => path.join(bundleDir, file + ext)).find((p) => existsSync(p));
    if (!module) {
      problems.push(
        `${where}: the bundle ${display(bundleDir)} has no ${file}.js, ${file}.mjs or ${file}.cjs ` +
          `(it has: ${moduleFiles(bundleDir).join(", ") || "no modules"}); set handler to ${suggestion(bundleDir)}`,
      );
      continue;
    }
    const exported = moduleExports(module);
    if (!exported.includes(exportName)) {
      problems.push(
        `${where}: ${display(module)} does not export "${exportName}" (it exports: ${exported.join(", ") || "nothing"}); ` +
          `set handler to ${suggestion(bundleDir)} or export "${exportName}" from the entry module`,
      );
    }
  }
  return problems;
}

const cache = new Map<string, { readonly stamp: string; readonly names: string[] }>();

/**
 * Names a module exports, found without running it. Lexing a 1.5 MB bundle costs ~100 ms, so the
 * result is cached per file version in memory (dev and prod share one bundle) and, keyed by the
 * content's hash, in `<bundle dir>.exports.json` beside the bundle (never inside it, so never deployed).
 */
export function moduleExports(file: string): string[] {
  const stat = statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp) return hit.names;
  const source = readFileSync(file, "utf8");
  const key = `${path.basename(file)}:${createHash("sha256").update(source).digest("hex")}`;
  const diskFile = `${path.dirname(file)}.exports.json`;
  const onDisk = readDiskCache(diskFile);
  const names = onDisk[key] ?? (isEsm(file) ? esmExports(source) : cjsExports(file, source, new Set()));
  if (!onDisk[key]) writeDiskCache(diskFile, { [key]: names });
  cache.set(file, { stamp, names });
  return names;
}

function readDiskCache(file: string): Record<string, string[]> {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, string[]>) : {};
  } catch {
    return {};
  }
}

function writeDiskCache(file: string, entries: Record<string, string[]>): void {
  try {
    writeFileSync(file, JSON.stringify(entries));
  } catch {
    // A read-only checkout only loses the speed-up.
  }
}

function cjsExports(file: string, source: string, seen: Set<string>): string[] {
  seen.add(file);
  const { exports, reexports } = parseCjs(source);
  const names = new Set(exports);
  // Follow `module.exports = require("./x")` inside the bundle; packages outside it aren't deployed.
  for (const target of reexports.filter((r) => r.startsWith("."))) {
    const resolved = [target, ...EXTENSIONS.map((e) => target + e)].map((t) => path.resolve(path.dirname(file), t)).find((p) => existsSync(p) && statSync(p).isFile());
    if (resolved && !seen.has(resolved)) cjsExports(resolved, readFileSync(resolved, "utf8"), seen).forEach((n) => names.add(n));
  }
  return [...names].sort();
}

function esmExports(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/\bexport\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+)/g)) names.add(m[1]);
  for (const m of source.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name.replace(/^["']|["']$/g, ""));
    }
  }
  if (/\bexport\s+default\b/.test(source)) names.add("default");
  return [...names].sort();
}

function isEsm(file: string): boolean {
  if (file.endsWith(".mjs")) return true;
  if (file.endsWith(".cjs")) return false;
  const pkg = path.join(path.dirname(file), "package.json");
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, "utf8")) as { type?: unknown }).type === "module";
  } catch {
    return false;
  }
}

function moduleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => EXTENSIONS.some((e) => f.endsWith(e)))
    .sort();
}

/** `"index.handler"` built from the bundle's first module and its first export, or a placeholder. */
function suggestion(dir: string): string {
  for (const file of moduleFiles(dir)) {
    const first = moduleExports(path.join(dir, file))[0];
    if (first) return `"${file.replace(/\.[cm]?js$/, "")}.${first}"`;
  }
  return `"<file>.<export>" of a module in ${display(dir)}`;
}

// Paths inside the project are shown relative to it; anything else as given.
function display(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : p;
}
