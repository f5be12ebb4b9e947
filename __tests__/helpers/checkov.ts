/**
 * Checkov's conditions for the resource types of this stack, re-encoded as small pure functions
 * over synthesized Terraform JSON (`cdk.tf.json`), because Checkov itself can't be installed here.
 *
 * Each function's doc comment names the Checkov source it mirrors (repository bridgecrewio/checkov;
 * `resource/` = `checkov/terraform/checks/resource/aws/`, `data/` = `checkov/terraform/checks/data/aws/`,
 * `graph/` = `checkov/terraform/checks/graph_checks/aws/`, `provider/` = `checkov/terraform/checks/provider/aws/`).
 *
 * How Checkov reads this JSON (framework `terraform_json`, `checkov/terraform_json/`): every block
 * is "hclified" (scalars wrapped in one-element lists, strings "true"/"false" turned into booleans)
 * and the Python checks see that raw configuration, without variable rendering. A policy written
 * as `"${data.aws_iam_policy_document.x.json}"` is therefore an opaque string to the resource
 * checks (CKV_AWS_70 returns UNKNOWN, the IAM resource checks pass vacuously), while the *data*
 * checks (CKV_AWS_1, 49, 107-111, 283, 356, and the graph check CKV2_AWS_40) read the document's
 * `statement` blocks directly; Checkov's `iam_terraform_document_to_policy_converter.py` maps
 * `actions/resources/effect/condition` to `Action/Resource/Effect/Condition` (effect defaults to Allow).
 *
 * So that a resource check can never pass just because the policy is a reference, the functions
 * below evaluate resource policies on the document *rendered* the way the provider renders it
 * (`renderPolicyDocument`), i.e. what Checkov would see in a plan. Where Checkov delegates to
 * cloudsplaining + policy_sentry's action database, the encoding is deliberately at least as strict
 * (documented on each function); everything else is the exact condition.
 */

export type CheckResult = "PASSED" | "FAILED" | "UNKNOWN";

/** One resource/data configuration as it appears in `cdk.tf.json`. */
export type Conf = Readonly<Record<string, unknown>>;

/** The parts of `cdk.tf.json` the checks read. */
export interface TfJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Conf>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Conf>>>>;
  readonly provider?: Readonly<Record<string, readonly Conf[]>>;
}

/** A block with its Terraform address, e.g. `aws_s3_bucket.upload` or `data.aws_iam_policy_document.x`. */
export interface Block {
  readonly address: string;
  readonly conf: Conf;
}

// ---------------------------------------------------------------------------------------------
// Reading Terraform JSON
// ---------------------------------------------------------------------------------------------

/** Every resource of a type. */
export function resources(json: TfJson, type: string): Block[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, conf]) => ({ address: `${type}.${name}`, conf }));
}

/** Every data source of a type. */
export function dataSources(json: TfJson, type: string): Block[] {
  return Object.entries(json.data?.[type] ?? {}).map(([name, conf]) => ({ address: `data.${type}.${name}`, conf }));
}

/** A nested block: Terraform JSON allows an object or a list of objects; the first one counts (Checkov's `[0]`). */
export function block(value: unknown): Conf | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "object" && first !== null ? (first as Conf) : undefined;
}

/** All nested blocks of an attribute (object or list of objects). */
export function blocks(value: unknown): Conf[] {
  const all = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return all.filter((v): v is Conf => typeof v === "object" && v !== null);
}

/** Checkov's hclify turns the strings "true"/"false" into booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

function isFalse(value: unknown): boolean {
  return value === false || (typeof value === "string" && value.toLowerCase() === "false");
}

/** Checkov's ANY_VALUE: set, not null, and not an empty string. */
function hasAnyValue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether a configuration references an address in an interpolation (`${aws_s3_bucket.upload.id}`); `depends_on` is not a connection. */
export function refersTo(conf: Conf, address: string): boolean {
  const rest: Record<string, unknown> = { ...conf };
  delete rest.depends_on;
  return new RegExp(`\\$\\{[^}]*\\b${escapeRegExp(address)}\\b`).test(JSON.stringify(rest));
}

/** Resources of `type` connected to `from` in Checkov's graph sense: either one references the other. */
export function connected(json: TfJson, from: Block, type: string): Block[] {
  return resources(json, type).filter((other) => refersTo(other.conf, from.address) || refersTo(from.conf, other.address));
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents
// ---------------------------------------------------------------------------------------------

/** One statement of a rendered IAM policy. */
export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: string | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** A rendered IAM policy. */
export interface IamPolicy {
  readonly Version?: string;
  readonly Statement: IamStatement[];
}

const one = (values: string[]): string | string[] => (values.length === 1 ? values[0] : values);
const strings = (value: unknown): string[] => asList(value).filter((v): v is string => typeof v === "string");

/**
 * Renders a `data.aws_iam_policy_document` configuration into the JSON the AWS provider produces
 * (single values as strings, `type = "*"` principals as `"*"`, conditions grouped by test).
 */
export function renderPolicyDocument(doc: Conf): IamPolicy {
  return {
    Version: typeof doc.version === "string" ? doc.version : "2012-10-17",
    Statement: blocks(doc.statement).map((s) => {
      const statement: Record<string, unknown> = { Effect: typeof s.effect === "string" ? s.effect : "Allow" };
      if (typeof s.sid === "string") statement.Sid = s.sid;
      if (s.actions !== undefined) statement.Action = one(strings(s.actions));
      if (s.not_actions !== undefined) statement.NotAction = one(strings(s.not_actions));
      if (s.resources !== undefined) statement.Resource = one(strings(s.resources));
      if (s.not_resources !== undefined) statement.NotResource = one(strings(s.not_resources));
      const principals = blocks(s.principals);
      if (principals.length > 0) {
        if (principals.some((p) => p.type === "*" && strings(p.identifiers).includes("*"))) statement.Principal = "*";
        else {
          const byType: Record<string, string[]> = {};
          for (const p of principals) byType[String(p.type)] = [...(byType[String(p.type)] ?? []), ...strings(p.identifiers)];
          statement.Principal = Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, one(v)]));
        }
      }
      const conditions = blocks(s.condition);
      if (conditions.length > 0) {
        const grouped: Record<string, Record<string, string | string[]>> = {};
        for (const c of conditions) {
          grouped[String(c.test)] = { ...(grouped[String(c.test)] ?? {}), [String(c.variable)]: one(strings(c.values)) };
        }
        statement.Condition = grouped;
      }
      return statement as unknown as IamStatement;
    }),
  };
}

