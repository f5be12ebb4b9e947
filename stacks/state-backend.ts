import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import { AWS_REGION, BUCKET_NAME, BUCKET_NAME_RULES, ConfigError } from "./config";

/** Where a stack keeps its Terraform state. */
export interface StateBackendProps {
  /**
   * S3 bucket holding the state of every stack (bootstrap it once, see README "Deploy").
   * @default - the local backend: `terraform.<stack>.tfstate` in the project root
   */
  readonly bucket?: string;
  /**
   * Region of the state bucket.
   * @default - the stack's region
   */
  readonly region?: string;
  /**
   * Key prefix; each stack's state is `<prefix>/<stack>.tfstate`.
   * @default "order-pipeline"
   */
  readonly keyPrefix?: string;
}

/**
 * Reads `TF_STATE_BUCKET`, `TF_STATE_REGION` and `TF_STATE_KEY_PREFIX` (blank counts as unset).
 * Throws a ConfigError for a bucket name S3 refuses, a region that is not one, or a region or
 * prefix without a bucket: a misspelled bucket variable would otherwise deploy with local state,
 * and a deploy without the real state creates every resource a second time.
 */
export function stateBackendFromEnv(env: NodeJS.ProcessEnv = process.env): StateBackendProps {
  const value = (name: string): string | undefined => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const props = { bucket: value("TF_STATE_BUCKET"), region: value("TF_STATE_REGION"), keyPrefix: value("TF_STATE_KEY_PREFIX") };
  const problems: string[] = [];
  if (props.bucket === undefined) {
    for (const name of ["TF_STATE_REGION", "TF_STATE_KEY_PREFIX"]) {
      if (value(name) !== undefined) problems.push(`${name} is set but TF_STATE_BUCKET is not, so the state would stay local; set TF_STATE_BUCKET to the state bucket's name, or unset ${name}`);
    }
  } else if (!BUCKET_NAME.test(props.bucket)) {
    problems.push(
      `TF_STATE_BUCKET: ${JSON.stringify(props.bucket)} is not a bucket name S3 allows; use the state bucket's name: ${BUCKET_NAME_RULES}`,
    );
  }
  if (props.region !== undefined && !AWS_REGION.test(props.region)) {
    problems.push(`TF_STATE_REGION: ${JSON.stringify(props.region)} is not an AWS region; use the state bucket's region, such as eu-west-1`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return props;
}

/**
 * Configures the stack's backend. Without a bucket: local state at the project root, written as a
 * path relative to the stack's directory (`cdktf.out/stacks/<stack>`) so the synthesized JSON is
 * the same on every clone. With a bucket: S3, encrypted, with S3-native locking (Terraform 1.10+),
 * which replaces the deprecated DynamoDB lock table.
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, region: string, props: StateBackendProps): void {
  if (props.bucket === undefined) {
    new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
    return;
  }
  const prefix = (props.keyPrefix ?? "order-pipeline").replace(/^\/+|\/+$/g, "");
  new S3Backend(stack, {
    bucket: props.bucket,
    key: `${prefix}/${stackName}.tfstate`,
    region: props.region ?? region,
    encrypt: true,
  });
  // cdktf 0.21's S3Backend predates `use_lockfile`; the override writes it into the backend block.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
