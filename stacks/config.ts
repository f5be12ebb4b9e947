import { readFileSync } from "node:fs";
import * as path from "node:path";
import { LIMITS } from "../lambda-src/limits";
import { FAILED_EVENT_RETENTION_SECONDS, FAILURE_DESTINATION_DEFAULTS } from "./failure-destination";
import { METADATA_TABLE_DEFAULTS } from "./metadata-table";
import { ALARM_DEFAULTS } from "./pipeline-alarms";
import { PROCESSOR_DEFAULTS } from "./processor-function";
import { UPLOAD_BUCKET_DEFAULTS } from "./upload-bucket";

/** Settings of one stage (`pipeline-<stage>`); see README "Configuration" for each default. */
export interface StageConfig {
  /** Stage name, part of every resource name and of the stack name. */
  readonly stage: string;
  /** Project name, the first part of every resource name. */
  readonly project: string;
  /** AWS region of every resource in the stage. */
  readonly region: string;
  /**
   * Exact name for the upload bucket.
   * @default - none: Terraform picks a unique name from `<project>-<stage>-upload-`
   */
  readonly bucketName?: string;
  /** Let `terraform destroy` delete a bucket that still holds objects. Refused for prod. */
  readonly forceDestroy: boolean;
  /** DynamoDB deletion protection on the metadata table. */
  readonly deletionProtection: boolean;
  /** CloudWatch Logs retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** Lambda memory size. */
  readonly memoryMiB: number;
  /** Lambda timeout. */
  readonly timeoutSeconds: number;
  /**
   * Reserved concurrency of the function, which caps parallel files; `null` leaves it in the
   * account's shared pool. Reserving needs 100 unreserved executions left in the account (new
   * accounts may have a quota of 10), so it is unset unless a stage sets it.
   */
  readonly reservedConcurrency: number | null;
  /** Async-invocation retries after a failed attempt (Lambda allows 0-2). */
  readonly maxRetryAttempts: number;
  /** How long Lambda keeps retrying an event before it goes to the on-failure queue. */
  readonly maxEventAgeSeconds: number;
  /** Files larger than this end FAILED without being read. */
  readonly maxFileBytes: number;
  /** Key prefix that triggers the function. Must end with `/`. */
  readonly incomingPrefix: string;
  /** Key prefix the function writes normalized orders under. Must end with `/` and not overlap `incomingPrefix`. */
  readonly processedPrefix: string;
  /** E-mail addresses subscribed to the status topic for FAILED files and alarms. */
  readonly alarmEmails: readonly string[];
  /** Period of every alarm. */
  readonly alarmPeriodSeconds: number;
  /** Periods an alarm's condition must hold before it fires. */
  readonly alarmEvaluationPeriods: number;
  /** Duration alarm threshold, as a percentage of the timeout (p99). */
  readonly durationAlarmPercent: number;
  /** Age of the oldest on-failure message that raises an alarm. */
  readonly failedEventAgeAlarmSeconds: number;
}

/**
 * Defaults that apply to every stage unless `config/stages.json` or the environment says
 * otherwise. Where a construct has a default of its own, this is it, so the two never drift.
 */
export const STAGE_DEFAULTS = {
  region: "eu-west-1",
  forceDestroy: UPLOAD_BUCKET_DEFAULTS.forceDestroy,
  deletionProtection: METADATA_TABLE_DEFAULTS.deletionProtection,
  logRetentionDays: PROCESSOR_DEFAULTS.logRetentionDays,
  memoryMiB: PROCESSOR_DEFAULTS.memoryMiB,
  timeoutSeconds: PROCESSOR_DEFAULTS.timeoutSeconds,
  reservedConcurrency: null as number | null,
  maxRetryAttempts: FAILURE_DESTINATION_DEFAULTS.maxRetryAttempts,
  maxEventAgeSeconds: FAILURE_DESTINATION_DEFAULTS.maxEventAgeSeconds,
  maxFileBytes: 2 * 1024 ** 3,
  incomingPrefix: "incoming/",
  processedPrefix: "processed/",
  alarmEmails: [] as readonly string[],
  alarmPeriodSeconds: ALARM_DEFAULTS.periodSeconds,
  alarmEvaluationPeriods: ALARM_DEFAULTS.evaluationPeriods,
  durationAlarmPercent: ALARM_DEFAULTS.durationAlarmPercent,
  failedEventAgeAlarmSeconds: ALARM_DEFAULTS.failedEventAgeAlarmSeconds,
} as const;

