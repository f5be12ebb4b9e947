import * as path from "node:path";
import { checkLambdaHandler } from "../../stacks/guardrails";
import { bundleLambda } from "../../stacks/lambda-bundle";
import { bundleWith, terraformJson, triggerStack } from "../helpers/guardrail-stacks";

describe("guardrail 3: the handler resolves in the bundle", () => {
  it("passes index.handler against the real esbuild bundle, read statically", () => {
    const json = terraformJson(triggerStack({ handler: "index.handler" }).stack);
    expect(checkLambdaHandler(json, bundleLambda().dir)).toEqual([]);
  });

  it("fails on the seed's lambda_function.lambda_handler, which names a file the bundle lacks", () => {
    // Prepare
    const dir = bundleWith("index.js", "0&&(module.exports={handler});");
    const json = terraformJson(triggerStack({ handler: "lambda_function.lambda_handler" }).stack);

    // Act
    const problems = checkLambdaHandler(json, dir);

    // Assess
    expect(problems).toEqual([
      `aws_lambda_function.processor handler "lambda_function.lambda_handler": the bundle ${dir} has no lambda_function.js, ` +
        'lambda_function.mjs or lambda_function.cjs (it has: index.js); set handler to "index.handler"',
    ]);
  });

  it("fails when the module exists but does not export the name", () => {
    const dir = bundleWith("index.js", "exports.main = async () => {};");
    const json = terraformJson(triggerStack({ handler: "index.handler" }).stack);
    expect(checkLambdaHandler(json, dir)).toEqual([
      `aws_lambda_function.processor handler "index.handler": ${path.join(dir, "index.js")} does not export "handler" (it exports: main); ` +
        'set handler to "index.main" or export "handler" from the entry module',
    ]);
  });

  it("finds exports of ES modules (.mjs) without running them", () => {
    const dir = bundleWith("index.mjs", 'throw new Error("never run");\nasync function h(){}\nexport { h as handler };');
    const json = terraformJson(triggerStack({ handler: "index.handler" }).stack);
    expect(checkLambdaHandler(json, dir)).toEqual([]);
  });
});
