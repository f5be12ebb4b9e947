import { buildSync } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
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

/**
 * Bundles the function with esbuild into one CommonJS file for Node 20+ (the local runner's Node
 * and Lambda's nodejs22.x both run it). Built once per process: every stack and test in a run
 * packages the very same file.
 */
export function bundleLambda(props: LambdaBundleProps = {}): LambdaBundle {
  const entry = props.entry ?? path.join(ROOT, "lambda-src", "index.ts");
  const dir = props.outDir ?? path.join(ROOT, ".build", "lambda");
  const cacheKey = `${entry}\0${dir}`;
  const cached = built.get(cacheKey);
  if (cached) return cached;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  buildSync({
    entryPoints: [entry],
    outfile: path.join(dir, `${BUNDLE_FILE}.js`),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minifySyntax: true,
    minifyWhitespace: true,
    keepNames: true,
    legalComments: "none",
    logLevel: "error",
  });
  const bundle = { dir, handler: `${BUNDLE_FILE}.${HANDLER_EXPORT}` };
  built.set(cacheKey, bundle);
  return bundle;
}
