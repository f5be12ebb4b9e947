import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** Name of the lock file in the state directory; it holds the pid of the run using the directory. */
export const LOCK_FILE = ".lock";

/** Another live run holds the state directory; the CLI prints the message and exits with code 2. */
export class StateDirLockedError extends Error {
  constructor(pid: number, stateDir: string) {
    super(`another run (pid ${pid}) is using ${stateDir}; stop it or wait for it to end`);
    this.name = "StateDirLockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function holder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<stateDir>/.lock` for this process and returns its release, so two runs never share the
 * state directory (nor `cdktf.out/`, which a run synthesizes into). A lock whose process is gone
 * (killed with SIGKILL, a crash) is taken over.
 * @throws {@link StateDirLockedError} while a live process holds it
 */
export function lockStateDir(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, LOCK_FILE);
  // Written aside and linked into place, so the lock never exists without its pid.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (;;) {
      try {
        linkSync(mine, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const pid = holder(file);
      if (pid !== undefined && alive(pid)) throw new StateDirLockedError(pid, stateDir);
      rmSync(file, { force: true });
    }
  } finally {
    unlinkSync(mine);
  }
  return () => {
    if (holder(file) === process.pid) unlinkSync(file);
  };
}
