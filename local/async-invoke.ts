import { appendFileSync } from "node:fs";
import type { FunctionPlan } from "./provision";
import type { InvocationError, InvocationResult } from "./runtime";

/** Anything that runs one invocation (the local function, or a fake in tests). */
export interface Invoker {
  invoke(event: unknown): Promise<InvocationResult>;
}

/** What Lambda writes to an on-failure destination (the record an SQS destination receives). */
export interface FailedEventRecord {
  readonly version: "1.0";
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: "RetriesExhausted" | "EventAgeExceeded";
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: { readonly statusCode: number; readonly executedVersion: string; readonly functionError: string };
  readonly responsePayload: InvocationError;
}

/** How one event ended. */
export type DeliveryOutcome =
  | { readonly delivered: true; readonly attempts: number }
  | { readonly delivered: false; readonly attempts: number; readonly failure: FailedEventRecord };

/** Settings of {@link AsyncInvocations}. */
export interface AsyncInvocationsProps {
  readonly invoker: Invoker;
  /** Retry count, event age and ARN come from here. */
  readonly fn: FunctionPlan;
  /** NDJSON file that stands in for the on-failure destination. */
  readonly failedEventsFile: string;
  /**
   * Wait before the first retry; doubled before each further one. Lambda waits about 1 and 2
   * minutes; locally that would only slow the demo down.
   * @default 500
   */
  readonly retryBaseDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lambda's asynchronous invocation: each event is invoked, an invocation that fails is retried up
 * to the function's `maximum_retry_attempts` (unless the event grew older than
 * `maximum_event_age_in_seconds`), and then written to the on-failure file with its error.
 */
export class AsyncInvocations {
  private readonly inFlight = new Map<Promise<DeliveryOutcome>, unknown>();
  private settledCount = 0;
  private failedCount = 0;

  constructor(private readonly props: AsyncInvocationsProps) {}

  /** Queues one event; resolves when it was handled or sent to the on-failure file. */
  deliver(event: unknown): Promise<DeliveryOutcome> {
    const delivery = this.run(event).finally(() => {
      this.inFlight.delete(delivery);
      this.settledCount += 1;
    });
    this.inFlight.set(delivery, event);
    return delivery;
  }

  /** Resolves once no event is queued, running or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.keys()]);
  }

  /** The events queued, running or waiting for a retry. */
  pendingEvents(): unknown[] {
    return [...this.inFlight.values()];
  }

  /** Events delivered so far: settled, still in flight, and sent to the on-failure file. */
  get counts(): { readonly settled: number; readonly inFlight: number; readonly failed: number } {
    return { settled: this.settledCount, inFlight: this.inFlight.size, failed: this.failedCount };
  }

  private async run(event: unknown): Promise<DeliveryOutcome> {
    const { fn } = this.props;
    const queuedAt = Date.now();
    const base = this.props.retryBaseDelayMs ?? 500;
    let attempts = 0;
    for (;;) {
      const result = await this.props.invoker.invoke(event);
      attempts += 1;
      if (result.ok) return { delivered: true, attempts };
      const tooOld = Date.now() - queuedAt > fn.maxEventAgeSeconds * 1000;
      if (attempts > fn.maxRetryAttempts || tooOld) {
        const failure = this.sendToDestination(event, result.requestId, result.error, attempts, tooOld ? "EventAgeExceeded" : "RetriesExhausted");
        return { delivered: false, attempts, failure };
      }
      await sleep(base * 2 ** (attempts - 1));
    }
  }

  private sendToDestination(event: unknown, requestId: string, error: InvocationError, attempts: number, condition: FailedEventRecord["requestContext"]["condition"]): FailedEventRecord {
    const record: FailedEventRecord = {
      version: "1.0",
      timestamp: new Date().toISOString(),
      requestContext: { requestId, functionArn: `${this.props.fn.arn}:$LATEST`, condition, approximateInvokeCount: attempts },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: error,
    };
    appendFileSync(this.props.failedEventsFile, `${JSON.stringify(record)}\n`);
    this.failedCount += 1;
    return record;
  }
}