/**
 * The policy behind an attribute value: a `${data.aws_iam_policy_document.NAME.json}` reference is
 * rendered from that data source, a JSON string is parsed, an object is taken as is. Anything else
 * (an unresolvable reference) is `undefined`, for which Checkov reports UNKNOWN.
 */
export function resolvePolicy(json: TfJson, value: unknown): IamPolicy | undefined {
  if (typeof value === "object" && value !== null) return value as IamPolicy;
  if (typeof value !== "string") return undefined;
  const ref = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(value.trim());
  if (ref) {
    const doc = json.data?.aws_iam_policy_document?.[ref[1]];
    return doc ? renderPolicyDocument(doc) : undefined;
  }
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === "object" && parsed !== null && "Statement" in parsed ? (parsed as IamPolicy) : undefined;
  } catch {
    return undefined;
  }
}

const stmts = (policy: IamPolicy): IamStatement[] => asList(policy.Statement) as IamStatement[];
const actionsOf = (s: IamStatement): string[] => strings(s.Action);
const resourcesOf = (s: IamStatement): string[] => strings(s.Resource);
const hasCondition = (s: IamStatement): boolean => s.Condition !== undefined && Object.keys(s.Condition).length > 0;

/** Principal is `"*"` or `{ AWS: "*" }` / `{ AWS: [..., "*"] }`. */
function isAnyPrincipal(principal: IamStatement["Principal"]): boolean {
  if (principal === "*") return true;
  if (typeof principal === "object" && principal !== null && "AWS" in principal) return strings(principal.AWS).includes("*");
  return false;
}

/** IAM action wildcard match, case-insensitive (`kms:*` matches `kms:Decrypt`). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => escapeRegExp(p).replace(/\\\?/g, ".")).join(".*")}$`, "i");
  return re.test(action);
}

// ---------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------

const SSE_ALGORITHMS = ["aws:kms", "AES256"];
const sseAlgorithms = (rules: unknown): unknown[] =>
  blocks(rules).map((rule) => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm);

/** CKV_AWS_19, graph/S3BucketEncryption.yaml: inline SSE in (aws:kms, AES256); or a connected SSE configuration with it; or neither (S3 defaults to SSE-S3). */
export function ckvAws19(json: TfJson, bucket: Block): CheckResult {
  const inline = sseAlgorithms(block(bucket.conf.server_side_encryption_configuration)?.rule);
  if (inline.length > 0 && inline.every((a) => SSE_ALGORITHMS.includes(String(a)))) return "PASSED";
  const configs = connected(json, bucket, "aws_s3_bucket_server_side_encryption_configuration");
  if (configs.length === 0) return inline.length === 0 ? "PASSED" : "FAILED";
  const algorithms = configs.flatMap((c) => sseAlgorithms(c.conf.rule));
  return algorithms.length > 0 && algorithms.every((a) => SSE_ALGORITHMS.includes(String(a))) ? "PASSED" : "FAILED";
}

/** CKV_AWS_145, graph/S3KMSEncryptedByDefault.yaml: inline or connected SSE configuration with `sse_algorithm = "aws:kms"` (no default branch). */
export function ckvAws145(json: TfJson, bucket: Block): CheckResult {
  const inline = sseAlgorithms(block(bucket.conf.server_side_encryption_configuration)?.rule);
  if (inline.length > 0 && inline.every((a) => a === "aws:kms")) return "PASSED";
  const algorithms = connected(json, bucket, "aws_s3_bucket_server_side_encryption_configuration").flatMap((c) => sseAlgorithms(c.conf.rule));
  return algorithms.length > 0 && algorithms.every((a) => a === "aws:kms") ? "PASSED" : "FAILED";
}

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const grants = (acl: Conf): Conf[] => blocks(block(acl.access_control_policy)?.grant);

/** Shared by CKV_AWS_20/57: the bucket's `acl` and every connected `aws_s3_bucket_acl` pass `aclOk`/`grantOk`; no ACL at all passes. */
function publicAcl(json: TfJson, bucket: Block, badAcls: string[], grantOk: (g: Conf) => boolean): CheckResult {
  if (bucket.conf.acl !== undefined && badAcls.includes(String(bucket.conf.acl))) return "FAILED";
  for (const acl of connected(json, bucket, "aws_s3_bucket_acl")) {
    if (acl.conf.acl !== undefined && badAcls.includes(String(acl.conf.acl))) return "FAILED";
    if (!grants(acl.conf).every(grantOk)) return "FAILED";
  }
  return "PASSED";
}
const granteeUri = (g: Conf): unknown => block(g.grantee)?.uri;

/** CKV_AWS_20, graph/S3PublicACLRead.yaml: no public-read / public-read-write / website / authenticated-read ACL, no grant to AllUsers. */
export function ckvAws20(json: TfJson, bucket: Block): CheckResult {
  return publicAcl(json, bucket, ["public-read", "public-read-write", "website", "authenticated-read"], (g) => granteeUri(g) !== ALL_USERS);
}

/** CKV_AWS_57, graph/S3PublicACLWrite.yaml: no public-read-write ACL, no WRITE / WRITE_ACP / FULL_CONTROL grant to AllUsers. */
export function ckvAws57(json: TfJson, bucket: Block): CheckResult {
  return publicAcl(json, bucket, ["public-read-write"], (g) => granteeUri(g) !== ALL_USERS || !["WRITE", "FULL_CONTROL", "WRITE_ACP"].includes(String(g.permission)));
}

/** CKV_AWS_21, graph/S3BucketVersioning.yaml: `versioning.enabled = true`, or a connected `aws_s3_bucket_versioning` with status `Enabled`. */
export function ckvAws21(json: TfJson, bucket: Block): CheckResult {
  if (isTrue(block(bucket.conf.versioning)?.enabled)) return "PASSED";
  const versionings = connected(json, bucket, "aws_s3_bucket_versioning");
  return versionings.length > 0 && versionings.every((v) => block(v.conf.versioning_configuration)?.status === "Enabled") ? "PASSED" : "FAILED";
}

