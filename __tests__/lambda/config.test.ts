import { loadConfig } from "../../lambda-src/config";
import { FUNCTION_ENV_NAMES } from "../../lambda-src/env";
import { MissingEnvironmentVariableError } from "../../lambda-src/errors";
import { functionEnv } from "../helpers/lambda-env";

describe("loadConfig", () => {
  it("reads every variable the stack sets", () => {
    // Act
    const config = loadConfig(functionEnv("arn:aws:sns:us-east-1:1:t"));

    // Assess
    expect(config).toEqual({ tableName: "order-files", bucketName: "orders-bucket", incomingPrefix: "incoming/", outputPrefix: "processed/", statusTopicArn: "arn:aws:sns:us-east-1:1:t", maxFileBytes: 200 * 1024 * 1024 });
    expect(Object.keys(functionEnv("x")).sort()).toEqual([...FUNCTION_ENV_NAMES].sort());
  });

  it("fails naming every missing variable", () => {
    // Prepare
    const env = { ...functionEnv("x"), TABLE_NAME: undefined, STATUS_TOPIC_ARN: " " };

    // Act
    const act = () => loadConfig(env);

    // Assess
    expect(act).toThrow(MissingEnvironmentVariableError);
    expect(act).toThrow(/Environment variables TABLE_NAME, STATUS_TOPIC_ARN are not set/);
  });

  it("fails when MAX_FILE_BYTES is not a positive whole number", () => {
    expect(() => loadConfig({ ...functionEnv("x"), MAX_FILE_BYTES: "10MB" })).toThrow('Environment variable MAX_FILE_BYTES is "10MB"; set it to a positive whole number of bytes.');
  });
});
