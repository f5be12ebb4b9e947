import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { type CliArgs, CLI_FLAGS, parseArgs, USAGE, UsageError } from "./args";
import type { S3Event } from "aws-lambda";
import { decodeEventKey, outputKeyFor } from "../lambda-src/keys";
import { lockStateDir, StateDirLockedError } from "./lock";
import { LocalPipeline, STATE_FILES } from "./pipeline";
import { LocalPlanError } from "./provision";
import { type FileOutcome, hasFinalRecord, renderTable } from "./table";

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/** Paths and timings the CLI uses; tests point them elsewhere. */
export interface CliOptions {
  /**
   * Project root (holds `main.ts`, `samples/`, `cdktf.out/`).
   * @default - the parent of `local/`
   */
  readonly root?: string;
  /**
   * Synthesized stack directory.
   * @default - `<root>/cdktf.out/stacks/pipeline-dev`
   */
  readonly stackDir?: string;
  /**
   * Local state directory.
   * @default - `<root>/.local`
   */
  readonly stateDir?: string;
  /**
   * First retry delay of a failed invocation.
   * @default 500
   */
  readonly retryBaseDelayMs?: number;
  /**
   * Resolves when `--keep` should stop (tests); the CLI itself waits for SIGINT or SIGTERM.
   * @default - the first SIGINT or SIGTERM
   */
  readonly shutdown?: Promise<unknown>;
  /**
   * Directory relative FILE arguments are resolved from. npm runs scripts from the project root,
   * so the command line passes npm's `INIT_CWD`, where the user typed the command.
   * @default - the process's working directory
   */
  readonly cwd?: string;
}

/** The stack `npm run demo` and `npm run local` run. */
export const LOCAL_STACK = "pipeline-dev";

interface Session {
  readonly keep: boolean;
  readonly startedAt: string;
}

const ROOT = path.resolve(__dirname, "..");

/** Files the demo uploads: every file of `samples/`, by name. */
export function sampleFiles(root = ROOT): string[] {
  const dir = path.join(root, "samples");
  return readdirSync(dir)
    .filter((name) => !name.startsWith(".") && statSync(path.join(dir, name)).isFile())
    .sort()
    .map((name) => path.join(dir, name));
}

/** `npm run synth` failed; its output says why (a configuration mistake lists each problem and its fix). */
class SynthFailedError extends Error {
  constructor(output: string) {
    super(`npm run synth failed, so there is no stack to run:\n${output.trimEnd()}`);
    this.name = "SynthFailedError";
  }
}

/** A signal stopped `npm run synth` (Ctrl-C reaches the whole process group); the CLI exits with code 130. */
class SynthInterruptedError extends Error {
  constructor(signal: string) {
    super(`${signal}: interrupted during npm run synth`);
    this.name = "SynthInterruptedError";
  }
}

/** `npm run synth`, in a child process so the stack is exactly what the command writes. */
function synthesize(root: string, io: CliIo): void {
  io.stderr.write(`synthesizing (npm run synth) ...\n`);
  const result = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts"], { cwd: root, encoding: "utf8", env: process.env });
  if (result.signal) throw new SynthInterruptedError(result.signal);
  if (result.status !== 0) throw new SynthFailedError(result.stderr || result.stdout);
}

function readSession(stateDir: string): Session | undefined {
  try {
    return JSON.parse(readFileSync(path.join(stateDir, STATE_FILES.session), "utf8")) as Session;
  } catch {
    return undefined;
  }
}

function signalled(): { promise: Promise<string>; dispose: () => void } {
  let dispose = (): void => undefined;
  const promise = new Promise<string>((resolve) => {
    const on = (signal: string) => () => resolve(signal);
    const onInt = on("SIGINT");
    const onTerm = on("SIGTERM");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
    dispose = () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    };
  });
  return { promise, dispose };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Overwrites one stderr line with the progress while the function works (TTY only). */
function progress(io: CliIo, pipeline: LocalPipeline, total: number): () => void {
  if (!io.stderr.isTTY) return () => undefined;
  const started = Date.now();
  const timer = setInterval(() => {
    const { settled, failed } = pipeline.invocations.counts;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const running = (pipeline.invocations.pendingEvents() as S3Event[])
      .map((e) => e.Records?.[0]?.s3.object)
      .filter((o) => o !== undefined)
      .sort((a, b) => (b.size ?? 0) - (a.size ?? 0))
      .map((o) => `${path.basename(decodeEventKey(o.key))} (${((o.size ?? 0) / 1e6).toFixed(1)} MB)`);
    const now = running.length ? `; running ${running.slice(0, 2).join(", ")}${running.length > 2 ? ` +${running.length - 2}` : ""}` : "";
    io.stderr.write(`\r\x1b[Kprocessing: ${Math.min(settled, total)}/${total} files done${failed ? `, ${failed} to on-failure` : ""}${now} (${seconds} s)`);
  }, 250);
  return () => {
    clearInterval(timer);
    io.stderr.write("\r\x1b[K");
  };
}