/** CKV_AWS_53/54/55/56, resource/S3BlockPublicACLs.py, S3BlockPublicPolicy.py, S3IgnorePublicACLs.py, S3RestrictPublicBuckets.py: the attribute is `true` (missing fails). */
export function publicAccessBlockFlag(
  key: "block_public_acls" | "block_public_policy" | "ignore_public_acls" | "restrict_public_buckets",
): (pab: Conf) => CheckResult {
  return (pab) => (isTrue(pab[key]) ? "PASSED" : "FAILED");
}

/** CKV2_AWS_6, graph/S3BucketHasPublicAccessBlock.yaml: a connected public access block with `block_public_acls` and `block_public_policy` true. */
export function ckv2Aws6(json: TfJson, bucket: Block): CheckResult {
  const pabs = connected(json, bucket, "aws_s3_bucket_public_access_block");
  return pabs.length > 0 && pabs.every((p) => isTrue(p.conf.block_public_acls) && isTrue(p.conf.block_public_policy)) ? "PASSED" : "FAILED";
}

/**
 * CKV_AWS_70, resource/S3AllowsAnyPrincipal.py: no Allow statement with principal `*` / `AWS: *`,
 * unless its Condition narrows it (ArnNotEquals/ArnNotLike; ArnEquals/ArnLike on a non-wildcard
 * ARN; String* on a principal/network key). UNKNOWN without a readable policy.
 */
export function ckvAws70(policy: IamPolicy | undefined): CheckResult {
  if (!policy || policy.Statement === undefined) return "UNKNOWN";
  const statements = stmts(policy);
  if (statements.every((s) => s.Effect === undefined)) return "UNKNOWN";
  for (const s of statements) {
    if (s.Effect === undefined || s.Effect === "Deny" || s.Principal === undefined) continue;
    if (isAnyPrincipal(s.Principal)) return s70ConditionNarrows(s) ? "PASSED" : "FAILED";
  }
  return "PASSED";
}
function s70ConditionNarrows(s: IamStatement): boolean {
  const c = s.Condition;
  if (!c) return false;
  if ("ArnNotEquals" in c || "ArnNotLike" in c) return true;
  for (const op of ["ArnEquals", "ArnLike"]) {
    if (op in c) {
      for (const key of ["aws:PrincipalArn", "aws:SourceArn"]) {
        const arn = c[op][key];
        if (typeof arn === "string" && /^arn:aws:[a-z0-9-]+::\*.*$/.test(arn)) return false;
      }
      return true;
    }
  }
  const narrowing = ["aws:sourceVpce", "aws:SourceVpc", "aws:VpceAccount", "aws:PrincipalOrgPaths", "aws:userid", "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:Ec2InstanceSourceVpc", "ec2:SourceInstanceArn", "lambda:SourceFunctionArn", "ssm:SourceInstanceArn"];
  return ["StringEquals", "StringEqualsIgnoreCase", "StringLike"].some((op) => op in c && narrowing.some((k) => k in c[op]));
}

/** CKV_AWS_93, resource/S3ProtectAgainstPolicyLockout.py: no unconditional Deny to `*` of `*`, `s3:*`, `s3:Put*`, `s3:*BucketPolicy` or `s3:PutBucketPolicy`. */
export function ckvAws93(policy: IamPolicy | undefined): CheckResult {
  if (!policy) return "PASSED";
  const fails = ["s3:PutBucketPolicy", "s3:*BucketPolicy", "s3:Put*", "s3:*", "*"];
  for (const s of stmts(policy)) {
    if (s.Condition !== undefined || s.NotAction !== undefined || s.Effect !== "Deny") continue;
    if (isAnyPrincipal(s.Principal) && actionsOf(s).some((a) => fails.includes(a))) return "FAILED";
  }
  return "PASSED";
}

/**
 * CKV_AWS_300, resource/S3AbortIncompleteUploads.py: an Enabled rule with
 * `abort_incomplete_multipart_upload` whose filter is empty (prefix "", no size or tag), i.e. it covers every upload.
 */
export function ckvAws300(lifecycle: Conf): CheckResult {
  for (const rule of blocks(lifecycle.rule)) {
    if (blocks(rule.abort_incomplete_multipart_upload).length === 0 || rule.status !== "Enabled") continue;
    const narrowed = blocks(rule.filter).some((f) => {
      const g = block(f.and) ?? f;
      return [g.prefix, g.object_size_greater_than, g.object_size_less_than].some((v) => hasAnyValue(v) && v !== 0) || blocks(g.tag).length > 0;
    });
    if (!narrowed) return "PASSED";
  }
  return "FAILED";
}

/** CKV2_AWS_61, graph/S3BucketLifecycle.yaml: a connected `aws_s3_bucket_lifecycle_configuration`, or an inline `lifecycle_rule`. */
export function ckv2Aws61(json: TfJson, bucket: Block): CheckResult {
  return bucket.conf.lifecycle_rule !== undefined || connected(json, bucket, "aws_s3_bucket_lifecycle_configuration").length > 0 ? "PASSED" : "FAILED";
}

/** CKV2_AWS_62, graph/S3BucketEventNotifications.yaml: a connected `aws_s3_bucket_notification`. */
export function ckv2Aws62(json: TfJson, bucket: Block): CheckResult {
  return connected(json, bucket, "aws_s3_bucket_notification").length > 0 ? "PASSED" : "FAILED";
}

/** CKV2_AWS_65, graph/AWSdisableS3ACL.yaml: `rule.object_ownership = "BucketOwnerEnforced"`. */
export function ckv2Aws65(ownership: Conf): CheckResult {
  return block(ownership.rule)?.object_ownership === "BucketOwnerEnforced" ? "PASSED" : "FAILED";
}

/** CKV_AWS_18, graph/S3BucketLogging.yaml: inline `logging` or a connected `aws_s3_bucket_logging` (documented skip). */
export function ckvAws18(json: TfJson, bucket: Block): CheckResult {
  return bucket.conf.logging !== undefined || connected(json, bucket, "aws_s3_bucket_logging").length > 0 ? "PASSED" : "FAILED";
}

/** CKV_AWS_144, graph/S3BucketReplicationConfiguration.yaml: an Enabled replication rule (documented skip). */
export function ckvAws144(json: TfJson, bucket: Block): CheckResult {
  const inline = blocks(block(bucket.conf.replication_configuration)?.rules).some((r) => r.status === "Enabled");
  const attached = connected(json, bucket, "aws_s3_bucket_replication_configuration").some((c) => blocks(c.conf.rule).some((r) => r.status === "Enabled"));
  return inline || attached ? "PASSED" : "FAILED";
}

