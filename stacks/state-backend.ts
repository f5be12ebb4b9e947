import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";

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

/** Reads `TF_STATE_BUCKET`, `TF_STATE_REGION` and `TF_STATE_KEY_PREFIX`. */
export function stateBackendFromEnv(env: NodeJS.ProcessEnv = process.env): StateBackendProps {
  const value = (name: string): string | undefined => (env[name]?.trim() ? env[name]?.trim() : undefined);
  return { bucket: value("TF_STATE_BUCKET"), region: value("TF_STATE_REGION"), keyPrefix: value("TF_STATE_KEY_PREFIX") };
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
