import { FUNCTION_ENV_NAMES } from "../../lambda-src/env";
import { asList, resourcesOfType, type TerraformJson } from "./terraform-json";

/**
 * Guardrail 4: each function's `environment.variables` has exactly the names its code reads
 * (`FUNCTION_ENV_NAMES` of `lambda-src/env.ts`, which the code and the stack both import). A
 * missing one fails at cold start; an extra one is a setting nobody reads (the seed project set a
 * table name the code never looked at, because the code had the name hard-coded).
 */
export function checkLambdaEnvironment(json: TerraformJson, required: readonly string[] = FUNCTION_ENV_NAMES): string[] {
  const problems: string[] = [];
  for (const fn of resourcesOfType(json, "aws_lambda_function")) {
    const environment = asList(fn.body.environment)[0] as { variables?: unknown } | undefined;
    const variables = environment?.variables;
    const set = variables && typeof variables === "object" ? Object.keys(variables).sort() : [];
    const missing = required.filter((n) => !set.includes(n));
    const unread = set.filter((n) => !required.includes(n));
    if (missing.length > 0) {
      problems.push(
        `${fn.address}: environment is missing ${missing.join(", ")}, which the code reads at cold start and fails ` +
          `without (FUNCTION_ENV_NAMES in lambda-src/env.ts); set each in environment.variables from the resource it ` +
          `names (TABLE_NAME = the table's name attribute), never as a value hard-coded in lambda-src/`,
      );
    }
    if (unread.length > 0) {
      problems.push(
        `${fn.address}: environment sets ${unread.join(", ")}, which the code never reads (not in FUNCTION_ENV_NAMES of ` +
          `lambda-src/env.ts); remove it, or add it to ENV there and read it in lambda-src/`,
      );
    }
  }
  return problems;
}