/** Values CloudWatch Logs accepts for `retention_in_days` (0 = never expire is refused on purpose). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/**
 * S3's rules for a general purpose bucket name: 3-63 lower-case letters, digits, '.' and '-',
 * alphanumeric at both ends, no "..", not shaped like an IP address, and none of the prefixes and
 * suffixes S3 reserves (for access point aliases, Object Lambda, directory and table buckets).
 */
export const BUCKET_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?<!-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/;
/** What `BUCKET_NAME` asks for, as a fix to quote in a message. */
export const BUCKET_NAME_RULES =
  "3-63 lower-case letters, digits, '.' or '-', a letter or digit at both ends, not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)";

/** An AWS region code: `eu-west-1`, `us-gov-west-1`, `us-isob-east-1`, `eusc-de-east-1`. */
export const AWS_REGION = /^(?:[a-z]{2}(?:-(?:gov|iso[a-z]?))?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;

/** Raised when the configuration has one or more bad settings; lists all of them at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid pipeline configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Runs both readers of settings (the stages, the state backend) and returns what they read; when
 * either throws a ConfigError, throws one ConfigError with the problems of both, so every mistake
 * shows at once.
 */
export function readSettings<A, B>(first: () => A, second: () => B): [A, B] {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const results = [attempt(first), attempt(second)] as [A, B];
  if (problems.length > 0) throw new ConfigError(problems);
  return results;
}

/** The raw file: a project name and per-stage partial settings. */
export interface ConfigFile {
  readonly project?: unknown;
  readonly stages?: unknown;
}

type Kind = "string" | "boolean" | "number" | "number or none" | "emails";
const FIELDS: Record<Exclude<keyof StageConfig, "stage" | "project">, Kind> = {
  region: "string",
  bucketName: "string",
  forceDestroy: "boolean",
  deletionProtection: "boolean",
  logRetentionDays: "number",
  memoryMiB: "number",
  timeoutSeconds: "number",
  reservedConcurrency: "number or none",
  maxRetryAttempts: "number",
  maxEventAgeSeconds: "number",
  maxFileBytes: "number",
  incomingPrefix: "string",
  processedPrefix: "string",
  alarmEmails: "emails",
  alarmPeriodSeconds: "number",
  alarmEvaluationPeriods: "number",
  durationAlarmPercent: "number",
  failedEventAgeAlarmSeconds: "number",
};

/**
 * Domains reserved for examples, tests and private networks (RFC 2606, RFC 6761, RFC 6762, RFC
 * 8375, ICANN's `.internal`): no mail sent there from AWS is ever read.
 */
const RESERVED_MAIL_DOMAIN = /@(?:(?:[^@\s]+\.)?(?:example\.(?:com|net|org)|home\.arpa)|[^@\s]+\.(?:example|test|invalid|localhost|local|internal))$/i;

/**
 * Why the stage's alarm addresses are placeholders, when some are at a domain reserved for
 * examples, tests or private networks (like the shipped `oncall@example.com`): alarms and FAILED files sent there reach
 * nobody. Such a stage synthesizes (with a warning), and `npm run preflight` refuses to deploy it.
 */
export function placeholderEmailProblem(config: StageConfig): string | undefined {
  const placeholders = config.alarmEmails.filter((email) => RESERVED_MAIL_DOMAIN.test(email));
  if (placeholders.length === 0) return undefined;
  return `alarmEmails ${placeholders.join(", ")} ${placeholders.length === 1 ? "is" : "are"} at a domain reserved for examples, tests or private networks, so alarms and FAILED files would reach nobody; put the on-call addresses in config/stages.json or ${envName(config.stage, "alarmEmails")} before deploying`;
}

/** Default location of the stage file. */
export const DEFAULT_CONFIG_FILE = path.join(__dirname, "..", "config", "stages.json");

/** Reads `config/stages.json`, applies `PIPELINE_<STAGE>_<SETTING>` overrides and validates every stage. */
export function loadConfig(
  file: string = DEFAULT_CONFIG_FILE,
  env: NodeJS.ProcessEnv = process.env,
): StageConfig[] {
  let raw: ConfigFile;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as ConfigFile;
  } catch (err) {
    throw new ConfigError([`${file}: cannot read it as JSON (${(err as Error).message}); fix the file`]);
  }
  return resolveConfig(raw, env);
}

