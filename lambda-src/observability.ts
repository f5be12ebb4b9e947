import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

// Service name and namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE;
// the default `service` dimension is what the FilesFailed alarm selects on.

/** Structured JSON logs; the handler adds the request id and each record's key. */
export const logger = new Logger();
/** CloudWatch EMF metrics, published once per invocation. */
export const metrics = new Metrics();
