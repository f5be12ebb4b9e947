/**
 * `npm run preflight -- pipeline-prod`: refuses, before a deploy, what synth allows but a deployed
 * stack must not have. Today that is alarm addresses at a domain reserved for examples, tests or
 * private networks (the shipped `oncall@example.com`), which would send alarms and FAILED files to
 * nobody. Reads the
 * same configuration as synth (`config/stages.json` and `PIPELINE_<STAGE>_<SETTING>`); with no
 * stack named it checks every stack. Exits 1 listing each problem, else prints "ready" and exits 0;
 * notes (a stage without alarm addresses) go to stderr either way.
 */
import { ConfigError, loadConfig, placeholderEmailProblem, type StageConfig } from "../stacks/config";
import { stackName } from "../stacks/pipeline-stack";

/** What preflight found for the named stacks (every stack when none is named). */
export interface PreflightReport {
  /** What stops a deploy. */
  readonly problems: readonly string[];
  /** What a deployer should know, but may intend. */
  readonly notes: readonly string[];
}

/** Checks `stacks` (every stack when none is named) against the resolved configuration. */
export function preflight(stacks: readonly string[], configs: readonly StageConfig[]): PreflightReport {
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
  return { problems, notes };
}

function main(): void {
  const stacks = process.argv.slice(2);
  let report: PreflightReport;
  try {
    report = preflight(stacks, loadConfig());
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
