import { existsSync, statSync } from "node:fs";
import * as path from "node:path";

/** Parsed command line of `npm run demo` / `npm run local`. */
export interface CliArgs {
  readonly command: "demo" | "local";
  /** Print the usage and exit 0 (`--help`, `-h`); the rest of the line is not checked. */
  readonly help: boolean;
  /** Print only the JSON array of metadata items on stdout. */
  readonly json: boolean;
  /** Leave the services running until Ctrl-C. */
  readonly keep: boolean;
  /** Reuse `.local/` of the previous `--keep` run instead of wiping it. */
  readonly resume: boolean;
  /** Deliver the events of `.local/failed-events.ndjson` again (implies `--resume`). */
  readonly replayFailed: boolean;
  /** Skip the synth and use what `cdktf.out/` holds. */
  readonly synth: boolean;
  /** Files to upload, absolute, in argument order. */
  readonly files: readonly string[];
}

/** A bad command line; the CLI prints the message and the usage, and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The usage: printed by `--help` on stdout and with every {@link UsageError} on stderr. */
export const USAGE = `usage: npm run demo [-- [--json] [--keep] [--resume] [--replay-failed] [--no-synth]]
       npm run local -- [--json] [--keep] [--resume] [--replay-failed] [--no-synth] FILE...
       npm run local -- --replay-failed | --resume --keep     (no FILE needed)
       npm run <demo|local> -- --help

  --json           print only the JSON array of metadata items (one per FILE, in order) on stdout
  --keep           leave S3, DynamoDB and SNS running and print their endpoints; Ctrl-C stops them
  --resume         continue with the state of the previous --keep run (.local/) instead of wiping it
  --replay-failed  deliver the events in .local/failed-events.ndjson again (implies --resume)
  --no-synth       use cdktf.out/ as it is instead of synthesizing first
  --help, -h       print this and exit
  --               what follows is a FILE even if it starts with -

exit codes: 0 every file got its final metadata record (SUCCEEDED, PARTIAL or FAILED)
            1 some did not (see .local/failed-events.ndjson), or the stack cannot run locally
            2 bad arguments, or another run is using .local/
            130 interrupted`;

/**
 * The longest basename, in UTF-8 bytes, that goes through the local S3 end to end (measured).
 * s3rver keeps each object in files named after its key, the longest `<name>._S3rver_metadata.json`
 * (22 bytes more), and the output object adds `.ndjson` (7): 255 (the usual file-name limit) - 29.
 */
export const LOCAL_MAX_BASENAME_BYTES = 226;

const FLAGS = {
  "--json": "json",
  "--keep": "keep",
  "--resume": "resume",
  "--replay-failed": "replayFailed",
  "--no-synth": "noSynth",
} as const;

/** Every flag the commands take, as written. */
export const CLI_FLAGS = Object.keys(FLAGS) as readonly (keyof typeof FLAGS)[];

/** An unknown option, and how to name it as a file when one of that name exists. */
function unknownOption(arg: string, cwd: string): string {
  return `unknown option ${arg}${existsSync(path.resolve(cwd, arg)) ? ` (a file? write ./${arg})` : ""}`;
}

/**
 * Parses `<demo|local> [flags] FILE...` and checks the files: each must exist and be a regular
 * file, and no two may share a basename (both would be uploaded as `incoming/<basename>`).
 * Every problem is collected and reported in one {@link UsageError}.
 */
export function parseArgs(argv: readonly string[], cwd = process.cwd()): CliArgs {
  const [command, ...rest] = argv;
  if (command !== "demo" && command !== "local") throw new UsageError(`unknown command "${command ?? ""}": expected demo or local`);
  const flags = { json: false, keep: false, resume: false, replayFailed: false, noSynth: false, help: false };
  const operands: string[] = [];
  const problems: string[] = [];
  let onlyOperands = false;
  for (const arg of rest) {
    if (!onlyOperands && arg === "--") onlyOperands = true;
    else if (!onlyOperands && arg in FLAGS) flags[FLAGS[arg as keyof typeof FLAGS]] = true;
    else if (!onlyOperands && (arg === "--help" || arg === "-h")) flags.help = true;
    else if (!onlyOperands && arg.startsWith("-") && arg !== "-") problems.push(unknownOption(arg, cwd));
    else operands.push(arg);
  }

  const resume = flags.resume || flags.replayFailed;
  if (flags.help) return { command, help: true, json: flags.json, keep: flags.keep, resume, replayFailed: flags.replayFailed, synth: !flags.noSynth, files: [] };

  if (command === "demo" && operands.length > 0) problems.push(`demo takes no files (got ${operands.join(" ")}); use npm run local -- FILE...`);
  if (command === "local" && operands.length === 0 && !flags.replayFailed && !(resume && flags.keep)) {
    problems.push("no files given: name at least one order file");
  }

  const files: string[] = [];
  const byBasename = new Map<string, string>();
  for (const operand of operands) {
    if (operand === "") {
      problems.push("an empty file name (an unset shell variable?): name each file");
      continue;
    }
    const file = path.resolve(cwd, operand);
    let stats;
    try {
      stats = statSync(file);
    } catch {
      // A relative name is resolved from where the command was typed, which may not be where the user thinks.
      problems.push(`${operand}: no such file${file === operand ? "" : ` (looked for ${file})`}`);
      continue;
    }
    if (stats.isDirectory()) {
      problems.push(`${operand}: is a directory, not a file`);
      continue;
    }
    if (!stats.isFile()) {
      problems.push(`${operand}: not a regular file`);
      continue;
    }
    const base = path.basename(file);
    const bytes = Buffer.byteLength(base);
    if (bytes > LOCAL_MAX_BASENAME_BYTES) {
      problems.push(
        `${operand}: its name is ${bytes} UTF-8 bytes; the local S3 (s3rver) stores an object in files named after it and takes at most ${LOCAL_MAX_BASENAME_BYTES} (real S3 allows keys up to 1024); rename it to run it locally`,
      );
      continue;
    }
    const earlier = byBasename.get(base);
    if (earlier !== undefined) problems.push(`${earlier} and ${operand} would both be uploaded as incoming/${base}`);
    byBasename.set(base, operand);
    files.push(file);
  }
  if (problems.length > 0) throw new UsageError(problems.join("; "));
  return { command, help: false, json: flags.json, keep: flags.keep, resume, replayFailed: flags.replayFailed, synth: !flags.noSynth, files };
}
