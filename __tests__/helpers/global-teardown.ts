import { rmSync } from "node:fs";
import { RUN_TMPDIR_VARIABLE } from "./global-setup";

/** Removes the run's temporary directory (see global-setup.ts), with all the tests left in it. */
export default function globalTeardown(): void {
  const dir = process.env[RUN_TMPDIR_VARIABLE];
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}
