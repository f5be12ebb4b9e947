import * as path from "node:path";

/** A synthesized `cdk.tf.json`, as far as the local runner reads it. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, unknown[]>;
}

/** One key attribute of a table (`attribute` block). */
export interface TableAttribute {
  readonly name: string;
  readonly type: "S" | "N" | "B";
}

/** A secondary index as synthesized. */
export interface TableIndex {
  readonly name: string;
  readonly hashKey: string;
  readonly rangeKey?: string;
  readonly projectionType: string;
  readonly nonKeyAttributes?: readonly string[];
}

/** A DynamoDB table to create locally, exactly as the stack defines its keys. */
export interface TablePlan {
  /** Terraform address, `aws_dynamodb_table.metadata`. */
  readonly address: string;
  readonly name: string;
  readonly hashKey: string;
  readonly rangeKey?: string;
  readonly attributes: readonly TableAttribute[];
  readonly billingMode: "PAY_PER_REQUEST" | "PROVISIONED";
  readonly readCapacity?: number;
  readonly writeCapacity?: number;
  readonly globalSecondaryIndexes: readonly TableIndex[];
  readonly localSecondaryIndexes: readonly TableIndex[];
}

/** A bucket to create locally. */
export interface BucketPlan {
  readonly address: string;
  /** Concrete name: `bucket`, or `bucket_prefix` + `local`. */
  readonly name: string;
  /** Whether the stack enables versioning (s3rver cannot; the runner generates version ids instead). */
  readonly versioned: boolean;
}

/** An SNS topic to create locally. */
export interface TopicPlan {
  readonly address: string;
  readonly name: string;
}

/** One S3 -> Lambda notification rule of the bucket. */
export interface TriggerPlan {
  readonly id: string;
  /** Bucket whose writes trigger. */
  readonly bucket: string;
  /** Event patterns, `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  /** @default "" - every key */
  readonly filterPrefix: string;
  /** @default "" - every key */
  readonly filterSuffix: string;
}

/** The function as the stack deploys it. */
export interface FunctionPlan {
  readonly address: string;
  readonly functionName: string;
  readonly arn: string;
  /** The `handler` setting, `<file>.<export>`. */
  readonly handler: string;
  readonly runtime: string;
  /** Absolute directory the archive provider zips (the packaged bundle). */
  readonly codeDir: string;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  /** Reserved concurrency, when the stack sets one. */
  readonly reservedConcurrency?: number;
  /** `environment.variables` with every `${...}` reference resolved to the local resources. */
  readonly environment: Readonly<Record<string, string>>;
  /** Retries of a failed async invocation (`maximum_retry_attempts`; Lambda's default is 2). */
  readonly maxRetryAttempts: number;
  /** How long an event may wait for a retry (`maximum_event_age_in_seconds`; default 6 hours). */
  readonly maxEventAgeSeconds: number;
}

/** Everything the local runner creates and runs, read from one synthesized stack. */
export interface LocalPlan {
  /** Provider region: the function's `AWS_REGION`. */
  readonly region: string;
  readonly accountId: string;
  readonly buckets: readonly BucketPlan[];
  readonly tables: readonly TablePlan[];
  readonly topics: readonly TopicPlan[];
  readonly function: FunctionPlan;
  readonly triggers: readonly TriggerPlan[];
}

/** Options of {@link planLocalStack}. */
export interface PlanOptions {
  /** Directory of the stack's `cdk.tf.json`; the archive's `source_dir` is relative to it. */
  readonly stackDir: string;
  /**
   * Account id used in local ARNs.
   * @default "000000000000"
   */
  readonly accountId?: string;
}

