import { App, TerraformStack, Testing } from "cdktf";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, loadConfig } from "../stacks/config";
import { bundleLambda } from "../stacks/lambda-bundle";
import { PipelineStack } from "../stacks/pipeline-stack";
import { configureStateBackend, stateBackendFromEnv, type StateBackendProps } from "../stacks/state-backend";

/** The `terraform.backend` block a bare stack gets from configureStateBackend. */
function backendOf(props: StateBackendProps, stackName = "pipeline-dev", region = "eu-west-1"): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), stackName);
  configureStateBackend(stack, stackName, region, props);
  return (JSON.parse(Testing.synth(stack)) as { terraform: { backend: Record<string, unknown> } }).terraform.backend;
}

/**
 * The `terraform.backend` of every stack after a full synth of the app's stacks into `outdir`, wired
 * as main.ts wires them. The bundle goes to its own directory so parallel test files never share one.
 */
function fullSynthBackends(outdir: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const app = new App({ outdir: path.join(outdir, "cdktf.out") });
  const bundle = bundleLambda({ outDir: path.join(outdir, "bundle") });
  for (const config of loadConfig(undefined, {})) new PipelineStack(app, { config, bundle, stateBackend: stateBackendFromEnv(env) });
  app.synth();
  return readBackends(path.join(outdir, "cdktf.out"), ["pipeline-dev", "pipeline-prod"]);
}

function readBackends(outdir: string, stacks: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    stacks.map((stack) => {
      const file = path.join(outdir, "stacks", stack, "cdk.tf.json");
      return [stack, (JSON.parse(readFileSync(file, "utf8")) as { terraform: { backend: unknown } }).terraform.backend];
    }),
  );
}

describe("stateBackendFromEnv", () => {
  it("configures nothing when TF_STATE_* is unset or blank", () => {
    expect(stateBackendFromEnv({})).toEqual({ bucket: undefined, region: undefined, keyPrefix: undefined });
    expect(stateBackendFromEnv({ TF_STATE_BUCKET: "  ", TF_STATE_REGION: "" })).toEqual({ bucket: undefined, region: undefined, keyPrefix: undefined });
  });

  it("reads the bucket, region and key prefix, trimmed", () => {
    expect(stateBackendFromEnv({ TF_STATE_BUCKET: " acme-tf-state ", TF_STATE_REGION: "us-east-1", TF_STATE_KEY_PREFIX: "team/orders" })).toEqual({
      bucket: "acme-tf-state",
      region: "us-east-1",
      keyPrefix: "team/orders",
    });
  });
});