/** Validates an already-parsed config file plus environment overrides; throws one ConfigError listing every problem. */
export function resolveConfig(raw: ConfigFile, env: NodeJS.ProcessEnv = {}): StageConfig[] {
  const problems: string[] = [];
  const project = raw.project ?? "order-pipeline";
  if (typeof project !== "string" || !/^[a-z][a-z0-9-]{1,17}$/.test(project)) {
    problems.push(
      `project: ${JSON.stringify(project)} is not allowed; use 2-18 lower-case letters, digits or '-', starting with a letter`,
    );
  } else if (!BUCKET_NAME.test(`${project}-dev-upload-${"0".repeat(26)}`)) {
    // Upload buckets are named `<project>-<stage>-upload-<26 digits>` unless a stage sets bucketName.
    problems.push(`project: "${project}" is not allowed: upload bucket names start with "${project}-", a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-); choose another project name`);
  }
  const stages = raw.stages;
  if (typeof stages !== "object" || stages === null || Array.isArray(stages) || !("dev" in stages)) {
    throw new ConfigError([...problems, `stages: must be an object that has at least a "dev" stage`]);
  }
  const result: StageConfig[] = [];
  for (const [stage, settings] of Object.entries(stages as Record<string, unknown>)) {
    const where = `stages.${stage}`;
    if (!/^[a-z][a-z0-9]{1,9}$/.test(stage)) {
      problems.push(`${where}: stage name ${JSON.stringify(stage)} is not allowed; use 2-10 lower-case letters or digits, starting with a letter`);
      continue;
    }
    if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
      problems.push(`${where}: must be an object of settings`);
      continue;
    }
    const merged: Record<string, unknown> = { ...STAGE_DEFAULTS };
    for (const [key, value] of Object.entries(settings)) {
      if (!(key in FIELDS)) {
        problems.push(`${where}.${key}: unknown setting; known settings are ${Object.keys(FIELDS).join(", ")}`);
        continue;
      }
      merged[key] = value;
    }
    const overridden = applyOverrides(stage, merged, env, problems);
    const config = { ...merged, stage, project } as unknown as StageConfig;
    for (const problem of validateStage(config)) problems.push(labelled(problem, stage, overridden));
    result.push(config);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result;
}

/** The variable that overrides `key` for `stage`: `PIPELINE_PROD_RESERVED_CONCURRENCY`. */
export function envName(stage: string, key: string): string {
  // The unit MiB is one word: memoryMiB -> MEMORY_MIB (as documented), not MEMORY_MI_B.
  const words = key.replace(/MiB/g, "Mib").replace(/([a-z0-9])([A-Z])/g, "$1_$2");
  return `PIPELINE_${stage.toUpperCase()}_${words.toUpperCase()}`;
}

/**
 * A problem of `validateStage` (`setting: ...`), named where its value came from: the file's
 * `stages.<stage>.<setting>`, or the variable that overrode it, since the file does not hold that
 * value. A problem about two settings names the variable behind the other one too.
 */
function labelled(problem: string, stage: string, overridden: ReadonlySet<string>): string {
  const where = `stages.${stage}`;
  const key = /^[A-Za-z]+/.exec(problem)?.[0] ?? "";
  const rest = problem.slice(key.length);
  // Setting names in the message's own words; a quoted value is the user's, whatever it spells.
  const words = rest.replace(/"(?:[^"\\]|\\.)*"/g, "");
  const others = [...overridden].filter((other) => other !== key && new RegExp(`\\b${other}\\b`).test(words));
  const via = others.map((other) => `${envName(stage, other)} overriding ${where}.${other}`);
  if (overridden.has(key)) return `${envName(stage, key)} (overriding ${where}.${key}${via.map((v) => `; with ${v}`).join("")})${rest}`;
  return via.length > 0 ? `${where}.${key} (with ${via.join(", ")})${rest}` : `${where}.${problem}`;
}