/** CKV_AWS_143, resource/S3BucketObjectLock.py: object lock Enabled; UNKNOWN when the bucket has no lock configuration (documented skip). */
export function ckvAws143(bucket: Conf): CheckResult {
  const lock = block(bucket.object_lock_configuration);
  if (!lock) return "UNKNOWN";
  return lock.object_lock_enabled === "Enabled" ? "PASSED" : "FAILED";
}

// ---------------------------------------------------------------------------------------------
// DynamoDB
// ---------------------------------------------------------------------------------------------

/** CKV_AWS_28, resource/DynamodbRecovery.py: `point_in_time_recovery[0].enabled` is true. */
export function ckvAws28(table: Conf): CheckResult {
  return isTrue(block(table.point_in_time_recovery)?.enabled) ? "PASSED" : "FAILED";
}

/** CKV_AWS_119, resource/DynamoDBTablesEncrypted.py: `server_side_encryption[0]` has `enabled = true` and a `kms_key_arn`. */
export function ckvAws119(table: Conf): CheckResult {
  const sse = block(table.server_side_encryption);
  return sse && isTrue(sse.enabled) && sse.kms_key_arn !== undefined && sse.kms_key_arn !== null ? "PASSED" : "FAILED";
}

/** CKV2_AWS_16, graph/AutoScalingEnableOnDynamoDBTables.yaml: on-demand billing, or provisioned with a connected DynamoDB autoscaling target that has a policy. */
export function ckv2Aws16(json: TfJson, table: Block): CheckResult {
  if (table.conf.billing_mode === "PAY_PER_REQUEST") return "PASSED";
  if (table.conf.billing_mode !== undefined && table.conf.billing_mode !== "PROVISIONED") return "FAILED";
  const targets = connected(json, table, "aws_appautoscaling_target").filter((t) => t.conf.service_namespace === "dynamodb");
  return targets.some((t) => connected(json, t, "aws_appautoscaling_policy").length > 0) ? "PASSED" : "FAILED";
}

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

/** CKV_AWS_60, resource/IAMRoleAllowsPublicAssume.py: no non-Deny trust statement with principal `AWS: *`. */
export function ckvAws60(assumeRolePolicy: IamPolicy | undefined): CheckResult {
  for (const s of assumeRolePolicy ? stmts(assumeRolePolicy) : []) {
    if (s.Effect === "Deny") continue;
    const p = s.Principal;
    if (typeof p === "object" && p !== null && "AWS" in p && strings(p.AWS).includes("*")) return "FAILED";
  }
  return "PASSED";
}

/** CKV_AWS_61, resource/IAMRoleAllowAssumeFromAccount.py: no non-Deny trust statement whose AWS principal starts with an account id or `arn:aws:iam::<account>:root`. */
export function ckvAws61(assumeRolePolicy: IamPolicy | undefined): CheckResult {
  if (!assumeRolePolicy) return "UNKNOWN";
  for (const s of stmts(assumeRolePolicy)) {
    if (s.Effect === "Deny") continue;
    const p = s.Principal;
    if (typeof p === "object" && p !== null && "AWS" in p && strings(p.AWS).some((a) => /^(\d{12}|arn:aws:iam::\d{12}:root)/.test(a))) return "FAILED";
  }
  return "PASSED";
}

/** CKV_AWS_62, resource/IAMAdminPolicyDocument.py: no Allow statement with Action `*` on Resource `*`. */
export function ckvAws62(policy: IamPolicy | undefined): CheckResult {
  for (const s of policy ? stmts(policy) : []) {
    if (s.Action !== undefined && (s.Effect ?? "Allow") === "Allow" && actionsOf(s).includes("*") && resourcesOf(s).includes("*")) return "FAILED";
  }
  return "PASSED";
}

/** CKV_AWS_63, resource/IAMStarActionPolicyDocument.py: no Allow statement with Action `*`. */
export function ckvAws63(policy: IamPolicy | undefined): CheckResult {
  for (const s of policy ? stmts(policy) : []) {
    if (s.Action !== undefined && (s.Effect ?? "Allow") === "Allow" && actionsOf(s).includes("*")) return "FAILED";
  }
  return "PASSED";
}

const ADMIN_POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
/** CKV_AWS_274, resource/IAMManagedAdminPolicy.py: no role `managed_policy_arns` and no policy attachment with AdministratorAccess. */
export function ckvAws274(type: string, conf: Conf): CheckResult {
  if (type === "aws_iam_role") return strings(conf.managed_policy_arns).includes(ADMIN_POLICY_ARN) ? "FAILED" : "PASSED";
  if (type === "aws_ssoadmin_managed_policy_attachment") return conf.managed_policy_arn === ADMIN_POLICY_ARN ? "FAILED" : "PASSED";
  return conf.policy_arn === ADMIN_POLICY_ARN ? "FAILED" : "PASSED";
}

/** CKV2_AWS_56, graph/IAMManagedIAMFullAccessPolicy.yaml: `IAMFullAccess` in no data.aws_iam_policy, policy attachment or role's managed_policy_arns. */
export function ckv2Aws56(json: TfJson): CheckResult {
  const hits = [
    ...dataSources(json, "aws_iam_policy").filter((d) => d.conf.name === "IAMFullAccess" || String(d.conf.arn ?? "").includes("IAMFullAccess")),
    ...["aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_role_policy_attachment", "aws_iam_group_policy_attachment"].flatMap((t) =>
      resources(json, t).filter((r) => String(r.conf.policy_arn ?? "").includes("IAMFullAccess")),
    ),
    ...resources(json, "aws_iam_role").filter((r) => strings(r.conf.managed_policy_arns).some((a) => a.includes("IAMFullAccess"))),
    ...resources(json, "aws_ssoadmin_managed_policy_attachment").filter((r) => String(r.conf.managed_policy_arn ?? "").includes("IAMFullAccess")),
  ];
  return hits.length === 0 ? "PASSED" : "FAILED";
}

/** CKV2_AWS_40, graph/IAMPolicyNotAllowFullIAMAccess.yaml: no Allow statement's actions equal `iam:*` or `*` (a missing effect counts as Allow here, which is stricter). */
export function ckv2Aws40(policy: IamPolicy | undefined): CheckResult {
  for (const s of policy ? stmts(policy) : []) {
    if ((s.Effect ?? "Allow") === "Allow" && actionsOf(s).some((a) => a === "iam:*" || a === "*")) return "FAILED";
  }
  return "PASSED";
}

