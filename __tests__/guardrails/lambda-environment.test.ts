import { checkLambdaEnvironment } from "../../stacks/guardrails";
import { fullEnvironment, terraformJson, triggerStack } from "../helpers/guardrail-stacks";

describe("guardrail 4: the environment is exactly what the code reads", () => {
  it("passes when every name of FUNCTION_ENV_NAMES is set and nothing else", () => {
    expect(checkLambdaEnvironment(terraformJson(triggerStack().stack))).toEqual([]);
  });

  it("fails when TABLE_NAME is missing and a name the code never reads is set", () => {
    // Prepare: the seed hard-coded the table name in the code and set an unused variable
    const { TABLE_NAME: _, ...rest } = fullEnvironment();
    const t = triggerStack({ environment: { ...rest, DYNAMO_TABLE: "files" } });

    // Act
    const problems = checkLambdaEnvironment(terraformJson(t.stack));

    // Assess
    expect(problems).toEqual([
      "aws_lambda_function.processor: environment is missing TABLE_NAME, which the code reads at cold start and fails without " +
        "(FUNCTION_ENV_NAMES in lambda-src/env.ts); set each in environment.variables from the resource it names " +
        "(TABLE_NAME = the table's name attribute), never as a value hard-coded in lambda-src/",
      "aws_lambda_function.processor: environment sets DYNAMO_TABLE, which the code never reads (not in FUNCTION_ENV_NAMES of " +
        "lambda-src/env.ts); remove it, or add it to ENV there and read it in lambda-src/",
    ]);
  });
});