/** A word the shell reads as is: quoted when it holds anything but safe characters (a key with a space). */
function shellWord(text: string): string {
  return /^[\w./:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** The output object to show: the first one written, else where the first file's would be. */
function exampleOutputKey(pipeline: LocalPipeline, outcomes: readonly FileOutcome[]): string | undefined {
  const written = outcomes.map((o) => o.item?.OutputKey).find((key) => typeof key === "string");
  if (typeof written === "string") return written;
  const first = outcomes[0]?.key;
  if (first === undefined) return undefined;
  return outputKeyFor(first, pipeline.prefix, pipeline.plan.function.environment.OUTPUT_PREFIX ?? "processed/");
}

function keepInstructions(pipeline: LocalPipeline, stateDir: string, outcomes: readonly FileOutcome[]): string {
  const { services, plan, bucket, table } = pipeline;
  const outputKey = exampleOutputKey(pipeline, outcomes);
  return [
    "",
    "Services are running (Ctrl-C stops them):",
    `  S3        ${services.s3Endpoint}   bucket ${bucket}`,
    `  DynamoDB  ${services.dynamoEndpoint}   table ${table.name}`,
    `  SNS       ${pipeline.snsEndpoint}   topics ${plan.topics.map((t) => t.name).join(", ") || "-"}`,
    `  state     ${stateDir}   (function log: ${STATE_FILES.functionLog}, on-failure: ${STATE_FILES.failedEvents})`,
    "",
    "Inspect them with the AWS CLI:",
    `  export AWS_ACCESS_KEY_ID=${services.env.AWS_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${services.env.AWS_SECRET_ACCESS_KEY} AWS_DEFAULT_REGION=${plan.region} AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED`,
    `  aws --endpoint-url ${services.s3Endpoint} s3 ls s3://${bucket} --recursive`,
    ...(outputKey === undefined ? [] : [`  aws --endpoint-url ${services.s3Endpoint} s3 cp ${shellWord(`s3://${bucket}/${outputKey}`)} -`]),
    `  aws --endpoint-url ${services.dynamoEndpoint} dynamodb scan --table-name ${table.name}`,
    `  aws --endpoint-url ${services.s3Endpoint} s3 cp ./my-orders.csv s3://${bucket}/${pipeline.prefix}   # triggers the function`,
    "",
    "Resume later with: npm run local -- --resume [--keep] [FILE...]",
    "",
  ].join("\n");
}

async function outcomesOf(pipeline: LocalPipeline, keys: readonly string[]): Promise<FileOutcome[]> {
  const failures = pipeline.failedEvents();
  return Promise.all(
    keys.map(async (key) => {
      const item = await pipeline.record(key);
      const failure = failures
        .filter((f) => (f.requestPayload as { Records?: { s3: { object: { key: string } } }[] }).Records?.some((r) => decodeEventKey(r.s3.object.key) === key))
        .pop();
      return { key, item, failure };
    }),
  );
}

async function run(args: CliArgs, io: CliIo, options: CliOptions, interrupted: Promise<string>): Promise<number> {
  const root = options.root ?? ROOT;
  const stateDir = options.stateDir ?? path.join(root, ".local");
  const stackDir = options.stackDir ?? path.join(root, "cdktf.out", "stacks", LOCAL_STACK);
  const files = args.command === "demo" ? sampleFiles(root) : args.files;

  const unlock = lockStateDir(stateDir);
  try {
    return await runLocked(args, io, options, interrupted, { root, stateDir, stackDir, files });
  } finally {
    unlock();
  }
}

async function runLocked(
  args: CliArgs,
  io: CliIo,
  options: CliOptions,
  interrupted: Promise<string>,
  { root, stateDir, stackDir, files }: { root: string; stateDir: string; stackDir: string; files: readonly string[] },
): Promise<number> {
  if (args.resume && !readSession(stateDir)?.keep) {
    throw new UsageError(`nothing to resume: ${stateDir} does not hold the state of a previous --keep run (the last run did not use --keep)`);
  }
  if (args.synth) synthesize(root, io);
  const started = Date.now();
  const pipeline = await LocalPipeline.start({
    stackDir,
    stateDir,
    resume: args.resume,
    persistDynamo: true,
    retryBaseDelayMs: options.retryBaseDelayMs,
  });
  const session: Session = { keep: args.keep, startedAt: new Date().toISOString() };
  writeFileSync(path.join(stateDir, STATE_FILES.session), `${JSON.stringify(session)}\n`);

  let stopProgress = (): void => undefined;
  try {
    const work = (async () => {
      const keys: string[] = [];
      if (args.replayFailed) {
        const replay = await pipeline.replayFailed();
        io.stderr.write(replay.keys.length ? `replaying ${replay.keys.length} event(s) from ${STATE_FILES.failedEvents}\n` : `nothing to replay: ${STATE_FILES.failedEvents} is empty\n`);
        keys.push(...replay.keys.filter((k, i, all) => all.indexOf(k) === i));
      }
      if (files.length > 0) {
        io.stderr.write(`uploading ${files.length} file(s) to s3://${pipeline.bucket}/${pipeline.prefix} ...\n`);
        stopProgress = progress(io, pipeline, files.length + keys.length);
        const writes = await mapLimit(files, 8, (file) => pipeline.uploadFile(file));
        keys.push(...writes.map((w) => w.key));
      }
      await pipeline.idle();
      stopProgress();
      return outcomesOf(pipeline, keys);
    })();
    const result = await Promise.race([work, interrupted]);
    if (typeof result === "string") {
      stopProgress();
      io.stderr.write(`\n${result}: stopping the local services\n`);
      return 130;
    }
    const outcomes = result;
    if (args.json) {
      io.stdout.write(`${JSON.stringify(outcomes.map((o) => o.item ?? null), null, 2)}\n`);
    } else {
      io.stdout.write(`${renderTable(outcomes, pipeline.prefix)}\n`);
      io.stdout.write(`\n${outcomes.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; function log: ${path.relative(options.cwd ?? process.cwd(), pipeline.functionLogFile) || pipeline.functionLogFile}\n`);
    }
    const missing = outcomes.filter((o) => !hasFinalRecord(o));
    if (missing.length > 0) {
      const replay = args.keep ? "replay them with: npm run local -- --replay-failed" : "to replay them, run again with --keep, then npm run local -- --replay-failed";
      io.stderr.write(`${missing.length} file(s) got no final metadata record; their events are in ${pipeline.failedEventsFile} (${replay})\n`);
    }
    if (args.keep) {
      (args.json ? io.stderr : io.stdout).write(keepInstructions(pipeline, stateDir, outcomes));
      await (options.shutdown ?? interrupted);
      io.stderr.write("stopping the local services\n");
    }
    return missing.length > 0 ? 1 : 0;
  } finally {
    stopProgress();
    await pipeline.stop();
  }
}

/** Runs `demo` or `local` with these arguments and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }, options: CliOptions = {}): Promise<number> {
  const signals = signalled();
  try {
    const args = parseArgs(argv, options.cwd);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    return await run(args, io, options, signals.promise);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof SynthInterruptedError) {
      io.stderr.write(`${err.message}\n`);
      return 130;
    }
    if (err instanceof StateDirLockedError) {
      io.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    // The user's to fix, and the message says how; anything else is a defect, so its stack helps.
    const told = err instanceof LocalPlanError || err instanceof SynthFailedError;
    io.stderr.write(`error: ${told ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  } finally {
    signals.dispose();
  }
}

/**
 * This command's flags that npm took for its own config because they came before `--`
 * (`npm run local --json FILE`): npm passes them on only as `npm_config_*` variables. They are
 * given back to the command, with a note on how to write them, instead of being lost silently.
 */
export function flagsNpmTook(env: NodeJS.ProcessEnv): string[] {
  return CLI_FLAGS.filter((flag) => {
    // npm reads --no-synth as synth=false, passed on as an empty string; any other flag as "true".
    const negated = flag.startsWith("--no-");
    return env[`npm_config_${flag.slice(negated ? 5 : 2).replace(/-/g, "_")}`] === (negated ? "" : "true");
  });
}

if (require.main === module) {
  // The parent's own SDK clients would warn about Node 20 on every run; the function's are told the same.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const taken = flagsNpmTook(process.env);
  if (taken.length > 0) {
    process.stderr.write(`note: npm took ${taken.join(" ")} for itself (they came before "--"); passing them on. Next time write: npm run <demo|local> -- ${taken.join(" ")} ...\n`);
  }
  // Right after the command, so they stay flags when the arguments hold a "--".
  const [command, ...rest] = process.argv.slice(2);
  void runCli([command, ...taken, ...rest], undefined, { cwd: process.env.INIT_CWD }).then((code) => process.exit(code));
}
