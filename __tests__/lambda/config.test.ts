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

  it.each(["10MB", "0", "-1", "1.5"])("fails when MAX_FILE_BYTES is %j, not a positive whole number", (value) => {
    expect(() => loadConfig({ ...functionEnv("x"), MAX_FILE_BYTES: value })).toThrow(`Environment variable MAX_FILE_BYTES is "${value}"; set it to a positive whole number of bytes.`);
  });

  it("accepts MAX_FILE_BYTES of 1", () => {
    expect(loadConfig({ ...functionEnv("x"), MAX_FILE_BYTES: "1" }).maxFileBytes).toBe(1);
  });
});
