import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { type Handler, loadBundledHandler, type PipelineEnv, startPipelineEnv } from "./lambda-env";

/**
 * What the proxy does with one request: pass it on, never answer it, pass it on and lose the
 * reply, or hold it for `lateMs` and only then pass it on (`land-late`: the service acts after the
 * client gave up on it, and the reply goes nowhere).
 */
export type Fault = "pass" | "hang" | "lose-reply" | "land-late";

/** A request as the proxy sees it: method, path with query, and DynamoDB's operation (`x-amz-target`, e.g. `UpdateItem`). */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
}

/** A rule under which the first request that `matches` meets `fault`, and every other one passes. */
export function faultOnce(fault: Fault, matches: (request: ProxiedRequest) => boolean): (request: ProxiedRequest) => Fault {
  let done = false;
  return (request) => (!done && matches(request) ? ((done = true), fault) : "pass");
}

/** A running proxy: its endpoint, the rule it applies, and what it did. */
export interface FaultyProxy {
  readonly endpoint: string;
  /** Decides each request's fate; "pass" unless set. */
  rule: (request: ProxiedRequest) => Fault;
  /** How long a `land-late` request is held before it goes on. */
  lateMs: number;
  /** One line per request: "<fault> <method> <path or operation>", and "landed <method> <path or operation>" when a late one reached the service. */
  readonly log: string[];
  stop(): Promise<void>;
}

/**
 * An HTTP proxy in front of a real local service that fails requests the way networks do: a
 * request that hangs (the service never answers), a reply that is lost after the service acted
 * (the connection resets), or a request that reaches the service only after the client timed out.
 * The SDK sees real sockets, timeouts and retries.
 */
export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const hanging = new Set<http.ServerResponse>();
  const late = new Set<NodeJS.Timeout>();
  const proxy: FaultyProxy = {
    endpoint: "",
    rule: () => "pass",
    lateMs: 0,
    log: [],
    stop: async () => {
      for (const timer of late) clearTimeout(timer);
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const operation = String(request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
      const seen: ProxiedRequest = { method: request.method ?? "GET", path: request.url ?? "/", operation };
      const fault = proxy.rule(seen);
      proxy.log.push(`${fault} ${seen.method} ${operation || seen.path}`);
      if (fault === "hang") {
        hanging.add(response);
        return;
      }
      const forward = () =>
        http
          .request({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (reply) => {
            const body: Buffer[] = [];
            reply.on("data", (chunk: Buffer) => body.push(chunk));
            reply.on("end", () => {
              if (fault === "land-late") {
                proxy.log.push(`landed ${seen.method} ${operation || seen.path}`);
                hanging.delete(response);
                response.destroy();
              } else if (fault === "lose-reply") request.socket.destroy();
              else {
                response.writeHead(reply.statusCode ?? 502, reply.headers);
                response.end(Buffer.concat(body));
              }
            });
          })
          // A late request may find the service stopped at the end of the test.
          .on("error", () => response.destroy())
          .end(Buffer.concat(chunks));
      if (fault === "land-late") {
        hanging.add(response);
        const timer = setTimeout(() => {
          late.delete(timer);
          forward();
        }, proxy.lateMs);
        late.add(timer);
      } else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return Object.assign(proxy, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/** The bundled handler on local services, reached through a faulty proxy for each of S3, DynamoDB and SNS. */
export interface ProxiedPipeline {
  readonly env: PipelineEnv;
  readonly handler: Handler;
  readonly s3: FaultyProxy;
  readonly dynamo: FaultyProxy;
  readonly sns: FaultyProxy;
  stop(): Promise<void>;
}

/**
 * Starts the local services, puts a faulty proxy in front of S3, DynamoDB and SNS, and loads the
 * bundled handler pointed at the proxies; `sdkEnv` adds SDK settings for it (`AWS_MAX_ATTEMPTS`).
 */
export async function startProxiedPipeline(sdkEnv: Readonly<Record<string, string>> = {}): Promise<ProxiedPipeline> {
  const env = await startPipelineEnv();
  const s3 = await startFaultyProxy(process.env.AWS_ENDPOINT_URL_S3!);
  const dynamo = await startFaultyProxy(process.env.AWS_ENDPOINT_URL_DYNAMODB!);
  const sns = await startFaultyProxy(process.env.AWS_ENDPOINT_URL_SNS!);
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_SNS: sns.endpoint }, sdkEnv);
  const { handler, cleanup } = loadBundledHandler();
  return {
    env,
    handler,
    s3,
    dynamo,
    sns,
    async stop() {
      await s3.stop();
      await dynamo.stop();
      await sns.stop();
      await env.stop();
      cleanup();
    },
  };
}