/**
 * Actions that AWS does not scope to a resource (Service Authorization Reference: no resource
 * types), so `Resource: "*"` is the only possible value. Every other action, and every wildcard
 * pattern, is treated as resource-restrictable (stricter than policy_sentry's database).
 */
export const WILDCARD_ONLY_ACTIONS: readonly string[] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];
const isWildcardOnly = (action: string): boolean => WILDCARD_ONLY_ACTIONS.some((a) => a.toLowerCase() === action.toLowerCase());

/**
 * cloudsplaining's `all_allowed_unrestricted_actions` (scan/policy_document.py): actions of Allow
 * statements with `Resource: "*"` and no Condition that could have been scoped to a resource.
 */
export function unrestrictedActions(policy: IamPolicy | undefined): string[] {
  return (policy ? stmts(policy) : [])
    .filter((s) => s.Effect === "Allow" && resourcesOf(s).includes("*") && !hasCondition(s))
    .flatMap((s) => actionsOf(s).filter((a) => !isWildcardOnly(a)));
}

/** Actions granted without constraint: unrestricted ones plus wildcard-only actions in any unconditioned Allow statement. */
function grantedWithoutConstraint(policy: IamPolicy | undefined): string[] {
  const unrestrictable = (policy ? stmts(policy) : [])
    .filter((s) => s.Effect === "Allow" && !hasCondition(s))
    .flatMap((s) => actionsOf(s).filter(isWildcardOnly));
  return [...unrestrictedActions(policy), ...unrestrictable];
}

/** CKV_AWS_355 (resource/IAMStarResourcePolicyDocument.py) and CKV_AWS_356 (data/ResourcePolicyDocument.py): no restrictable action on `*` without a condition. */
export function ckvAws355(policy: IamPolicy | undefined): CheckResult {
  return unrestrictedActions(policy).length === 0 ? "PASSED" : "FAILED";
}

/**
 * CKV_AWS_289/109 (IAMPermissionsManagement.py) and CKV_AWS_290/111 (IAMWriteAccess.py):
 * cloudsplaining flags Permissions-management / Write actions among the unrestricted ones; without
 * policy_sentry's access levels this flags *any* unrestricted action, a superset.
 */
export function ckvAws289(policy: IamPolicy | undefined): CheckResult {
  return ckvAws355(policy);
}
/** See ckvAws289 (same superset). */
export function ckvAws290(policy: IamPolicy | undefined): CheckResult {
  return ckvAws355(policy);
}

/** cloudsplaining shared/constants.py READ_ONLY_DATA_EXFILTRATION_ACTIONS. */
export const DATA_EXFILTRATION_ACTIONS = ["s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue"];

/** CKV_AWS_288 (resource/IAMDataExfiltration.py) / CKV_AWS_108 (data): none of the data-exfiltration actions granted without a resource constraint. */
export function ckvAws288(policy: IamPolicy | undefined): CheckResult {
  const granted = grantedWithoutConstraint(policy);
  return DATA_EXFILTRATION_ACTIONS.some((a) => granted.some((g) => actionMatches(g, a))) ? "FAILED" : "PASSED";
}

/** cloudsplaining shared/constants.py ACTIONS_THAT_RETURN_CREDENTIALS. */
export const CREDENTIALS_ACTIONS = [
  "airflow:createclitoken", "airflow:createweblogintoken", "appsync:createapikey", "chime:createapikey", "cloud9:createenvironmenttoken",
  "codeartifact:getauthorizationtoken", "codepipeline:pollforjobs", "cognito-identity:getopenidtoken",
  "cognito-identity:getopenidtokenfordeveloperidentity", "cognito-identity:getcredentialsforidentity", "cognito-idp:getsigningcertificate",
  "connect:getfederationtoken", "connect:getfederationtokens", "ec2:getpassworddata", "ecr:getauthorizationtoken",
  "ecr-public:getauthorizationtoken", "emr-containers:getmanagedendpointsessioncredentials", "finspace-api:getprogrammaticaccesscredentials",
  "gamelift:requestuploadcredentials", "gamelift:getinstanceaccess", "gamelist:getcomputeaccess", "gamelist:getcomputeauthtoken",
  "grafana:createworkspaceapikey", "iam:createaccesskey", "iam:createloginprofile", "iam:createservicespecificcredential",
  "iam:resetservicespecificcredential", "iam:updateaccesskey", "license-manager:getaccesstoken", "lightsail:getinstanceaccessdetails",
  "lightsail:downloaddefaultkeypair", "lightsail:createbucketaccesskey", "lightsail:getrelationaldatabasemasteruserpassword",
  "mediapackage:rotatechannelcredentials", "mediapackage:rotateingestendpointcredentials", "rds-db:connect", "redshift:getclustercredentials",
  "redshift:getclustercredentialswithiam", "redshift-serverless:getcredentials", "sso:getrolecredentials", "sts:assumerole",
  "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:getfederationtoken", "sts:getsessiontoken",
];

/** CKV_AWS_287 (resource/IAMCredentialsExposure.py, which excludes ecr:GetAuthorizationToken) / CKV_AWS_107 (data): no credential-returning action without a resource constraint. */
export function ckvAws287(policy: IamPolicy | undefined, excluded: readonly string[] = ["ecr:getauthorizationtoken"]): CheckResult {
  const granted = grantedWithoutConstraint(policy);
  return CREDENTIALS_ACTIONS.filter((a) => !excluded.includes(a)).some((a) => granted.some((g) => actionMatches(g, a))) ? "FAILED" : "PASSED";
}

/**
 * cloudsplaining PRIVILEGE_ESCALATION_METHODS, reduced to the distinct action sets (a method is
 * flagged when every one of its actions is granted without constraint).
 */