/** Applies the stage's `PIPELINE_<STAGE>_<SETTING>` variables to `merged`; returns the settings they set. */
function applyOverrides(
  stage: string,
  merged: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  problems: string[],
): Set<string> {
  const overridden = new Set<string>();
  // A mistyped override would otherwise be ignored in silence, and the stage deployed without it.
  const known = new Set(Object.keys(FIELDS).map((key) => envName(stage, key)));
  const prefix = `PIPELINE_${stage.toUpperCase()}_`;
  for (const name of Object.keys(env)) {
    if (name.startsWith(prefix) && !known.has(name)) {
      problems.push(`${name}: unknown setting; overrides for stage ${stage} are ${[...known].join(", ")}`);
    }
  }
  for (const [key, kind] of Object.entries(FIELDS)) {
    const name = envName(stage, key);
    const value = env[name];
    if (value === undefined) continue;
    overridden.add(key);
    if (kind === "boolean") {
      if (value !== "true" && value !== "false") {
        problems.push(`${name}: ${JSON.stringify(value)} is not a boolean; use true or false`);
      } else merged[key] = value === "true";
    } else if (kind === "number or none" && value.trim() === "none") {
      merged[key] = null;
    } else if (kind === "number" || kind === "number or none") {
      // Keep text that is not a number as it is, so the range error shows the value the user typed.
      const parsed = Number(value);
      merged[key] = value.trim() === "" || Number.isNaN(parsed) ? value : parsed;
    } else if (kind === "emails") {
      merged[key] = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
    } else merged[key] = value;
  }
  return overridden;
}

/** The handler stops itself this long before the timeout; a timeout of three times that leaves files most of it. */
const RESERVE_SECONDS = LIMITS.timeoutReserveMs / 1000;
const MIN_TIMEOUT_SECONDS = 3 * RESERVE_SECONDS;

function checkInt(problems: string[], name: string, value: unknown, min: number, max: number, unit: string): void {
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return;
  const what = typeof value === "number" && Number.isInteger(value) ? "is out of range" : "is not a whole number";
  problems.push(`${name}: ${JSON.stringify(value)} ${what}; use a whole number from ${min} to ${max} ${unit}`);
}

function checkBool(problems: string[], name: string, value: unknown): void {
  if (typeof value !== "boolean") problems.push(`${name}: ${JSON.stringify(value)} is not a boolean; use true or false`);
}

