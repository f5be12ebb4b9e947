import { randomUUID } from "node:crypto";
import type { Writable } from "node:stream";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { FunctionPlan } from "./provision";

/** The error a failed invocation reports, as Lambda puts it in the on-failure record. */
export interface InvocationError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** The outcome of one invocation. */
export type InvocationResult =
  | { readonly ok: true; readonly requestId: string; readonly result: unknown; readonly durationMs: number }
  | { readonly ok: false; readonly requestId: string; readonly error: InvocationError; readonly durationMs: number };

/** How the local function runs. */
export interface LocalLambdaProps {
  /** The function as synthesized. */
  readonly fn: FunctionPlan;
  readonly region: string;
  /** Variables of the local services (endpoints, dummy credentials, checksum mode); they win over the synthesized ones. */
  readonly serviceEnv: Readonly<Record<string, string>>;
  /** Where the function's stdout and stderr go (Powertools logs are JSON lines on stdout). */
  readonly log: Writable;
  /**
   * Execution environments that may run at once.
   * @default - the reserved concurrency, at most 4
   */
  readonly maxConcurrency?: number;
}

interface Environment {
  readonly worker: Worker;
  busy: boolean;
}

const WORKER = path.join(__dirname, "lambda-worker.js");

/**
 * The packaged function, run like Lambda runs it: each execution environment is a worker thread
 * whose process.env is exactly the synthesized environment plus what Lambda and the local services
 * add; it loads the handler by the synthesized handler string on its first invocation and handles
 * one invocation at a time. The synthesized timeout ends an invocation by discarding its
 * environment, and the synthesized memory size caps the environment's heap.
 */
export class LocalLambda {
  private readonly environments: Environment[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly maxConcurrency: number;
  private stopped = false;

  constructor(private readonly props: LocalLambdaProps) {
    this.maxConcurrency = Math.max(1, props.maxConcurrency ?? Math.min(props.fn.reservedConcurrency ?? 4, 4));
  }

  /** The environment the handler sees. */
  environment(): Record<string, string> {
    const { fn, region } = this.props;
    return {
      ...fn.environment,
      ...this.props.serviceEnv,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMiB),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${randomUUID().replace(/-/g, "")}`,
      LAMBDA_TASK_ROOT: fn.codeDir,
      _HANDLER: fn.handler,
      TZ: "UTC",
      LANG: "en_US.UTF-8",
    };
  }

  /** Runs one invocation on a free execution environment (starting one when none is free). */
  async invoke(event: unknown): Promise<InvocationResult> {
    const requestId = randomUUID();
    const env = await this.acquire();
    const started = Date.now();
    const timeoutMs = this.props.fn.timeoutSeconds * 1000;
    const outcome = await new Promise<{ ok: true; result: unknown } | { ok: false; error: InvocationError; discard: boolean }>((resolve) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        env.worker.off("message", onMessage);
        env.worker.off("error", onError);
        env.worker.off("exit", onExit);
      };
      const onMessage = (msg: { ok: true; result: unknown } | { ok: false; error: InvocationError }): void => {
        cleanup();
        resolve(msg.ok ? msg : { ...msg, discard: false });
      };
      const onError = (err: Error & { code?: string }): void => {
        cleanup();
        const outOfMemory = err.code === "ERR_WORKER_OUT_OF_MEMORY";
        resolve({
          ok: false,
          discard: true,
          error: outOfMemory
            ? { errorType: "Runtime.OutOfMemory", errorMessage: `Runtime exited with error: heap exceeded ${this.props.fn.memoryMiB} MB` }
            : { errorType: "Runtime.ExitError", errorMessage: `Runtime exited with error: ${err.message}` },
        });
      };
      const onExit = (code: number): void => {
        cleanup();
        resolve({ ok: false, discard: true, error: { errorType: "Runtime.ExitError", errorMessage: `Runtime exited with error: exit status ${code}` } });
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve({ ok: false, discard: true, error: { errorType: "Sandbox.Timedout", errorMessage: `Task timed out after ${this.props.fn.timeoutSeconds.toFixed(2)} seconds` } });
      }, timeoutMs);
      env.worker.on("message", onMessage);
      env.worker.on("error", onError);
      env.worker.on("exit", onExit);
      env.worker.postMessage({ event, requestId, deadline: started + timeoutMs });
    });
    if (!outcome.ok && outcome.discard) await this.discard(env);
    else this.release(env);
    const durationMs = Date.now() - started;
    return outcome.ok ? { ok: true, requestId, result: outcome.result, durationMs } : { ok: false, requestId, error: outcome.error, durationMs };
  }

  /** Ends every execution environment. */
  async stop(): Promise<void> {
    this.stopped = true;
    const all = this.environments.splice(0);
    await Promise.all(all.map((e) => e.worker.terminate()));
  }

  private async acquire(): Promise<Environment> {
    for (;;) {
      if (this.stopped) throw new Error("the local function has been stopped");
      const free = this.environments.find((e) => !e.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      if (this.environments.length < this.maxConcurrency) {
        const env = this.start();
        this.environments.push(env);
        return env;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(env: Environment): void {
    env.busy = false;
    this.waiting.shift()?.();
  }

  private async discard(env: Environment): Promise<void> {
    const i = this.environments.indexOf(env);
    if (i >= 0) this.environments.splice(i, 1);
    await env.worker.terminate().catch(() => undefined);
    this.waiting.shift()?.();
  }

  private start(): Environment {
    const { fn, region } = this.props;
    const worker = new Worker(WORKER, {
      env: this.environment(),
      stdout: true,
      stderr: true,
      // tsx and ts-jest hooks are for our TypeScript, not for the packaged JavaScript.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMiB },
      workerData: {
        codeDir: fn.codeDir,
        handler: fn.handler,
        functionName: fn.functionName,
        memoryMiB: fn.memoryMiB,
        logGroupName: `/aws/lambda/${fn.functionName}`,
        region,
        arn: fn.arn,
      },
    });
    worker.stdout.pipe(this.props.log, { end: false });
    worker.stderr.pipe(this.props.log, { end: false });
    const env: Environment = { worker, busy: true };
    // A crash between invocations just ends that environment; during one, invoke() reports it.
    worker.on("error", () => undefined);
    worker.once("exit", () => {
      const i = this.environments.indexOf(env);
      if (i >= 0 && !env.busy) this.environments.splice(i, 1);
    });
    return env;
  }
}
