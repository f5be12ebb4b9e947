// @ts-check
// One Lambda execution environment: a worker thread with the function's environment as its
// process.env, that loads the handler from the packaged code directory on the first invocation
// (init) and then runs one invocation at a time. Plain JavaScript so it runs under node, tsx and
// jest alike without a transpiler.
"use strict";
const { existsSync } = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { parentPort, workerData } = require("node:worker_threads");

/** @type {{ codeDir: string; handler: string; functionName: string; memoryMiB: number; logGroupName: string; region: string; arn: string }} */
const config = workerData;
/** @type {Promise<Function> | undefined} */
let loading;

class ImportModuleError extends Error {
  constructor(message) {
    super(message);
    this.name = "Runtime.ImportModuleError";
  }
}
class HandlerNotFound extends Error {
  constructor(message) {
    super(message);
    this.name = "Runtime.HandlerNotFound";
  }
}

/** Resolves `<dir>/<file>.<export>` the way the Node.js runtime does: .js, then .mjs, then .cjs. */
async function loadHandler() {
  const dot = config.handler.lastIndexOf(".");
  const modulePath = config.handler.slice(0, dot);
  const exportName = config.handler.slice(dot + 1);
  const base = path.resolve(config.codeDir, modulePath);
  const file = [".js", ".mjs", ".cjs"].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) throw new ImportModuleError(`Error: Cannot find module '${modulePath}' in ${config.codeDir}`);
  const mod = file.endsWith(".mjs") ? await import(pathToFileURL(file).href) : require(file);
  const fn = mod[exportName] ?? mod.default?.[exportName];
  if (typeof fn !== "function") throw new HandlerNotFound(`${config.handler} is undefined or not exported`);
  return fn;
}

function errorPayload(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  return { errorType: e.name || "Error", errorMessage: e.message, trace: String(e.stack ?? "").split("\n") };
}

parentPort?.on("message", async (/** @type {{ event: unknown; requestId: string; deadline: number }} */ msg) => {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: config.arn,
    memoryLimitInMB: String(config.memoryMiB),
    awsRequestId: msg.requestId,
    logGroupName: config.logGroupName,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    if (!loading) loading = loadHandler();
    const handler = await loading.catch((err) => {
      loading = undefined; // a failed init is retried on the next invocation, as Lambda does
      throw err;
    });
    const result = await new Promise((resolve, reject) => {
      const callback = (err, value) => (err ? reject(err) : resolve(value));
      const returned = handler(msg.event, context, callback);
      if (returned && typeof returned.then === "function") returned.then(resolve, reject);
      else if (handler.length < 3) resolve(returned);
    });
    parentPort?.postMessage({ ok: true, result: result === undefined ? null : result });
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: errorPayload(err) });
  }
});