export const PRIVILEGE_ESCALATION_METHODS: readonly (readonly string[])[] = [
  ["iam:createaccesskey"], ["iam:createloginprofile"], ["iam:updateloginprofile"], ["iam:addusertogroup"], ["iam:createpolicyversion"],
  ["iam:setdefaultpolicyversion"], ["iam:attachuserpolicy"], ["iam:attachgrouppolicy"], ["iam:attachrolepolicy"], ["iam:putuserpolicy"],
  ["iam:putgrouppolicy"], ["iam:putrolepolicy"], ["iam:updateassumerolepolicy"], ["iam:passrole", "ec2:runinstances"],
  ["iam:passrole", "lambda:createfunction", "lambda:invokefunction"], ["iam:passrole", "lambda:createfunction", "lambda:createeventsourcemapping"],
  ["iam:passrole", "glue:createdevendpoint"], ["iam:passrole", "cloudformation:createstack"], ["iam:passrole", "datapipeline:createpipeline"],
  ["glue:updatedevendpoint"], ["lambda:updatefunctioncode"],
  ["bedrock-agentcore:startcodeinterpretersession", "bedrock-agentcore:invokecodeinterpreter"],
  ["cloudformation:createchangeset", "cloudformation:executechangeset"], ["ec2:modifyinstanceattribute", "ec2:stopinstances", "ec2:startinstances"],
  ["ec2:createlaunchtemplateversion", "ec2:modifylaunchtemplate"], ["ec2-instance-connect:sendsshpublickey", "ec2:describeinstances"],
  ["ecs:executecommand", "ecs:describetasks"], ["sagemaker:createpresignednotebookinstanceurl"],
  ["sagemaker:createnotebookinstancelifecycleconfig", "sagemaker:stopnotebookinstance", "sagemaker:updatenotebookinstance", "sagemaker:startnotebookinstance"],
  ["iam:passrole", "apprunner:createservice"], ["iam:passrole", "cloudformation:createstackset", "cloudformation:createstackinstances"],
  ["iam:passrole", "cloudformation:updatestackset"], ["iam:passrole", "codebuild:createproject", "codebuild:startbuild"],
  ["iam:passrole", "codebuild:createproject", "codebuild:startbuildbatch"], ["iam:passrole", "ec2:requestspotinstances"],
  ["iam:passrole", "ecs:registertaskdefinition", "ecs:createservice"], ["iam:passrole", "ecs:registertaskdefinition", "ecs:runtask"],
  ["iam:passrole", "ecs:registertaskdefinition", "ecs:starttask"], ["iam:passrole", "glue:createjob", "glue:startjobrun"],
  ["iam:passrole", "glue:createjob", "glue:createtrigger"], ["iam:passrole", "glue:updatejob", "glue:startjobrun"],
  ["iam:passrole", "glue:updatejob", "glue:createtrigger"], ["iam:passrole", "lambda:createfunction", "lambda:addpermission"],
  ["iam:passrole", "sagemaker:createnotebookinstance"], ["iam:passrole", "sagemaker:createtrainingjob"], ["iam:passrole", "sagemaker:createprocessingjob"],
  ["iam:deleteaccesskey", "iam:createaccesskey"], ["iam:createpolicyversion", "sts:assumerole"],
];

/** CKV_AWS_286 (resource/IAMPrivilegeEscalation.py) / CKV_AWS_110 (data): no privilege-escalation combination granted without constraint. */
export function ckvAws286(policy: IamPolicy | undefined): CheckResult {
  const granted = grantedWithoutConstraint(policy);
  return PRIVILEGE_ESCALATION_METHODS.some((method) => method.every((a) => granted.some((g) => actionMatches(g, a)))) ? "FAILED" : "PASSED";
}

/** CKV_AWS_1, data/AdminPolicyDocument.py: no Allow statement (effect default Allow) with `*` in actions and `*` in resources. */
export function ckvAws1(doc: Conf): CheckResult {
  return blocks(doc.statement).some((s) => (s.effect ?? "Allow") === "Allow" && strings(s.actions).includes("*") && strings(s.resources).includes("*")) ? "FAILED" : "PASSED";
}

/** CKV_AWS_49, data/StarActionPolicyDocument.py: no Allow statement with `*` in actions. */
export function ckvAws49(doc: Conf): CheckResult {
  return blocks(doc.statement).some((s) => (s.effect ?? "Allow") === "Allow" && strings(s.actions).includes("*")) ? "FAILED" : "PASSED";
}

/** CKV_AWS_283, data/IAMPublicActionsPolicy.py: no unconditioned non-Deny statement with an `AWS` principal `*`. */
export function ckvAws283(doc: Conf): CheckResult {
  for (const s of blocks(doc.statement)) {
    if (blocks(s.condition).length > 0 || s.effect === "Deny") continue;
    if (blocks(s.principals).some((p) => p.type === "AWS" && strings(p.identifiers).includes("*"))) return "FAILED";
  }
  return "PASSED";
}

/** CKV_AWS_358, data/GithubActionsOIDCTrustPolicy.py: applies only to `Federated` GitHub OIDC principals; here any such principal fails (stricter). */
export function ckvAws358(doc: Conf): CheckResult {
  return blocks(doc.statement).some((s) =>
    blocks(s.principals).some((p) => p.type === "Federated" && strings(p.identifiers).some((i) => i.includes("oidc-provider/token.actions.githubusercontent.com"))),
  ) ? "FAILED" : "PASSED";
}

// ---------------------------------------------------------------------------------------------
// Lambda
// ---------------------------------------------------------------------------------------------

