import type { TerraformStack } from "cdktf";
import { FUNCTION_ENV_NAMES } from "../../lambda-src/env";
import { checkIamActions } from "./iam-actions";
import { checkIamResources } from "./iam-resources";
import { checkLambdaEnvironment } from "./lambda-environment";
import { checkLambdaHandler } from "./lambda-handler";
import { checkNoCycles } from "./no-cycles";
import { checkNotificationPermission } from "./notification-permission";
import type { TerraformJson } from "./terraform-json";
import { checkTriggerPrefix } from "./trigger-prefix";

/** What the guardrails need to know beyond the stack itself. */
export interface GuardrailsProps {
  /** Directory of the function bundle being deployed; the handler must resolve inside it. */
  readonly bundleDir: string;
  /**
   * Environment variables the function's code reads.
   * @default - FUNCTION_ENV_NAMES of lambda-src/env.ts
   */
  readonly envNames?: readonly string[];
}

/** One synth-time check: a name for the error line, and a pure function from Terraform JSON to problems. */
export interface Guardrail {
  /** Short name, printed before each problem. */
  readonly name: string;
  /** Returns one message per problem; empty when the stack passes. */
  readonly check: (json: TerraformJson) => string[];
}

/** The seven guardrails, in the order of the README's table ("What synth checks for you"). */
export function guardrails(props: GuardrailsProps): Guardrail[] {
  return [
    { name: "no-dependency-cycle", check: checkNoCycles },
    { name: "iam-resource-arn", check: checkIamResources },
    { name: "lambda-handler", check: (json) => checkLambdaHandler(json, props.bundleDir) },
    { name: "lambda-environment", check: (json) => checkLambdaEnvironment(json, props.envNames ?? FUNCTION_ENV_NAMES) },
    { name: "notification-permission", check: checkNotificationPermission },
    { name: "trigger-prefix-loop", check: checkTriggerPrefix },
    { name: "iam-wildcard-action", check: checkIamActions },
  ];
}

/** Runs every guardrail over a stack's Terraform JSON; each problem is prefixed with its guardrail's name. */
export function runGuardrails(json: TerraformJson, props: GuardrailsProps): string[] {
  return guardrails(props).flatMap((g) => g.check(json).map((problem) => `guardrail ${g.name}: ${problem}`));
}

/**
 * Registers the guardrails as a validation of the stack, so `app.synth()`, `cdktf synth` and
 * `Testing.synth(stack, true)` fail with every problem at once. A validation rather than an Aspect:
 * validations run after all Aspects, so they judge the final Terraform JSON, all of it in one pass.
 */
export function addGuardrails(stack: TerraformStack, props: GuardrailsProps): void {
  stack.node.addValidation({ validate: () => runGuardrails(stack.toTerraform() as TerraformJson, props) });
}
