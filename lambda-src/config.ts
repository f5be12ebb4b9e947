import { ENV, FUNCTION_ENV_NAMES } from "./env";
import { InvalidEnvironmentVariableError, MissingEnvironmentVariableError } from "./errors";

/** What the function is told by its environment (set by the stack, see `env.ts`). */
export interface ProcessorConfig {
  /** DynamoDB table of metadata items. */
  readonly tableName: string;
  /** The only bucket whose events are processed. */
  readonly bucketName: string;
  /** Prefix of order files, ending with `/`. */
  readonly incomingPrefix: string;
  /** Prefix of the NDJSON output, ending with `/`. */
  readonly outputPrefix: string;
  /** SNS topic for one status message per file. */
  readonly statusTopicArn: string;
  /** Larger files end FAILED without being read. */
  readonly maxFileBytes: number;
}

/**
 * Reads and checks every variable the function needs, collecting all problems and throwing once.
 * The Powertools variables are required too: without them logs and metrics lose their service
 * and namespace, which the alarms depend on.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): ProcessorConfig {
  const missing = FUNCTION_ENV_NAMES.filter((name) => (env[name] ?? "").trim() === "");
  if (missing.length > 0) throw new MissingEnvironmentVariableError(missing);
  const read = (name: string): string => env[name] as string;
  const maxFileBytes = Number(read(ENV.maxFileBytes));
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) {
    throw new InvalidEnvironmentVariableError(ENV.maxFileBytes, read(ENV.maxFileBytes), "a positive whole number of bytes");
  }
  return {
    tableName: read(ENV.tableName),
    bucketName: read(ENV.bucketName),
    incomingPrefix: read(ENV.incomingPrefix),
    outputPrefix: read(ENV.outputPrefix),
    statusTopicArn: read(ENV.statusTopicArn),
    maxFileBytes,
  };
}
