import type { Context, S3Event } from "aws-lambda";
import { dynamo, s3, sns } from "./clients";
import { loadConfig } from "./config";
import { type RecordFailure, RecordsFailedError, TimeBudgetExhaustedError } from "./errors";
import { decodeEventKey } from "./keys";
import { LIMITS } from "./limits";
import { MetadataStore } from "./metadata-store";
import { logger, metrics } from "./observability";
import { processRecord, RECORD_LOG_KEYS } from "./process-file";

// Read once per container: a missing variable fails the cold start and names itself.
const config = loadConfig();
const store = new MetadataStore(dynamo, config.tableName);

/**
 * Lambda entry point for S3 `ObjectCreated` events. Routes each record to `processRecord` on its
 * own, so one bad file never hides another's outcome; file problems end as FAILED items inside it.
 * Transient errors of any record are thrown after all records had their turn, so Lambda retries
 * the event (finished records are then skipped as duplicates).
 */
export async function handler(event: S3Event, context: Context): Promise<void> {
  logger.addContext(context);
  const invocationMs = context.getRemainingTimeInMillis();
  const failures: RecordFailure[] = [];
  const deferred: string[] = [];
  try {
    for (const record of event.Records ?? []) {
      if (context.getRemainingTimeInMillis() <= LIMITS.timeoutReserveMs) {
        deferred.push(decodeEventKey(record.s3?.object?.key ?? ""));
        continue;
      }
      try {
        const outcome = await processRecord(record, { config, s3, sns, store, logger, metrics, remainingMs: () => context.getRemainingTimeInMillis(), invocationMs });
        logger.debug("Record done", { outcome });
      } catch (error) {
        const key = decodeEventKey(record.s3?.object?.key ?? "");
        logger.error("Record failed; the event will be retried", { s3Key: key, error: error as Error });
        failures.push({ key, error });
      } finally {
        logger.removeKeys([...RECORD_LOG_KEYS]);
      }
    }
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
  if (deferred.length > 0) failures.push({ error: new TimeBudgetExhaustedError(deferred) });
  if (failures.length === 1) throw failures[0].error;
  if (failures.length > 1) throw new RecordsFailedError(failures);
}
