import dynalite from "dynalite";
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import S3rver from "s3rver";

/** Where the local services keep their data and which ports they take. */
export interface LocalServicesOptions {
  /** Directory for s3rver's objects and (when `persistDynamo`) dynalite's LevelDB files. */
  readonly dataDir: string;
  /**
   * Keep DynamoDB data on disk (LevelDB under `dataDir/dynamodb`) instead of in memory.
   * @default false
   */
  readonly persistDynamo?: boolean;
  /**
   * Port for S3; 0 picks a free one.
   * @default 0
   */
  readonly s3Port?: number;
  /**
   * Port for DynamoDB; 0 picks a free one.
   * @default 0
   */
  readonly dynamoPort?: number;
  /**
   * Receives every event notification s3rver emits (object created or removed), as s3rver shapes it.
   * @default - none
   */
  readonly onS3Event?: (event: unknown) => void;
}

/** Local S3 (s3rver) and DynamoDB (dynalite) on 127.0.0.1, and the environment that points the AWS SDK at them. */
export interface LocalServices {
  /** `http://127.0.0.1:<port>` of the S3 REST API. */
  readonly s3Endpoint: string;
  /** `http://127.0.0.1:<port>` of the DynamoDB API. */
  readonly dynamoEndpoint: string;
  /** Standard AWS SDK variables (endpoints, region, dummy credentials, checksum mode): no local-only code path. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops DynamoDB only (for failure tests); S3 keeps running. */
  stopDynamo(): Promise<void>;
  /** Starts DynamoDB again on the same port. */
  startDynamo(): Promise<void>;
  /** Stops both services. */
  stop(): Promise<void>;
}

/** Region the local services pretend to be in. */
export const LOCAL_REGION = "us-east-1";

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

/** Starts s3rver and dynalite in this process on 127.0.0.1. */
export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const s3Dir = path.join(options.dataDir, "s3");
  mkdirSync(s3Dir, { recursive: true });
  const s3 = new S3rver({ address: "127.0.0.1", port: options.s3Port ?? 0, directory: s3Dir, silent: true });
  if (options.onS3Event) s3.on("event", options.onS3Event);
  const s3Address = await s3.run();

  const dynamoOptions = {
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    path: options.persistDynamo ? path.join(options.dataDir, "dynamodb") : undefined,
  };
  let dynamo: Server | undefined = dynalite(dynamoOptions);
  const dynamoPort = await listen(dynamo, options.dynamoPort ?? 0);

  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
  return {
    s3Endpoint,
    dynamoEndpoint,
    env: {
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      // s3rver stores aws-chunked framing verbatim unless checksums are only sent when required.
      AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
      AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
      // Lambda runs Node 22; the SDK's notice that it will drop Node 20 is noise for a local run.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    async stopDynamo() {
      if (dynamo) await close(dynamo);
      dynamo = undefined;
    },
    async startDynamo() {
      if (dynamo) return;
      dynamo = dynalite(dynamoOptions);
      await listen(dynamo, dynamoPort);
    },
    async stop() {
      if (dynamo) await close(dynamo);
      dynamo = undefined;
      await s3.close();
    },
  };
}
