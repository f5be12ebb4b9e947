/**
 * `npm run preflight -- pipeline-prod`: refuses, before a deploy, what synth allows but a deployed
 * stack must not have. Offline, that is alarm addresses at a domain reserved for examples, tests or
 * private networks (the shipped `oncall@example.com`), which would send alarms and FAILED files to
 * nobody. With `--account` it also asks the AWS account (through the AWS CLI and its credentials)
 * whether it can grant each stage's reserved concurrency (see account-concurrency.ts). Reads the
 * same configuration as synth (`config/stages.json` and `PIPELINE_<STAGE>_<SETTING>`); with no
 * stack named it checks every stack. Exits 1 listing each problem, else prints "ready" and exits 0;
 * notes (a stage without alarm addresses) go to stderr either way. A bad command line exits 2.
 */
import { ConfigError, loadConfig, placeholderEmailProblem, type StageConfig } from "../stacks/config";
import { stackName } from "../stacks/pipeline-stack";
import { awsCliReader, checkAccountConcurrency, type ConcurrencyReader } from "./account-concurrency";

/** The usage: printed by `--help` on stdout and with a bad command line on stderr. */
export const USAGE = `usage: npm run preflight -- [--account] [STACK...]

  STACK       pipeline-<stage> (config/stages.json); every stack when none is named
  --account   also ask the AWS account, through the AWS CLI and its credentials, whether it can
              grant each stack's reservedConcurrency (Lambda keeps 100 executions unreserved);
              a stack that reserves none is not looked up
  --help, -h  print this and exit

exit codes: 0 ready, 1 not ready or the account could not be asked, 2 bad arguments`;

/** What preflight found for the named stacks (every stack when none is named). */
export interface PreflightReport {
  /** What stops a deploy. */
  readonly problems: readonly string[];
  /** What a deployer should know, but may intend. */
  readonly notes: readonly string[];
}

/**
 * Checks `stacks` (every stack when none is named) against the resolved configuration and, given
 * `account`, their reserved concurrency against the account it reads.
 */
export function preflight(stacks: readonly string[], configs: readonly StageConfig[], account?: ConcurrencyReader): PreflightReport {
  const known = new Map(configs.map((config) => [stackName(config.stage), config]));
  const named = stacks.length > 0 ? stacks : [...known.keys()];
  const problems: string[] = [];
  const notes: string[] = [];
  for (const stack of named) {
    const config = known.get(stack);
    if (config === undefined) {
      problems.push(`${stack}: no such stack; the stacks are ${[...known.keys()].join(", ")}`);
      continue;
    }
    const problem = placeholderEmailProblem(config);
    if (problem !== undefined) problems.push(`${stack}: ${problem}`);
    // Alarms may go elsewhere (a subscription made outside this stack), so an empty list is allowed, but said.
    if (config.alarmEmails.length === 0) notes.push(`${stack}: alarmEmails is empty, so alarms and FAILED files reach only subscribers added to the status topic outside this stack`);
  }
  if (account !== undefined) {
    const found = checkAccountConcurrency(named.flatMap((stack) => known.get(stack) ?? []), account);
    problems.push(...found.problems);
    notes.push(...found.notes);
  }
  return { problems, notes };
}

/** The command line: `--account`, `--help` and stack names, in any order. */
interface PreflightArgs {
  readonly account: boolean;
  readonly help: boolean;
  readonly stacks: readonly string[];
}

/** Parses the command line; returns a message naming the bad argument when there is one. */
function parseArgs(args: readonly string[]): PreflightArgs | string {
  const unknown = args.find((arg) => arg.startsWith("-") && !["--account", "--help", "-h"].includes(arg));
  if (unknown !== undefined) return `unknown option ${unknown}; preflight takes --account, --help and stack names`;
  return {
    account: args.includes("--account"),
    help: args.includes("--help") || args.includes("-h"),
    stacks: args.filter((arg) => !arg.startsWith("-")),
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    console.error(`error: ${args}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const { stacks } = args;
  let report: PreflightReport;
  try {
    report = preflight(stacks, loadConfig(), args.account ? awsCliReader : undefined);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  for (const note of report.notes) console.error(`Note: ${note}`);
  if (report.problems.length > 0) {
    console.error(`Not ready to deploy:\n  - ${report.problems.join("\n  - ")}`);
    process.exitCode = 1;
    return;
  }
  console.log(`ready: ${stacks.length > 0 ? stacks.join(", ") : "every stack"}`);
}

if (require.main === module) main();
