/**
 * `npm run preflight -- pipeline-prod`: refuses, before a deploy, what synth allows but a deployed
 * stack must not have. Today that is alarm addresses at a domain reserved for examples (the
 * shipped `oncall@example.com`), which would send alarms and FAILED files to nobody. Reads the
 * same configuration as synth (`config/stages.json` and `PIPELINE_<STAGE>_<SETTING>`); with no
 * stack named it checks every stack. Exits 1 listing each problem, else prints "ready" and exits 0.
 */
import { ConfigError, loadConfig, placeholderEmailProblem, type StageConfig } from "../stacks/config";
import { stackName } from "../stacks/pipeline-stack";

/** The problems that should stop a deploy of `stacks` (every stack when none is named). */
export function preflightProblems(stacks: readonly string[], configs: readonly StageConfig[]): string[] {
  const known = new Map(configs.map((config) => [stackName(config.stage), config]));
  const named = stacks.length > 0 ? stacks : [...known.keys()];
  return named.flatMap((stack) => {
    const config = known.get(stack);
    if (config === undefined) return [`${stack}: no such stack; the stacks are ${[...known.keys()].join(", ")}`];
    const problem = placeholderEmailProblem(config);
    return problem === undefined ? [] : [`${stack}: ${problem}`];
  });
}

function main(): void {
  const stacks = process.argv.slice(2);
  let problems: string[];
  try {
    problems = preflightProblems(stacks, loadConfig());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = [error.message];
  }
  if (problems.length > 0) {
    console.error(`Not ready to deploy:\n  - ${problems.join("\n  - ")}`);
    process.exitCode = 1;
    return;
  }
  console.log(`ready: ${stacks.length > 0 ? stacks.join(", ") : "every stack"}`);
}

if (require.main === module) main();
