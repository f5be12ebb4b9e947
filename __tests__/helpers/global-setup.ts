import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bundleLambda } from "../../stacks/lambda-bundle";

/** The run's own temporary directory, which global-teardown.ts removes. */
export const RUN_TMPDIR_VARIABLE = "ORDER_PIPELINE_TEST_TMPDIR";

/**
 * Builds the function bundle once before jest starts its workers, so they all package the same
 * file. Points TMPDIR, which the workers inherit, at a directory of this run's own: cdktf's
 * `Testing.synth` leaves a `cdktf.outdir.*` directory behind per call (about a hundred per run),
 * and the teardown removes them all with it, without touching another run's files.
 */
export default function globalSetup(): void {
  bundleLambda();
  const dir = mkdtempSync(path.join(tmpdir(), "order-pipeline-tests-"));
  process.env[RUN_TMPDIR_VARIABLE] = dir;
  process.env.TMPDIR = dir;
}