/** checkov/common/util/secrets.py, categories AWS and GENERAL. */
const SECRET_PATTERNS = [
  /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/s,
  /(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}/s,
  /("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/+=]{40}("|')?/s,
  /("|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?("|')?\s*(:|=>|=)\s*("|')?[0-9]{4}-?[0-9]{4}-?[0-9]{4}("|')?/s,
  /^-----BEGIN (RSA|EC|DSA|GPP) PRIVATE KEY-----$/s,
];
/** `string_has_secrets(value, AWS, GENERAL)`; MD5/SHA1-looking hashes are not secrets. */
export function hasSecret(value: string): boolean {
  if (/^[a-f0-9]{32}$/i.test(value) || /^[a-f0-9]{40}$/i.test(value)) return false;
  return SECRET_PATTERNS.some((p) => p.test(value));
}

/** CKV_AWS_45, resource/LambdaEnvironmentCredentials.py: no environment variable value looks like an AWS secret or private key. */
export function ckvAws45(fn: Conf): CheckResult {
  const variables = block(block(fn.environment)?.variables);
  if (!variables) return "PASSED";
  return Object.values(variables).some((v) => strings(v).some(hasSecret)) ? "FAILED" : "PASSED";
}

/** CKV_AWS_50, resource/LambdaXrayEnabled.py: `tracing_config[0].mode` is `PassThrough` or `Active`. */
export function ckvAws50(fn: Conf): CheckResult {
  return ["PassThrough", "Active"].includes(String(block(fn.tracing_config)?.mode)) ? "PASSED" : "FAILED";
}

/** CKV_AWS_116, resource/LambdaDLQConfigured.py: `dead_letter_config[0].target_arn` set (documented skip). */
export function ckvAws116(fn: Conf): CheckResult {
  return hasAnyValue(block(fn.dead_letter_config)?.target_arn) ? "PASSED" : "FAILED";
}

/** CKV_AWS_173, resource/LambdaEnvironmentEncryptionSettings.py: with environment variables, a non-empty `kms_key_arn`; without, no key (else UNKNOWN). */
export function ckvAws173(fn: Conf): CheckResult {
  if (fn.environment !== undefined && blocks(fn.environment).length > 0) {
    return "kms_key_arn" in fn && fn.kms_key_arn !== "" ? "PASSED" : "FAILED";
  }
  return hasAnyValue(fn.kms_key_arn) ? "FAILED" : "UNKNOWN";
}

/** Runtimes resource/DeprecatedLambdaRuntime.py forbids. */
export const DEPRECATED_RUNTIMES = [
  "dotnetcore3.1", "nodejs12.x", "python3.6", "python2.7", "dotnet5.0", "dotnetcore2.1", "ruby2.5", "nodejs10.x", "nodejs8.10", "nodejs4.3",
  "nodejs6.10", "dotnetcore1.0", "dotnetcore2.0", "nodejs4.3-edge", "nodejs", "java8", "python3.7", "go1.x", "provided", "ruby2.7",
  "nodejs14.x", "nodejs16.x", "python3.9", "dotnet7", "dotnet6",
];
/** CKV_AWS_363, resource/DeprecatedLambdaRuntime.py: `runtime` is not deprecated (missing passes). */
export function ckvAws363(fn: Conf): CheckResult {
  return DEPRECATED_RUNTIMES.includes(String(fn.runtime)) ? "FAILED" : "PASSED";
}

/** CKV_AWS_115, resource/LambdaFunctionLevelConcurrentExecutionLimit.py: `reserved_concurrent_executions` set (missing fails) and not -1. */
export function ckvAws115(fn: Conf): CheckResult {
  const value = fn.reserved_concurrent_executions;
  if (value === undefined || value === null) return "FAILED";
  return value === -1 || value === "-1" || value === "${-1}" ? "FAILED" : "PASSED";
}

/** CKV_AWS_117, resource/LambdaInVPC.py: `vpc_config` set (documented skip). */
export function ckvAws117(fn: Conf): CheckResult {
  return hasAnyValue(fn.vpc_config) ? "PASSED" : "FAILED";
}

/** CKV_AWS_272, resource/LambdaCodeSigningConfigured.py: `code_signing_config_arn` set (documented skip). */
export function ckvAws272(fn: Conf): CheckResult {
  return hasAnyValue(fn.code_signing_config_arn) ? "PASSED" : "FAILED";
}

/** CKV_AWS_301, resource/LambdaFunctionIsNotPublic.py: the permission's `principal` is not `*`. */
export function ckvAws301(permission: Conf): CheckResult {
  return permission.principal === "*" ? "FAILED" : "PASSED";
}

/** CKV_AWS_364, resource/LambdaServicePermission.py: a `<service>.amazonaws.com` principal comes with `source_arn` or `source_account`. */
export function ckvAws364(permission: Conf): CheckResult {
  if (typeof permission.principal !== "string") return "UNKNOWN";
  const parts = permission.principal.split(".");
  if (parts.length < 3) return "UNKNOWN";
  if (parts[1] !== "amazonaws" || parts[2] !== "com") return "UNKNOWN";
  return "source_arn" in permission || "source_account" in permission ? "PASSED" : "FAILED";
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs, SQS, SNS, alarms
// ---------------------------------------------------------------------------------------------

/** CKV_AWS_66, resource/CloudWatchLogGroupRetention.py: `retention_in_days` set. */
export function ckvAws66(logGroup: Conf): CheckResult {
  return hasAnyValue(logGroup.retention_in_days) ? "PASSED" : "FAILED";
}

/** CKV_AWS_158, resource/CloudWatchLogGroupKMSKey.py: `kms_key_id` set. */
export function ckvAws158(logGroup: Conf): CheckResult {
  return hasAnyValue(logGroup.kms_key_id) ? "PASSED" : "FAILED";
}

/** CKV_AWS_338, resource/CloudWatchLogGroupRetentionYear.py: `retention_in_days` is 0 (never expire) or at least 365; a non-number is UNKNOWN. */
export function ckvAws338(logGroup: Conf): CheckResult {
  const days = logGroup.retention_in_days;
  if (days === undefined || days === null) return "FAILED";
  if (typeof days !== "number" || !Number.isInteger(days)) return "UNKNOWN";
  return days === 0 || days >= 365 ? "PASSED" : "FAILED";
}

/** CKV_AWS_27, resource/SQSQueueEncryption.py: `sqs_managed_sse_enabled` true or a non-empty `kms_master_key_id`. */
export function ckvAws27(queue: Conf): CheckResult {
  if (isTrue(queue.sqs_managed_sse_enabled)) return "PASSED";
  return hasAnyValue(queue.kms_master_key_id) ? "PASSED" : "FAILED";
}

/** CKV2_AWS_73, graph/SQSEncryptionCMK.yaml: `kms_master_key_id` absent or not the AWS-managed `alias/aws/sqs`. */
export function ckv2Aws73(queue: Conf): CheckResult {
  return queue.kms_master_key_id === undefined || queue.kms_master_key_id !== "alias/aws/sqs" ? "PASSED" : "FAILED";
}

/** CKV_AWS_26, resource/SNSTopicEncryption.py: `kms_master_key_id` set. */
export function ckvAws26(topic: Conf): CheckResult {
  return hasAnyValue(topic.kms_master_key_id) ? "PASSED" : "FAILED";
}

/**
 * cloudsplaining ResourcePolicyDocument.internet_accessible_actions (scan/resource_policy_document.py),
 * used by CKV_AWS_168 (resource/SQSQueuePolicyAnyPrincipal.py) and CKV_AWS_169 (SNSTopicPolicyAnyPrincipal.py):
 * an Allow statement is internet-accessible when a limiting condition key has a wildcard value, or
 * when it has no limiting condition and a principal is `*` (or an ARN with account `*`).
 */
export function internetAccessible(policy: IamPolicy | undefined): boolean {
  const limiting: Record<string, string> = {
    "aws:sourcearn": "arn", "aws:principalarn": "arn", "aws:sourceowner": "account", "aws:sourceaccount": "account", "aws:principalaccount": "account",
    "aws:principalorgid": "organization", "aws:principalorgpaths": "organization", "kms:calleraccount": "account", "aws:userid": "userid",
    "aws:sourceip": "cidr", "aws:sourcevpc": "vpc", "aws:sourcevpce": "vpce", "saml:aud": "saml-endpoint",
  };
  const operator = /^((ForAllValues|ForAnyValue):)?(ARN(Equals|Like)|String(Equals|Like)(IgnoreCase)?|IpAddress)(IfExists)?/i;
  const arnOpen = (arn: string): boolean => {
    if (arn === "*") return true;
    if (!arn.startsWith("arn:")) return false; // an account id or a service principal
    const [, , service, , account] = arn.split(":");
    if (service === "s3") return false; // S3 ARNs carry no account
    return (!service && !account) || account === "*";
  };
  for (const s of policy ? stmts(policy) : []) {
    if (s.Effect === "Deny") continue;
    const entries: [string, string][] = [];
    for (const [op, context] of Object.entries(s.Condition ?? {})) {
      if (!operator.test(op)) continue;
      for (const [key, value] of Object.entries(context)) {
        const category = limiting[key.toLowerCase()];
        if (category) for (const v of strings(value)) entries.push([category, v]);
      }
    }
    const open = entries.some(([category, v]) =>
      category === "arn" ? arnOpen(v) : category === "cidr" ? v.endsWith("/0") : category === "organization" ? v.includes("o-*") : category === "userid" ? v.indexOf("*") !== v.length - 1 : v.includes("*"),
    );
    if (open) return true;
    if (entries.length > 0) continue;
    const p = s.Principal;
    const principals = p === undefined ? [] : typeof p === "string" ? [p] : Object.values(p).flatMap((v) => strings(v));
    if (principals.some(arnOpen)) return true;
  }
  return false;
}

/** CKV_AWS_168 (SQS) / CKV_AWS_169 (SNS): the policy is not internet-accessible; UNKNOWN without a readable policy. */
export function notPublicResourcePolicy(policy: IamPolicy | undefined): CheckResult {
  if (!policy) return "UNKNOWN";
  return internetAccessible(policy) ? "FAILED" : "PASSED";
}

/** CKV_AWS_72, resource/SQSPolicy.py: the first statement's Action is not `*`. */
export function ckvAws72(policy: IamPolicy | undefined): CheckResult {
  const first = policy ? stmts(policy)[0] : undefined;
  return first && first.Action === "*" ? "FAILED" : "PASSED";
}

/** CKV_AWS_387, resource/SQSOverlyPermissive.py: no unconditioned Allow of an SQS action (or `*`) to principal `*` / `AWS: *`. */
export function ckvAws387(policy: IamPolicy | undefined): CheckResult {
  for (const s of policy ? stmts(policy) : []) {
    if (s.Effect !== "Allow") continue;
    if (!actionsOf(s).some((a) => a === "*" || a.startsWith("sqs:") || a.startsWith("SQS:"))) continue;
    if (isAnyPrincipal(s.Principal) && s.Condition === undefined) return "FAILED";
  }
  return "PASSED";
}

/** CKV_AWS_385, resource/SNSCrossAccountAccess.py: no unconditioned Allow to a specific `arn:aws:iam::` AWS principal. */
export function ckvAws385(policy: IamPolicy | undefined): CheckResult {
  for (const s of policy ? stmts(policy) : []) {
    if (s.Effect !== "Allow") continue;
    const p = s.Principal;
    const aws = typeof p === "object" && p !== null && "AWS" in p ? strings(p.AWS) : [];
    if (aws.some((a) => a.startsWith("arn:aws:iam::") && a !== "*") && !hasCondition(s)) return "FAILED";
  }
  return "PASSED";
}

/** CKV_AWS_319, resource/CloudWatchAlarmsEnabled.py: `actions_enabled` is not false (missing passes). */
export function ckvAws319(alarm: Conf): CheckResult {
  return isFalse(alarm.actions_enabled) ? "FAILED" : "PASSED";
}

// ---------------------------------------------------------------------------------------------
// KMS, provider
// ---------------------------------------------------------------------------------------------

/** CKV_AWS_7, resource/KMSRotation.py: symmetric (or HMAC) keys have `enable_key_rotation = true`; other specs are UNKNOWN. */
export function ckvAws7(key: Conf): CheckResult {
  const spec = key.customer_master_key_spec;
  if (spec !== undefined && !String(spec).includes("SYMMETRIC_DEFAULT") && !String(spec).includes("HMAC")) return "UNKNOWN";
  return isTrue(key.enable_key_rotation) ? "PASSED" : "FAILED";
}

/** CKV_AWS_33, resource/KMSKeyWildcardPrincipal.py: no non-Deny, unconditioned key-policy statement with principal `*` / `AWS: *`. */
export function ckvAws33(policy: IamPolicy | undefined): CheckResult {
  for (const s of policy ? stmts(policy) : []) {
    if (s.Principal === undefined || s.Effect === "Deny" || s.Condition !== undefined) continue;
    if (isAnyPrincipal(s.Principal)) return "FAILED";
  }
  return "PASSED";
}

/** CKV_AWS_227, resource/KMSKeyIsEnabled.py: `is_enabled` true, or missing (the default). */
export function ckvAws227(key: Conf): CheckResult {
  return key.is_enabled === undefined || isTrue(key.is_enabled) ? "PASSED" : "FAILED";
}

/** CKV2_AWS_64, graph/KmsKeyPolicyIsDefined.yaml: the key has a `policy`, or a connected `aws_kms_key_policy`. */
export function ckv2Aws64(json: TfJson, key: Block): CheckResult {
  return key.conf.policy !== undefined || connected(json, key, "aws_kms_key_policy").length > 0 ? "PASSED" : "FAILED";
}

/** CKV_AWS_41, provider/credentials.py: no hard-coded `access_key` / `secret_key` in the aws provider (here: none at all, stricter). */
export function ckvAws41(provider: Conf): CheckResult {
  return provider.access_key === undefined && provider.secret_key === undefined ? "PASSED" : "FAILED";
}