describe("stateBackendFromEnv refusals", () => {
  it("refuses a region or key prefix without a bucket: a misspelled bucket variable must not deploy with local state", () => {
    expect(() => stateBackendFromEnv({ TF_STATE_BUKET: "acme-tf-state", TF_STATE_REGION: "eu-west-1", TF_STATE_KEY_PREFIX: "team" })).toThrow(
      new ConfigError([
        "TF_STATE_REGION is set but TF_STATE_BUCKET is not, so the state would stay local; set TF_STATE_BUCKET to the state bucket's name, or unset TF_STATE_REGION",
        "TF_STATE_KEY_PREFIX is set but TF_STATE_BUCKET is not, so the state would stay local; set TF_STATE_BUCKET to the state bucket's name, or unset TF_STATE_KEY_PREFIX",
      ]),
    );
  });

  it.each(["Bad_Bucket!", "ab", "acme..state", "-acme", "192.168.0.1", "x".repeat(64), "xn--acme", "sthree-acme", "acme-s3alias", "acme--ol-s3", "acme.mrap", "acme--usw2-az1--x-s3", "acme--table-s3"])(
    "refuses the bucket name %p, saying what S3 allows",
    (bucket) => {
      expect(() => stateBackendFromEnv({ TF_STATE_BUCKET: bucket })).toThrow(/TF_STATE_BUCKET: .* is not a bucket name S3 allows; use the state bucket's name: 3-63 lower-case letters, digits, '\.' or '-'/);
    },
  );

  it("refuses a region that is not one, and accepts bucket names S3 accepts", () => {
    expect(() => stateBackendFromEnv({ TF_STATE_BUCKET: "acme-tf-state", TF_STATE_REGION: "xx" })).toThrow(/TF_STATE_REGION: "xx" is not an AWS region/);
    for (const region of ["eu-west-1", "us-gov-west-1", "eusc-de-east-1"]) expect(stateBackendFromEnv({ TF_STATE_BUCKET: "abc", TF_STATE_REGION: region }).region).toBe(region);
    for (const bucket of ["abc", "acme.tf-state.123456789012", "x".repeat(63), "acme-s3alias-state", "xn-acme"]) expect(stateBackendFromEnv({ TF_STATE_BUCKET: bucket }).bucket).toBe(bucket);
  });
});

describe("configureStateBackend", () => {
  it("uses the local backend at the project root, as a path relative to the stack directory, without a bucket", () => {
    expect(backendOf({})).toEqual({ local: { path: "../../../terraform.pipeline-dev.tfstate" } });
  });

  it("uses S3 with encryption and S3-native locking when a bucket is given", () => {
    expect(backendOf({ bucket: "acme-tf-state" })).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: "order-pipeline/pipeline-dev.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("never configures the deprecated DynamoDB lock table", () => {
    const s3 = backendOf({ bucket: "acme-tf-state" }).s3 as Record<string, unknown>;
    expect(s3).not.toHaveProperty("dynamodb_table");
    expect(s3).not.toHaveProperty("dynamodbTable");
  });

  it("keys the state by stack name under the default prefix", () => {
    expect(backendOf({ bucket: "b" }, "pipeline-prod").s3).toMatchObject({ key: "order-pipeline/pipeline-prod.tfstate" });
  });

  it.each([
    ["team/orders", "team/orders/pipeline-dev.tfstate"],
    ["/team/orders/", "team/orders/pipeline-dev.tfstate"],
    ["states", "states/pipeline-dev.tfstate"],
  ])("keys the state as <prefix>/<stack>.tfstate with prefix %p", (keyPrefix, key) => {
    expect(backendOf({ bucket: "b", keyPrefix }).s3).toMatchObject({ key });
  });

  it("defaults the state region to the stack's region, and takes an override", () => {
    expect(backendOf({ bucket: "b" }, "pipeline-dev", "ap-southeast-2").s3).toMatchObject({ region: "ap-southeast-2" });
    expect(backendOf({ bucket: "b", region: "us-east-1" }, "pipeline-dev", "ap-southeast-2").s3).toMatchObject({ region: "us-east-1" });
  });
});

describe("the app's stacks, fully synthesized", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(path.join(tmpdir(), "backend-synth-"));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it("write the local backend for every stack without TF_STATE_BUCKET", () => {
    expect(fullSynthBackends(outdir, {})).toEqual({
      "pipeline-dev": { local: { path: "../../../terraform.pipeline-dev.tfstate" } },
      "pipeline-prod": { local: { path: "../../../terraform.pipeline-prod.tfstate" } },
    });
  });

  it("write one S3 state per stack with TF_STATE_BUCKET, TF_STATE_REGION and TF_STATE_KEY_PREFIX", () => {
    const env = { TF_STATE_BUCKET: "acme-tf-state", TF_STATE_REGION: "us-east-1", TF_STATE_KEY_PREFIX: "orders" };
    expect(fullSynthBackends(outdir, env)).toEqual({
      "pipeline-dev": { s3: { bucket: "acme-tf-state", key: "orders/pipeline-dev.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true } },
      "pipeline-prod": { s3: { bucket: "acme-tf-state", key: "orders/pipeline-prod.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true } },
    });
  });

  it("default the key prefix to order-pipeline and the state region to each stack's region", () => {
    expect(fullSynthBackends(outdir, { TF_STATE_BUCKET: "acme-tf-state" })).toEqual({
      "pipeline-dev": { s3: { bucket: "acme-tf-state", key: "order-pipeline/pipeline-dev.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true } },
      "pipeline-prod": { s3: { bucket: "acme-tf-state", key: "order-pipeline/pipeline-prod.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true } },
    });
  });
});
