import { buildSync, type BuildOptions } from "esbuild";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { BUNDLE_FILE, HANDLER_EXPORT } from "../lambda-src/env";

/** Where the function's source lives and where its bundle is written. */
export interface LambdaBundleProps {
  /**
   * Entry module of the function.
   * @default - `lambda-src/index.ts` of this repository
   */
  readonly entry?: string;
  /**
   * Directory that receives the bundle; it is emptied first and is what the stack zips.
   * @default - `.build/lambda` of this repository
   */
  readonly outDir?: string;
}

/** A built bundle: the directory to package and the handler string that names its entry point. */
export interface LambdaBundle {
  /** Absolute directory holding `index.js`; only this directory is deployed. */
  readonly dir: string;
  /** The Lambda `handler` setting, `<file>.<export>`. */
  readonly handler: string;
}

const ROOT = path.resolve(__dirname, "..");
const built = new Map<string, LambdaBundle>();

/** How the function's code is compiled: one CommonJS file that Node 20 (local) and nodejs22.x (Lambda) both run. */
export const BUNDLE_SETTINGS = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minifySyntax: true,
  minifyWhitespace: true,
  keepNames: true,
  legalComments: "none",
  logLevel: "error",
} as const satisfies BuildOptions;

function buildOptions(entry: string, dir: string): BuildOptions {
  return { ...BUNDLE_SETTINGS, entryPoints: [entry], outfile: path.join(dir, `${BUNDLE_FILE}.js`), metafile: true };
}

/** What a bundle was built from: every input file's size and mtime, plus the build settings. */
interface Stamp {
  readonly options: string;
  readonly inputs: Record<string, string>;
}

function fingerprint(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return "missing";
  }
}

function stampOf(inputs: readonly string[], options: string): Stamp {
  const files = [...inputs, path.join(ROOT, "package-lock.json")];
  return { options, inputs: Object.fromEntries(files.map((f) => [f, fingerprint(f)])) };
}

function isFresh(stampFile: string, outFile: string, options: string): boolean {
  if (!existsSync(stampFile) || !existsSync(outFile)) return false;
  try {
    const previous = JSON.parse(readFileSync(stampFile, "utf8")) as Stamp;
    if (previous.options !== options) return false;
    return Object.entries(previous.inputs).every(([file, print]) => fingerprint(file) === print);
  } catch {
    return false;
  }
}

/**
 * Bundles the function with esbuild, once per process, and not at all when no input changed since
 * the last build (the stamp beside the bundle lists every input with its size and mtime). Every
 * stack and test in a run packages the very same file.
 */
export function bundleLambda(props: LambdaBundleProps = {}): LambdaBundle {
  const entry = props.entry ?? path.join(ROOT, "lambda-src", "index.ts");
  const dir = props.outDir ?? path.join(ROOT, ".build", "lambda");
  const cacheKey = `${entry}\0${dir}`;
  const cached = built.get(cacheKey);
  if (cached) return cached;

  const options = buildOptions(entry, dir);
  const optionsKey = JSON.stringify(options);
  const stampFile = `${dir}.stamp.json`; // beside the directory, so it is never deployed
  if (!isFresh(stampFile, options.outfile as string, optionsKey)) {
    // Build beside the target and swap it in, so a parallel process never sees a half-written bundle.
    const staging = `${dir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const result = buildSync({ ...options, outfile: path.join(staging, `${BUNDLE_FILE}.js`) });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    const inputs = Object.keys(result.metafile?.inputs ?? {}).map((f) => path.resolve(process.cwd(), f));
    writeFileSync(stampFile, JSON.stringify(stampOf(inputs, optionsKey)));
  }
  const bundle = { dir, handler: `${BUNDLE_FILE}.${HANDLER_EXPORT}` };
  built.set(cacheKey, bundle);
  return bundle;
}