/** The synthesized stack cannot run locally as it is; the message lists every problem. */
export class LocalPlanError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot run the synthesized stack locally: ${problems.join("; ")}`);
    this.name = "LocalPlanError";
  }
}

/** Lambda refuses these as function environment variables; it sets them itself. */
const RESERVED_ENV = new Set([
  "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
]);

type Block = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined);
const blocks = (value: unknown): Block[] => (Array.isArray(value) ? (value as Block[]) : value && typeof value === "object" ? [value as Block] : []);

/** Whether an S3 event name (`ObjectCreated:Put`) matches a notification pattern (`s3:ObjectCreated:*`). */
export function matchesEventPattern(eventName: string, pattern: string): boolean {
  const wanted = pattern.replace(/^s3:/, "");
  return wanted.endsWith(":*") ? eventName.startsWith(wanted.slice(0, -1)) : eventName === wanted;
}

/** Whether a trigger fires for a key written with this event name. */
export function triggerMatches(trigger: TriggerPlan, bucket: string, key: string, eventName: string): boolean {
  return (
    trigger.bucket === bucket &&
    key.startsWith(trigger.filterPrefix) &&
    key.endsWith(trigger.filterSuffix) &&
    trigger.events.some((pattern) => matchesEventPattern(eventName, pattern))
  );
}

/**
 * What planning collects as it reads the stack: the local value of every `${type.name.attr}` a
 * planned resource defines, and every problem, thrown together at the end.
 */
class PlanContext {
  readonly problems: string[] = [];
  private readonly values = new Map<string, string>();

  constructor(
    readonly resources: Record<string, Record<string, Block>>,
    readonly region: string,
    readonly accountId: string,
  ) {}

  /** Records the local values of a resource's attributes. */
  define(address: string, attrs: Record<string, string>): void {
    for (const [attr, value] of Object.entries(attrs)) this.values.set(`${address}.${attr}`, value);
  }

  /** The local value of `address.attr`, if planned. */
  value(reference: string): string | undefined {
    return this.values.get(reference);
  }

  /** `value` (JSON text unless a string) with every `${...}` replaced by its local value; an unknown one is a problem. */
  resolve(value: unknown, where: string): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
      const resolved = this.values.get(expression.trim());
      if (resolved === undefined) {
        this.problems.push(`${where}: cannot resolve ${whole} to a local resource`);
        return whole;
      }
      return resolved;
    });
  }
}

/**
 * Reads a synthesized stack into what the local runner creates: buckets, tables and topics as
 * defined, the function the bucket notification targets (handler, timeout, memory, packaged code
 * directory, async retry settings), and its environment with every `${type.name.attr}` reference
 * resolved to the local resource. Anything the runner cannot honour is collected and thrown once.
 */
export function planLocalStack(stack: SynthesizedStack, options: PlanOptions): LocalPlan {
  const accountId = options.accountId ?? "000000000000";
  const region = str((stack.provider?.aws?.[0] as Block | undefined)?.region) ?? "us-east-1";
  const context = new PlanContext(stack.resource ?? {}, region, accountId);
  for (const name of Object.keys(stack.data?.aws_caller_identity ?? {})) {
    context.define(`data.aws_caller_identity.${name}`, { account_id: accountId, id: accountId });
  }
  for (const name of Object.keys(stack.data?.aws_region ?? {})) {
    context.define(`data.aws_region.${name}`, { name: region, region, id: region });
  }
  const buckets = planBuckets(context);
  const tables = planTables(context);
  const topics = planTopics(context);
  defineFunctions(context);
  const { target, triggers } = planTriggers(context);
  const functionPlan = target === undefined ? undefined : planFunction(context, stack, target, options.stackDir);
  if (context.problems.length > 0 || !functionPlan) throw new LocalPlanError(context.problems);
  return { region, accountId, buckets, tables, topics, function: functionPlan, triggers };
}

function planBuckets(context: PlanContext): BucketPlan[] {
  const { resources } = context;
  const buckets: BucketPlan[] = [];
  for (const [name, def] of Object.entries(resources.aws_s3_bucket ?? {})) {
    const address = `aws_s3_bucket.${name}`;
    const prefix = str(def.bucket_prefix);
    const bucketName = str(def.bucket) ?? (prefix !== undefined ? `${prefix}local` : undefined);
    if (!bucketName) {
      context.problems.push(`${address} has neither bucket nor bucket_prefix`);
      continue;
    }
    const versioned = Object.values(resources.aws_s3_bucket_versioning ?? {}).some(
      (v) => v.bucket === `\${${address}.id}` && blocks(v.versioning_configuration).some((c) => c.status === "Enabled"),
    );
    buckets.push({ address, name: bucketName, versioned });
    context.define(address, { bucket: bucketName, id: bucketName, arn: `arn:aws:s3:::${bucketName}`, bucket_domain_name: `${bucketName}.s3.amazonaws.com` });
  }
  return buckets;
}

function planTables(context: PlanContext): TablePlan[] {
  const tables: TablePlan[] = [];
  for (const [name, def] of Object.entries(context.resources.aws_dynamodb_table ?? {})) {
    const address = `aws_dynamodb_table.${name}`;
    const tableName = str(def.name);
    const hashKey = str(def.hash_key);
    if (!tableName || !hashKey) {
      context.problems.push(`${address} needs a literal name and hash_key`);
      continue;
    }
    const index = (b: Block): TableIndex => ({
      name: String(b.name),
      hashKey: String(b.hash_key ?? hashKey),
      rangeKey: str(b.range_key),
      projectionType: String(b.projection_type ?? "ALL"),
      nonKeyAttributes: Array.isArray(b.non_key_attributes) ? (b.non_key_attributes as string[]) : undefined,
    });
    const billingMode = def.billing_mode === "PAY_PER_REQUEST" ? "PAY_PER_REQUEST" : "PROVISIONED";
    tables.push({
      address,
      name: tableName,
      hashKey,
      rangeKey: str(def.range_key),
      attributes: blocks(def.attribute).map((a) => ({ name: String(a.name), type: String(a.type) as TableAttribute["type"] })),
      billingMode,
      readCapacity: billingMode === "PROVISIONED" ? (num(def.read_capacity) ?? 1) : undefined,
      writeCapacity: billingMode === "PROVISIONED" ? (num(def.write_capacity) ?? 1) : undefined,
      globalSecondaryIndexes: blocks(def.global_secondary_index).map(index),
      localSecondaryIndexes: blocks(def.local_secondary_index).map(index),
    });
    const arn = `arn:aws:dynamodb:${context.region}:${context.accountId}:table/${tableName}`;
    context.define(address, { name: tableName, id: tableName, arn, hash_key: hashKey });
  }
  return tables;
}

function planTopics(context: PlanContext): TopicPlan[] {
  const topics: TopicPlan[] = [];
  for (const [name, def] of Object.entries(context.resources.aws_sns_topic ?? {})) {
    const address = `aws_sns_topic.${name}`;
    const topicName = str(def.name);
    if (!topicName) {
      context.problems.push(`${address} needs a literal name`);
      continue;
    }
    topics.push({ address, name: topicName });
    const arn = `arn:aws:sns:${context.region}:${context.accountId}:${topicName}`;
    context.define(address, { name: topicName, id: arn, arn });
  }
  return topics;
}

/** Every function's local name and ARNs, so references to any of them resolve. */
function defineFunctions(context: PlanContext): void {
  for (const [name, def] of Object.entries(context.resources.aws_lambda_function ?? {})) {
    const functionName = str(def.function_name);
    if (!functionName) continue;
    const arn = `arn:aws:lambda:${context.region}:${context.accountId}:function:${functionName}`;
    context.define(`aws_lambda_function.${name}`, { function_name: functionName, id: functionName, arn, invoke_arn: arn, qualified_arn: `${arn}:$LATEST` });
  }
}

/** The bucket notifications' rules, and the one function they invoke (its address). */
function planTriggers(context: PlanContext): { target: string | undefined; triggers: TriggerPlan[] } {
  const triggers: TriggerPlan[] = [];
  let target: string | undefined;
  for (const [name, def] of Object.entries(context.resources.aws_s3_bucket_notification ?? {})) {
    const where = `aws_s3_bucket_notification.${name}`;
    const bucket = context.resolve(def.bucket, `${where}.bucket`);
    for (const rule of blocks(def.lambda_function)) {
      const ref = /^\$\{(aws_lambda_function\.[\w-]+)\.arn\}$/.exec(String(rule.lambda_function_arn ?? ""));
      if (!ref) {
        context.problems.push(`${where}: lambda_function_arn ${String(rule.lambda_function_arn)} is not a function of this stack`);
        continue;
      }
      if (target && target !== ref[1]) context.problems.push(`${where}: notifications invoke more than one function (${target}, ${ref[1]})`);
      target = ref[1];
      triggers.push({
        id: String(rule.id ?? name),
        bucket,
        events: Array.isArray(rule.events) ? (rule.events as string[]) : [],
        filterPrefix: str(rule.filter_prefix) ?? "",
        filterSuffix: str(rule.filter_suffix) ?? "",
      });
    }
  }
  if (!target) context.problems.push("no aws_s3_bucket_notification invokes a Lambda function");
  return { target, triggers };
}

/** The function at `target`: its code, settings, environment (references resolved) and async retry settings. */
function planFunction(context: PlanContext, stack: SynthesizedStack, target: string, stackDir: string): FunctionPlan | undefined {
  const { resources, problems } = context;
  const fn = resources.aws_lambda_function?.[target.split(".")[1]];
  if (!fn) {
    problems.push(`${target} is not defined`);
    return undefined;
  }
  const functionName = String(fn.function_name);
  const environment: Record<string, string> = {};
  const variables = (blocks(fn.environment)[0]?.variables ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(variables)) {
    if (RESERVED_ENV.has(key)) problems.push(`${target}: environment variable ${key} is reserved by Lambda`);
    environment[key] = context.resolve(value, `${target} environment variable ${key}`);
  }
  const invokeConfig = Object.values(resources.aws_lambda_function_event_invoke_config ?? {}).find((c) =>
    [`\${${target}.function_name}`, `\${${target}.arn}`, functionName].includes(String(c.function_name)),
  );
  const reserved = num(fn.reserved_concurrent_executions);
  const plan: FunctionPlan = {
    address: target,
    functionName,
    arn: context.value(`${target}.arn`) ?? functionName,
    handler: String(fn.handler ?? ""),
    runtime: String(fn.runtime ?? ""),
    codeDir: codeDirectory(stack, fn, stackDir, target, problems),
    timeoutSeconds: num(fn.timeout) ?? 3,
    memoryMiB: num(fn.memory_size) ?? 128,
    reservedConcurrency: reserved !== undefined && reserved >= 0 ? reserved : undefined,
    environment,
    maxRetryAttempts: num(invokeConfig?.maximum_retry_attempts) ?? 2,
    maxEventAgeSeconds: num(invokeConfig?.maximum_event_age_in_seconds) ?? 21600,
  };
  if (!/^[^.]+(\.[^.]+)*\.[^.]+$/.test(plan.handler)) problems.push(`${target}: handler "${plan.handler}" is not <file>.<export>`);
  if (!/^nodejs\d+\.x$/.test(plan.runtime)) problems.push(`${target}: runtime "${plan.runtime}" is not a Node.js runtime`);
  return plan;
}

/** The directory the function's zip is made from: `data.archive_file.<x>.source_dir`, relative to the stack. */
function codeDirectory(stack: SynthesizedStack, fn: Block, stackDir: string, where: string, problems: string[]): string {
  const ref = /^\$\{data\.archive_file\.([\w-]+)\.output_path\}$/.exec(String(fn.filename ?? ""));
  const archive = ref ? stack.data?.archive_file?.[ref[1]] : undefined;
  const sourceDir = str(archive?.source_dir);
  if (!sourceDir) {
    problems.push(`${where}: filename ${String(fn.filename)} is not a data.archive_file of a source_dir`);
    return "";
  }
  return path.resolve(stackDir, sourceDir);
}
