/**
 * `npm run preflight -- --account STACK...`: whether the AWS account leaves room for each stage's
 * reserved concurrency. Lambda refuses a reservation that would leave fewer than 100 executions
 * unreserved in the region (InvalidParameterValueException from CreateFunction or
 * PutFunctionConcurrency), and new accounts may have a quota of 10, so without this check the
 * deploy stops midway through the apply.
 */
import { spawnSync } from "node:child_process";
import { envName, type StageConfig } from "../stacks/config";
import { processorFunctionName, stackName } from "../stacks/pipeline-stack";

/** Executions Lambda keeps unreserved in every account and region; no reservation may eat into them. */
export const MIN_UNRESERVED_CONCURRENCY = 100;

/** The account's Lambda concurrency in one region (`AccountLimit` of `aws lambda get-account-settings`). */
export interface AccountConcurrency {
  /** The "Concurrent executions" quota. */
  readonly concurrentExecutions: number;
  /** The part of the quota no function reserves. */
  readonly unreservedConcurrentExecutions: number;
}

/** Where the check reads the account: the AWS CLI, or a stand-in in tests. */
export interface ConcurrencyReader {
  /** The account's concurrency in `region`; throws an AccountCheckError when it cannot be read. */
  accountConcurrency(region: string): AccountConcurrency;
  /** What `functionName` reserves now: 0 when it reserves nothing or does not exist yet. */
  reservedConcurrency(region: string, functionName: string): number;
}

/** The account could not be asked: no AWS CLI, no credentials, a refused call or an answer that is not what Lambda returns. */
export class AccountCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountCheckError";
  }
}

/** What the account check found, in preflight's terms. */
export interface AccountReport {
  /** Reservations the account cannot grant, and stacks it could not be asked about. */
  readonly problems: readonly string[];
  /** How much stays unreserved after each reservation that fits. */
  readonly notes: readonly string[];
}

/** What earlier stacks of one run take from a region's unreserved pool, as if deployed in the order named. */
interface Pool {
  readonly account: AccountConcurrency;
  readonly taken: { readonly stack: string; readonly executions: number }[];
}

/**
 * Checks every stage of `configs` that reserves concurrency against the account, in order: the
 * stacks of one region share its pool, so a stage is checked with the reservations of the stages
 * before it already made. A stage that reserves nothing is not looked up. Stops at the first
 * stack the account cannot be asked about.
 */
export function checkAccountConcurrency(configs: readonly StageConfig[], reader: ConcurrencyReader): AccountReport {
  const problems: string[] = [];
  const notes: string[] = [];
  const pools = new Map<string, Pool>();
  for (const config of configs) {
    const reserved = config.reservedConcurrency;
    if (reserved === null) continue;
    const stack = stackName(config.stage);
    const functionName = processorFunctionName(config);
    let pool: Pool | undefined;
    let current: number;
    try {
      pool = pools.get(config.region) ?? { account: reader.accountConcurrency(config.region), taken: [] };
      current = reader.reservedConcurrency(config.region, functionName);
    } catch (error) {
      if (!(error instanceof AccountCheckError)) throw error;
      problems.push(`${stack}: cannot check the account's concurrency for reservedConcurrency ${reserved}: ${error.message}`);
      break;
    }
    pools.set(config.region, pool);
    const takenBefore = pool.taken.reduce((sum, t) => sum + t.executions, 0);
    const unreserved = pool.account.unreservedConcurrentExecutions - takenBefore;
    const needed = reserved - current + MIN_UNRESERVED_CONCURRENCY;
    if (unreserved >= needed) {
      pool.taken.push({ stack, executions: reserved - current });
      notes.push(`${stack}: reservedConcurrency ${reserved} leaves ${unreserved - (reserved - current)} concurrent executions unreserved in ${config.region} (Lambda needs at least ${MIN_UNRESERVED_CONCURRENCY})`);
      continue;
    }
    const now = current === 0 ? `${functionName}, which reserves none now` : `${functionName} less the ${current} it reserves now`;
    const before = pool.taken.length === 0 ? "" : `, less the ${takenBefore} that ${pool.taken.map((t) => t.stack).join(" and ")}, checked first, would reserve`;
    const quota = pool.account.concurrentExecutions + needed - unreserved;
    const largest = unreserved + current - MIN_UNRESERVED_CONCURRENCY;
    const smaller = largest >= 1 ? ` or a value of at most ${largest}` : "";
    problems.push(
      `${stack}: reservedConcurrency ${reserved} needs ${needed} unreserved concurrent executions in ${config.region} (${reserved} for ${now}, plus the ${MIN_UNRESERVED_CONCURRENCY} Lambda keeps unreserved) but the account has ${unreserved} (UnreservedConcurrentExecutions ${pool.account.unreservedConcurrentExecutions} of a ConcurrentExecutions quota of ${pool.account.concurrentExecutions}${before}), so the deploy would fail with InvalidParameterValueException; request a "Concurrent executions" quota (L-B99A9384) of at least ${quota} in Service Quotas (AWS Lambda, ${config.region}), or deploy with ${envName(config.stage, "reservedConcurrency")}=none${smaller}`,
    );
  }
  return { problems, notes };
}