/** Returns every problem of one stage as `setting: problem; fix`. */
export function validateStage(c: StageConfig): string[] {
  const p: string[] = [];
  if (typeof c.region !== "string" || !AWS_REGION.test(c.region)) {
    p.push(`region: ${JSON.stringify(c.region)} is not an AWS region; use a code such as eu-west-1 or us-east-1`);
  }
  if (c.bucketName !== undefined) {
    if (typeof c.bucketName !== "string" || !BUCKET_NAME.test(c.bucketName)) {
      p.push(`bucketName: ${JSON.stringify(c.bucketName)} is not a valid S3 bucket name; use ${BUCKET_NAME_RULES}`);
    } else if (!c.bucketName.includes(c.stage)) {
      p.push(`bucketName: "${c.bucketName}" does not contain the stage "${c.stage}"; include it so stages never collide`);
    }
  }
  checkBool(p, "forceDestroy", c.forceDestroy);
  checkBool(p, "deletionProtection", c.deletionProtection);
  if (c.stage === "prod" && c.forceDestroy === true) {
    p.push(`forceDestroy: true is refused for prod; a destroy must never empty the production bucket, set it to false`);
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(c.logRetentionDays)) {
    p.push(`logRetentionDays: ${JSON.stringify(c.logRetentionDays)} is not a value CloudWatch accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  checkInt(p, "memoryMiB", c.memoryMiB, 128, 10240, "MiB");
  checkInt(p, "timeoutSeconds", c.timeoutSeconds, MIN_TIMEOUT_SECONDS, 900, `seconds (the function keeps ${RESERVE_SECONDS} s of it back to record FAILED before the timeout)`);
  if (c.reservedConcurrency !== null) checkInt(p, "reservedConcurrency", c.reservedConcurrency, 1, 1000, "concurrent executions, or null (none in the environment) to leave it unreserved");
  checkInt(p, "maxRetryAttempts", c.maxRetryAttempts, 0, 2, "retries");
  checkInt(p, "maxEventAgeSeconds", c.maxEventAgeSeconds, 60, 21600, "seconds");
  checkInt(p, "maxFileBytes", c.maxFileBytes, 1, 5 * 1024 ** 4, "bytes");
  checkInt(p, "alarmPeriodSeconds", c.alarmPeriodSeconds, 60, 86400, "seconds");
  if (typeof c.alarmPeriodSeconds === "number" && c.alarmPeriodSeconds % 60 !== 0) {
    p.push(`alarmPeriodSeconds: ${c.alarmPeriodSeconds} is not a multiple of 60; CloudWatch needs whole minutes`);
  }
  checkInt(p, "alarmEvaluationPeriods", c.alarmEvaluationPeriods, 1, 100, "periods");
  checkInt(p, "durationAlarmPercent", c.durationAlarmPercent, 1, 100, "percent");
  checkInt(p, "failedEventAgeAlarmSeconds", c.failedEventAgeAlarmSeconds, 60, FAILED_EVENT_RETENTION_SECONDS, "seconds");
  const period = c.alarmPeriodSeconds;
  const periods = c.alarmEvaluationPeriods;
  if (Number.isInteger(period) && Number.isInteger(periods)) {
    // CloudWatch's limit on period x evaluation periods: PutMetricAlarm refuses more at deploy.
    const limit = period < 3600 ? 86400 : 604800;
    if (period * periods > limit) {
      p.push(
        `alarmEvaluationPeriods: ${periods} periods of alarmPeriodSeconds ${period} s are ${period * periods} s, more than CloudWatch allows (${limit} s ${period < 3600 ? "for periods under an hour" : "in all"}); use at most ${Math.floor(limit / period)} periods`,
      );
    }
    const age = c.failedEventAgeAlarmSeconds;
    if (Number.isInteger(age) && age <= FAILED_EVENT_RETENTION_SECONDS && age + period > FAILED_EVENT_RETENTION_SECONDS) {
      p.push(
        `failedEventAgeAlarmSeconds: ${age} s leaves less than one alarmPeriodSeconds (${period} s) before the on-failure queue drops an event, after ${FAILED_EVENT_RETENTION_SECONDS} s, so the alarm could never fire; use at most ${FAILED_EVENT_RETENTION_SECONDS - period}`,
      );
    }
  }
  for (const key of ["incomingPrefix", "processedPrefix"] as const) {
    const value = c[key];
    if (typeof value !== "string" || !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/.test(value)) {
      p.push(`${key}: ${JSON.stringify(value)} is not a key prefix; use safe characters ending with '/', e.g. "incoming/"`);
    }
  }
  if (
    typeof c.incomingPrefix === "string" &&
    typeof c.processedPrefix === "string" &&
    (c.incomingPrefix.startsWith(c.processedPrefix) || c.processedPrefix.startsWith(c.incomingPrefix))
  ) {
    p.push(
      `processedPrefix: "${c.processedPrefix}" overlaps incomingPrefix "${c.incomingPrefix}"; the function would trigger itself, use disjoint prefixes`,
    );
  }
  if (!Array.isArray(c.alarmEmails)) {
    p.push(`alarmEmails: must be a list of e-mail addresses`);
  } else {
    for (const email of c.alarmEmails) {
      if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(email)) {
        p.push(`alarmEmails: ${JSON.stringify(email)} is not an e-mail address; write it as name@yourcompany.com`);
      }
    }
  }
  return p;
}
