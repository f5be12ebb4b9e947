import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does with one request: pass it on, never answer it, or pass it on and lose the reply. */
export type Fault = "pass" | "hang" | "lose-reply";

/** A request as the proxy sees it: method, path with query, and DynamoDB's operation (`x-amz-target`, e.g. `UpdateItem`). */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
}

/** A running proxy: its endpoint, the rule it applies, and what it did. */
export interface FaultyProxy {
  readonly endpoint: string;
  /** Decides each request's fate; "pass" unless set. */
  rule: (request: ProxiedRequest) => Fault;
  /** One line per request: "<fault> <method> <path or operation>". */
  readonly log: string[];
  stop(): Promise<void>;
}

/**
 * An HTTP proxy in front of a real local service that fails requests the way networks do: a
 * request that hangs (the service never answers) or a reply that is lost after the service acted
 * (the connection resets). The SDK sees real sockets, timeouts and retries.
 */
export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const hanging = new Set<http.ServerResponse>();
  const proxy: FaultyProxy = {
    endpoint: "",
    rule: () => "pass",
    log: [],
    stop: async () => {
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
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (reply) => {
        const body: Buffer[] = [];
        reply.on("data", (chunk: Buffer) => body.push(chunk));
        reply.on("end", () => {
          if (fault === "lose-reply") {
            request.socket.destroy();
            return;
          }
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          response.end(Buffer.concat(body));
        });
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return Object.assign(proxy, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