/** What to do when the AWS CLI cannot answer. */
const CREDENTIALS_FIX =
  "give the AWS CLI credentials for the account the stack deploys to (AWS_PROFILE, aws sso login; in CI the configure-aws-credentials step) that allow lambda:GetAccountSettings and lambda:GetFunctionConcurrency, or leave out --account to run only the offline checks";

/** Runs `aws ...args`; returns its stdout, or `undefined` when Lambda answered ResourceNotFoundException. */
function runAws(args: readonly string[]): string | undefined {
  const command = `aws ${args.join(" ")}`;
  // No pager: AWS CLI v2 would otherwise wait for `less` when run from a terminal.
  const result = spawnSync("aws", [...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, AWS_PAGER: "" } });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    throw new AccountCheckError(`the AWS CLI (aws) is not on PATH, and --account asks the account through it; install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), or leave out --account to run only the offline checks`);
  }
  if (result.error !== undefined) throw new AccountCheckError(`\`${command}\` did not finish (${result.error.message}); ${CREDENTIALS_FIX}`);
  if (result.status === 0) return result.stdout;
  if (/\(ResourceNotFoundException\)/.test(result.stderr)) return undefined;
  const said = result.stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "").join(" ").slice(0, 500) || "no output";
  throw new AccountCheckError(`\`${command}\` failed (exit ${result.status ?? `on ${result.signal}`}): ${said}; ${CREDENTIALS_FIX}`);
}

function parseJson(command: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AccountCheckError(`\`${command}\` printed ${JSON.stringify(text.slice(0, 200))}, not a JSON object; check that \`aws\` is AWS CLI v2 and that AWS_DEFAULT_OUTPUT or the profile does not change --output json`);
  }
  return value as Record<string, unknown>;
}

function count(command: string, field: string, value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new AccountCheckError(`\`${command}\` gave ${field} ${JSON.stringify(value)}, not a whole number; check that \`aws\` is AWS CLI v2`);
}

/** Reads the account through the AWS CLI on PATH and its credentials, in each stage's region. */
export const awsCliReader: ConcurrencyReader = {
  accountConcurrency(region) {
    const args = ["lambda", "get-account-settings", "--region", region, "--output", "json"];
    const command = `aws ${args.join(" ")}`;
    const limit = parseJson(command, runAws(args) ?? "").AccountLimit;
    const fields = typeof limit === "object" && limit !== null ? (limit as Record<string, unknown>) : {};
    return {
      concurrentExecutions: count(command, "AccountLimit.ConcurrentExecutions", fields.ConcurrentExecutions),
      unreservedConcurrentExecutions: count(command, "AccountLimit.UnreservedConcurrentExecutions", fields.UnreservedConcurrentExecutions),
    };
  },
  reservedConcurrency(region, functionName) {
    const args = ["lambda", "get-function-concurrency", "--function-name", functionName, "--region", region, "--output", "json"];
    const command = `aws ${args.join(" ")}`;
    const stdout = runAws(args);
    // Not deployed yet (ResourceNotFoundException), or no reservation: the CLI prints nothing or {}.
    if (stdout === undefined || stdout.trim() === "") return 0;
    const reserved = parseJson(command, stdout).ReservedConcurrentExecutions;
    return reserved === undefined ? 0 : count(command, "ReservedConcurrentExecutions", reserved);
  },
};
