/**
 * The "Security bar" of the stack: Checkov (framework `terraform_json`) can't be installed here, so
 * each check's condition is re-encoded in `helpers/checkov.ts` (each function cites the Checkov file
 * it mirrors) and evaluated on the synthesized JSON of every stage. Skipped checks are tests too:
 * each one must be listed with a reason in the README's security section.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as C from "./helpers/checkov";
import { parseSynth, synthStack } from "./helpers/stack";

const README = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

/** The README between `<!-- section:security -->` and `<!-- /section:security -->`. */
function securitySection(): string {
  const start = README.indexOf("<!-- section:security -->");
  const end = README.indexOf("<!-- /section:security -->");
  return start >= 0 && end > start ? README.slice(start, end) : "";
}

/** The reason in the README's skip table row for a check (`| CKV_AWS_18 | ... | reason |`). */
function skipReason(id: string): string | undefined {
  const row = securitySection()
    .split("\n")
    .find((line) => new RegExp(`^\\|\\s*\`?${id}\`?\\s*\\|`).test(line));
  const cells = row?.split("|").map((c) => c.trim()).filter((c) => c !== "");
  return cells && cells.length >= 2 ? cells[cells.length - 1] : undefined;
}

function expectSkipDocumented(id: string): void {
  expect(skipReason(id)).toEqual(expect.stringMatching(/\S.{30,}/));
}

/** Evaluates a check on every block; there must be at least one, and every result must be `expected`. */
function expectAll(blocks: C.Block[], check: (b: C.Block) => C.CheckResult, expected: C.CheckResult = "PASSED"): void {
  expect(blocks.length).toBeGreaterThan(0);
  const results = Object.fromEntries(blocks.map((b) => [b.address, check(b)]));
  expect(results).toEqual(Object.fromEntries(blocks.map((b) => [b.address, expected])));
}

const IAM_IDENTITY_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_policy"];

describe.each(["dev", "prod"])("pipeline-%s meets the Checkov security bar", (stage) => {
  const json = parseSynth(synthStack(stage)) as unknown as C.TfJson;
  const r = (type: string): C.Block[] => C.resources(json, type);
  const policyOf = (b: C.Block, key = "policy"): C.IamPolicy | undefined => C.resolvePolicy(json, b.conf[key]);
  /** A check over the policy of each block; the policy must resolve, so a reference can't pass vacuously. */
  const onPolicy = (check: (p: C.IamPolicy | undefined) => C.CheckResult, key = "policy") => (b: C.Block): C.CheckResult => {
    const policy = policyOf(b, key);
    return policy === undefined ? "UNKNOWN" : check(policy);
  };
  const buckets = r("aws_s3_bucket");
  const iamPolicies = IAM_IDENTITY_POLICY_TYPES.flatMap(r);
  const docs = C.dataSources(json, "aws_iam_policy_document");
  const keyPolicyDocs = r("aws_kms_key").map((k) => /^\$\{(data\.aws_iam_policy_document\.[\w-]+)\.json\}$/.exec(String(k.conf.policy))?.[1]);
  const otherDocs = docs.filter((d) => !keyPolicyDocs.includes(d.address));
  const rendered = (check: (p: C.IamPolicy | undefined) => C.CheckResult) => (d: C.Block): C.CheckResult => check(C.renderPolicyDocument(d.conf));

  describe("S3", () => {
    it("CKV_AWS_19: the bucket's data is encrypted at rest", () => expectAll(buckets, (b) => C.ckvAws19(json, b)));
    it("CKV_AWS_20: no ACL allows public READ", () => expectAll(buckets, (b) => C.ckvAws20(json, b)));
    it("CKV_AWS_21: versioning is enabled", () => expectAll(buckets, (b) => C.ckvAws21(json, b)));
    it("CKV_AWS_53: the public access block blocks public ACLs", () =>
      expectAll(r("aws_s3_bucket_public_access_block"), (b) => C.publicAccessBlockFlag("block_public_acls")(b.conf)));
    it("CKV_AWS_54: the public access block blocks public policies", () =>
      expectAll(r("aws_s3_bucket_public_access_block"), (b) => C.publicAccessBlockFlag("block_public_policy")(b.conf)));
    it("CKV_AWS_55: the public access block ignores public ACLs", () =>
      expectAll(r("aws_s3_bucket_public_access_block"), (b) => C.publicAccessBlockFlag("ignore_public_acls")(b.conf)));
    it("CKV_AWS_56: the public access block restricts public buckets", () =>
      expectAll(r("aws_s3_bucket_public_access_block"), (b) => C.publicAccessBlockFlag("restrict_public_buckets")(b.conf)));
    it("CKV_AWS_57: no ACL allows public WRITE", () => expectAll(buckets, (b) => C.ckvAws57(json, b)));
    it("CKV_AWS_70: the bucket policy allows nothing to any principal", () => expectAll(r("aws_s3_bucket_policy"), onPolicy(C.ckvAws70)));
    it("CKV_AWS_93: the bucket policy can't lock out everyone but root", () => expectAll(r("aws_s3_bucket_policy"), onPolicy(C.ckvAws93)));
    it("CKV_AWS_145: the bucket is encrypted with KMS by default", () => expectAll(buckets, (b) => C.ckvAws145(json, b)));
    it("CKV_AWS_300: the lifecycle aborts incomplete multipart uploads of every key", () =>
      expectAll(r("aws_s3_bucket_lifecycle_configuration"), (b) => C.ckvAws300(b.conf)));
    it("CKV2_AWS_6: the bucket has a public access block", () => expectAll(buckets, (b) => C.ckv2Aws6(json, b)));
    it("CKV2_AWS_61: the bucket has a lifecycle configuration", () => expectAll(buckets, (b) => C.ckv2Aws61(json, b)));
    it("CKV2_AWS_62: the bucket has event notifications", () => expectAll(buckets, (b) => C.ckv2Aws62(json, b)));
    it("CKV2_AWS_65: ACLs are disabled (BucketOwnerEnforced)", () => {
      expectAll(r("aws_s3_bucket_ownership_controls"), (b) => C.ckv2Aws65(b.conf));
      // Not vacuous: every bucket has its ownership controls.
      for (const b of buckets) expect(C.connected(json, b, "aws_s3_bucket_ownership_controls")).toHaveLength(1);
    });
  });

  describe("DynamoDB", () => {
    it("CKV_AWS_28: point-in-time recovery is enabled", () => expectAll(r("aws_dynamodb_table"), (b) => C.ckvAws28(b.conf)));
    it("CKV_AWS_119: the table is encrypted with the customer-managed key", () => {
      expectAll(r("aws_dynamodb_table"), (b) => C.ckvAws119(b.conf));
      for (const t of r("aws_dynamodb_table")) expect(C.block(t.conf.server_side_encryption)?.kms_key_arn).toBe("${aws_kms_key.pipeline.arn}");
    });
    it("CKV2_AWS_16: capacity scales (on-demand billing)", () => expectAll(r("aws_dynamodb_table"), (b) => C.ckv2Aws16(json, b)));
  });

  describe("IAM", () => {
    it("every IAM policy and trust policy resolves to a readable document", () => {
      expect(iamPolicies.length).toBeGreaterThan(0);
      for (const b of iamPolicies) expect(policyOf(b)).toBeDefined();
      for (const b of r("aws_iam_role")) expect(policyOf(b, "assume_role_policy")).toBeDefined();
    });
    it("CKV_AWS_60: the role can't be assumed by any AWS principal", () => expectAll(r("aws_iam_role"), onPolicy(C.ckvAws60, "assume_role_policy")));
    it("CKV_AWS_61: the role can't be assumed by a whole account", () => expectAll(r("aws_iam_role"), onPolicy(C.ckvAws61, "assume_role_policy")));
    it("CKV_AWS_62: no policy grants '*' on '*'", () => expectAll(iamPolicies, onPolicy(C.ckvAws62)));
    it("CKV_AWS_63: no policy grants action '*'", () => expectAll(iamPolicies, onPolicy(C.ckvAws63)));
    it("CKV_AWS_274: nothing attaches AdministratorAccess", () =>
      expectAll(
        ["aws_iam_role", "aws_iam_policy_attachment", "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"].flatMap(r),
        (b) => C.ckvAws274(b.address.split(".")[0], b.conf),
      ));
    it("CKV_AWS_286: no policy allows privilege escalation", () => expectAll(iamPolicies, onPolicy(C.ckvAws286)));
    it("CKV_AWS_287: no policy allows credentials exposure", () => expectAll(iamPolicies, onPolicy((p) => C.ckvAws287(p))));
    it("CKV_AWS_288: no policy allows data exfiltration", () => expectAll(iamPolicies, onPolicy(C.ckvAws288)));
    it("CKV_AWS_289: no policy allows permissions management without constraints", () => expectAll(iamPolicies, onPolicy(C.ckvAws289)));
    it("CKV_AWS_290: no policy allows write access without constraints", () => expectAll(iamPolicies, onPolicy(C.ckvAws290)));
    it("CKV_AWS_355: no policy allows a restrictable action on '*' (only the two X-Ray actions use '*')", () => {
      expectAll(iamPolicies, onPolicy(C.ckvAws355));
      const starActions = iamPolicies.flatMap((b) => policyOf(b)?.Statement ?? []).filter((s) => [s.Resource].flat().includes("*")).flatMap((s) => [s.Action].flat());
      expect(starActions.sort()).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
    });
    it("CKV2_AWS_40: no policy or policy document allows full IAM access", () => {
      expectAll(iamPolicies, onPolicy(C.ckv2Aws40));
      expectAll(docs, rendered(C.ckv2Aws40));
    });
    it("CKV2_AWS_56: the managed IAMFullAccess policy is not used", () => expect(C.ckv2Aws56(json)).toBe("PASSED"));
  });

  describe("IAM policy documents (data checks that apply to data.aws_iam_policy_document)", () => {
    it("CKV_AWS_1: no document grants '*' on '*'", () => expectAll(docs, (d) => C.ckvAws1(d.conf)));
    it("CKV_AWS_49: no document grants action '*'", () => expectAll(docs, (d) => C.ckvAws49(d.conf)));
    it("CKV_AWS_107: no document allows credentials exposure", () => expectAll(docs, rendered((p) => C.ckvAws287(p, []))));
    it("CKV_AWS_108: no document allows data exfiltration", () => expectAll(docs, rendered(C.ckvAws288)));
    it("CKV_AWS_110: no document allows privilege escalation", () => expectAll(docs, rendered(C.ckvAws286)));
    it("CKV_AWS_283: no document allows any AWS principal without a condition", () => expectAll(docs, (d) => C.ckvAws283(d.conf)));
    it("CKV_AWS_358: no document trusts GitHub's OIDC provider", () => expectAll(docs, (d) => C.ckvAws358(d.conf)));
    it("CKV_AWS_109, CKV_AWS_111, CKV_AWS_356: no document other than the key policy grants restrictable actions on '*' without a condition", () => {
      expect(keyPolicyDocs).toEqual(["data.aws_iam_policy_document.pipeline_key_policy"]);
      expectAll(otherDocs, rendered(C.ckvAws289));
      expectAll(otherDocs, rendered(C.ckvAws290));
      expectAll(otherDocs, rendered(C.ckvAws355));
    });
    it("CKV_AWS_109, CKV_AWS_111, CKV_AWS_356 (skipped for the key policy): only its account-root statement is flagged, and the README says why", () => {
      const keyPolicy = docs.find((d) => d.address === keyPolicyDocs[0]);
      expect(keyPolicy).toBeDefined();
      const flagged = C.renderPolicyDocument(keyPolicy?.conf ?? {}).Statement.filter((s) => C.unrestrictedActions({ Statement: [s] }).length > 0);
      expect(flagged.map((s) => [s.Sid, s.Action, s.Principal])).toEqual([
        ["AccountAdministersKey", "kms:*", { AWS: "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }],
      ]);
      for (const id of ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"]) expectSkipDocumented(id);
    });
  });

  describe("Lambda", () => {
    const fns = r("aws_lambda_function");
    it("CKV_AWS_45: no secrets in the function's environment", () => expectAll(fns, (b) => C.ckvAws45(b.conf)));
    it("CKV_AWS_50: X-Ray tracing is enabled", () => expectAll(fns, (b) => C.ckvAws50(b.conf)));
    it("CKV_AWS_115 (skipped for dev): the function has a function-level concurrency limit", () => {
      expectAll(fns, (b) => C.ckvAws115(b.conf), stage === "prod" ? "PASSED" : "FAILED");
      expectSkipDocumented("CKV_AWS_115");
    });
    it("CKV_AWS_173: the environment is encrypted with a KMS key", () => {
      expectAll(fns, (b) => C.ckvAws173(b.conf));
      for (const f of fns) expect(f.conf.kms_key_arn).toBe("${aws_kms_key.pipeline.arn}");
    });
    it("CKV_AWS_363: the runtime is not deprecated", () => expectAll(fns, (b) => C.ckvAws363(b.conf)));
    it("CKV_AWS_301: the function is not public", () => expectAll(r("aws_lambda_permission"), (b) => C.ckvAws301(b.conf)));
    it("CKV_AWS_364: service permissions are limited by source ARN or account", () => expectAll(r("aws_lambda_permission"), (b) => C.ckvAws364(b.conf)));
  });

  describe("CloudWatch Logs", () => {
    it("CKV_AWS_66: the log group has a retention", () => expectAll(r("aws_cloudwatch_log_group"), (b) => C.ckvAws66(b.conf)));
    it("CKV_AWS_158: the log group is encrypted with KMS", () => expectAll(r("aws_cloudwatch_log_group"), (b) => C.ckvAws158(b.conf)));
  });

  describe("SQS", () => {
    it("CKV_AWS_27: the queue is encrypted", () => expectAll(r("aws_sqs_queue"), (b) => C.ckvAws27(b.conf)));
    it("CKV2_AWS_73: the queue uses a customer-managed key, not alias/aws/sqs", () => {
      expectAll(r("aws_sqs_queue"), (b) => C.ckv2Aws73(b.conf));
      for (const q of r("aws_sqs_queue")) expect(q.conf.kms_master_key_id).toBe("${aws_kms_key.pipeline.arn}");
    });
    it("CKV_AWS_72: the queue policy doesn't allow all actions", () => expectAll(r("aws_sqs_queue_policy"), onPolicy(C.ckvAws72)));
    it("CKV_AWS_168: the queue policy is not public", () => expectAll(r("aws_sqs_queue_policy"), onPolicy(C.notPublicResourcePolicy)));
    it("CKV_AWS_387: the queue policy grants no SQS action to a wildcard principal", () => expectAll(r("aws_sqs_queue_policy"), onPolicy(C.ckvAws387)));
  });

  describe("SNS", () => {
    it("CKV_AWS_26: the topic is encrypted", () => {
      expectAll(r("aws_sns_topic"), (b) => C.ckvAws26(b.conf));
      for (const t of r("aws_sns_topic")) expect(t.conf.kms_master_key_id).toBe("${aws_kms_key.pipeline.arn}");
    });
    it("CKV_AWS_169: the topic policy is not public", () => expectAll(r("aws_sns_topic_policy"), onPolicy(C.notPublicResourcePolicy)));
    it("CKV_AWS_385: the topic policy allows no unconditioned cross-account access", () => expectAll(r("aws_sns_topic_policy"), onPolicy(C.ckvAws385)));
  });

  describe("CloudWatch alarms", () => {
    it("CKV_AWS_319: every alarm has its actions enabled", () => {
      expectAll(r("aws_cloudwatch_metric_alarm"), (b) => C.ckvAws319(b.conf));
      for (const a of r("aws_cloudwatch_metric_alarm")) expect(a.conf.actions_enabled).toBe(true);
    });
  });

  describe("KMS", () => {
    const keys = r("aws_kms_key");
    it("CKV_AWS_7: key rotation is enabled", () => expectAll(keys, (b) => C.ckvAws7(b.conf)));
    it("CKV_AWS_33: the key policy has no wildcard principal", () => expectAll(keys, onPolicy(C.ckvAws33)));
    it("CKV_AWS_227: the key is enabled", () => expectAll(keys, (b) => C.ckvAws227(b.conf)));
    it("CKV2_AWS_64: the key has an explicit key policy", () => expectAll(keys, (b) => C.ckv2Aws64(json, b)));
  });

  describe("provider", () => {
    it("CKV_AWS_41: no hard-coded AWS credentials in the provider", () =>
      expectAll((json.provider?.aws ?? []).map((conf, i) => ({ address: `provider.aws[${i}]`, conf })), (b) => C.ckvAws41(b.conf)));
  });

  describe("documented skips (each must be in the README's skip table with a reason)", () => {
    it("CKV_AWS_18 (skipped): S3 access logging", () => {
      expectAll(buckets, (b) => C.ckvAws18(json, b), "FAILED");
      expectSkipDocumented("CKV_AWS_18");
    });
    it("CKV_AWS_144 (skipped): cross-region replication", () => {
      expectAll(buckets, (b) => C.ckvAws144(json, b), "FAILED");
      expectSkipDocumented("CKV_AWS_144");
    });
    it("CKV_AWS_143 (skipped): S3 object lock (Checkov reports no result without a lock configuration)", () => {
      expectAll(buckets, (b) => C.ckvAws143(b.conf), "UNKNOWN");
      expectSkipDocumented("CKV_AWS_143");
    });
    it("CKV_AWS_116 (skipped): no dead_letter_config, the on-failure destination carries the event and the error instead", () => {
      expectAll(r("aws_lambda_function"), (b) => C.ckvAws116(b.conf), "FAILED");
      const invokeConfigs = r("aws_lambda_function_event_invoke_config");
      expect(invokeConfigs.map((c) => C.block(C.block(c.conf.destination_config)?.on_failure)?.destination)).toEqual([
        "${aws_sqs_queue.failed_events.arn}",
      ]);
      expectSkipDocumented("CKV_AWS_116");
      expect(skipReason("CKV_AWS_116")).toMatch(/on-failure/i);
    });
    it("CKV_AWS_117 (skipped): the function is not in a VPC", () => {
      expectAll(r("aws_lambda_function"), (b) => C.ckvAws117(b.conf), "FAILED");
      expectSkipDocumented("CKV_AWS_117");
    });
    it("CKV_AWS_272 (skipped): code signing", () => {
      expectAll(r("aws_lambda_function"), (b) => C.ckvAws272(b.conf), "FAILED");
      expectSkipDocumented("CKV_AWS_272");
    });
    it("CKV_AWS_338 (skipped for dev): one-year log retention", () => {
      const expected = stage === "prod" ? "PASSED" : "FAILED";
      expectAll(r("aws_cloudwatch_log_group"), (b) => C.ckvAws338(b.conf), expected);
      expectSkipDocumented("CKV_AWS_338");
    });
  });
});

describe("README security section", () => {
  it("lists every check encoded above as passing, and every skip", () => {
    const section = securitySection();
    expect(section).toMatch(/## Secure defaults/);
    expect(section).toMatch(/### Checkov/);
    const passing = [
      "CKV_AWS_19", "CKV_AWS_20", "CKV_AWS_21", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV_AWS_57", "CKV_AWS_70", "CKV_AWS_93",
      "CKV_AWS_145", "CKV_AWS_300", "CKV2_AWS_6", "CKV2_AWS_61", "CKV2_AWS_62", "CKV2_AWS_65", "CKV_AWS_28", "CKV_AWS_119", "CKV2_AWS_16",
      "CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_274", "CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289",
      "CKV_AWS_290", "CKV_AWS_355", "CKV2_AWS_40", "CKV2_AWS_56", "CKV_AWS_1", "CKV_AWS_49", "CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_110",
      "CKV_AWS_283", "CKV_AWS_358", "CKV_AWS_45", "CKV_AWS_50", "CKV_AWS_115", "CKV_AWS_173", "CKV_AWS_363", "CKV_AWS_301", "CKV_AWS_364",
      "CKV_AWS_66", "CKV_AWS_158", "CKV_AWS_27", "CKV2_AWS_73", "CKV_AWS_72", "CKV_AWS_168", "CKV_AWS_387", "CKV_AWS_26", "CKV_AWS_169",
      "CKV_AWS_385", "CKV_AWS_319", "CKV_AWS_7", "CKV_AWS_33", "CKV_AWS_227", "CKV2_AWS_64", "CKV_AWS_41",
    ];
    for (const id of passing) expect(section).toMatch(new RegExp(`\\b${id}\\b`));
  });
});

/** A Terraform JSON with just the given resources. */
const tf = (resource: Record<string, Record<string, C.Conf>>, data: Record<string, Record<string, C.Conf>> = {}): C.TfJson => ({ resource, data });
const BUCKET = { bucket: "b" };
const ref = "${aws_s3_bucket.b.id}";
const bucketOf = (json: C.TfJson): C.Block => C.resources(json, "aws_s3_bucket")[0];
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: Partial<C.IamStatement> = {}): C.IamPolicy => ({
  Statement: [{ Effect: "Allow", Action, Resource, ...extra }],
});

describe("each encoded condition rejects a deliberately broken resource", () => {
  it.each<[string, () => C.CheckResult]>([
    ["CKV_AWS_19", () => { const j = tf({ aws_s3_bucket: { b: BUCKET }, aws_s3_bucket_server_side_encryption_configuration: { b: { bucket: ref, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "none" } }] } } }); return C.ckvAws19(j, bucketOf(j)); }],
    ["CKV_AWS_20", () => { const j = tf({ aws_s3_bucket: { b: { ...BUCKET, acl: "public-read" } } }); return C.ckvAws20(j, bucketOf(j)); }],
    ["CKV_AWS_21", () => { const j = tf({ aws_s3_bucket: { b: BUCKET }, aws_s3_bucket_versioning: { b: { bucket: ref, versioning_configuration: { status: "Suspended" } } } }); return C.ckvAws21(j, bucketOf(j)); }],
    ["CKV_AWS_53", () => C.publicAccessBlockFlag("block_public_acls")({ block_public_acls: false })],
    ["CKV_AWS_54", () => C.publicAccessBlockFlag("block_public_policy")({})],
    ["CKV_AWS_55", () => C.publicAccessBlockFlag("ignore_public_acls")({ ignore_public_acls: "false" })],
    ["CKV_AWS_56", () => C.publicAccessBlockFlag("restrict_public_buckets")({ restrict_public_buckets: false })],
    ["CKV_AWS_57", () => { const j = tf({ aws_s3_bucket: { b: BUCKET }, aws_s3_bucket_acl: { b: { bucket: ref, access_control_policy: { grant: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "WRITE" }] } } } }); return C.ckvAws57(j, bucketOf(j)); }],
    ["CKV_AWS_70", () => C.ckvAws70(allow("s3:GetObject", "arn:aws:s3:::b/*", { Principal: "*" }))],
    ["CKV_AWS_93", () => C.ckvAws93({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }] })],
    ["CKV_AWS_145", () => { const j = tf({ aws_s3_bucket: { b: BUCKET } }); return C.ckvAws145(j, bucketOf(j)); }],
    ["CKV_AWS_300", () => C.ckvAws300({ rule: [{ status: "Enabled", filter: [{ prefix: "tmp/" }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] })],
    ["CKV2_AWS_6", () => { const j = tf({ aws_s3_bucket: { b: BUCKET }, aws_s3_bucket_public_access_block: { b: { bucket: ref, block_public_acls: true, block_public_policy: false } } }); return C.ckv2Aws6(j, bucketOf(j)); }],
    ["CKV2_AWS_61", () => { const j = tf({ aws_s3_bucket: { b: BUCKET } }); return C.ckv2Aws61(j, bucketOf(j)); }],
    ["CKV2_AWS_62", () => { const j = tf({ aws_s3_bucket: { b: BUCKET }, aws_s3_bucket_notification: { other: { bucket: "${aws_s3_bucket.other.id}" } } }); return C.ckv2Aws62(j, bucketOf(j)); }],
    ["CKV2_AWS_65", () => C.ckv2Aws65({ rule: { object_ownership: "ObjectWriter" } })],
    ["CKV_AWS_28", () => C.ckvAws28({ point_in_time_recovery: { enabled: false } })],
    ["CKV_AWS_119", () => C.ckvAws119({ server_side_encryption: { enabled: true } })],
    ["CKV2_AWS_16", () => { const j = tf({ aws_dynamodb_table: { t: { billing_mode: "PROVISIONED" } } }); return C.ckv2Aws16(j, C.resources(j, "aws_dynamodb_table")[0]); }],
    ["CKV_AWS_60", () => C.ckvAws60({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "*" } }] })],
    ["CKV_AWS_61", () => C.ckvAws61({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::123456789012:root" } }] })],
    ["CKV_AWS_62", () => C.ckvAws62(allow("*"))],
    ["CKV_AWS_63", () => C.ckvAws63(allow("*", "arn:aws:s3:::b"))],
    ["CKV_AWS_274", () => C.ckvAws274("aws_iam_role_policy_attachment", { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" })],
    ["CKV_AWS_286", () => C.ckvAws286(allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))],
    ["CKV_AWS_287", () => C.ckvAws287(allow("sts:AssumeRole"))],
    ["CKV_AWS_288", () => C.ckvAws288(allow("s3:Get*"))],
    ["CKV_AWS_289", () => C.ckvAws289(allow("kms:PutKeyPolicy"))],
    ["CKV_AWS_290", () => C.ckvAws290(allow("dynamodb:PutItem"))],
    ["CKV_AWS_355", () => C.ckvAws355(allow(["xray:PutTraceSegments", "kms:Decrypt"]))],
    ["CKV2_AWS_40", () => C.ckv2Aws40(allow("iam:*", "arn:aws:iam::123456789012:role/x"))],
    ["CKV2_AWS_56", () => C.ckv2Aws56(tf({ aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/IAMFullAccess" } } }))],
    ["CKV_AWS_1", () => C.ckvAws1({ statement: [{ actions: ["*"], resources: ["*"] }] })],
    ["CKV_AWS_49", () => C.ckvAws49({ statement: [{ effect: "Allow", actions: ["*"], resources: ["arn:aws:s3:::b"] }] })],
    ["CKV_AWS_283", () => C.ckvAws283({ statement: [{ actions: ["s3:GetObject"], principals: [{ type: "AWS", identifiers: ["*"] }] }] })],
    ["CKV_AWS_358", () => C.ckvAws358({ statement: [{ principals: [{ type: "Federated", identifiers: ["arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"] }] }] })],
    ["CKV_AWS_45", () => C.ckvAws45({ environment: { variables: { KEY_ID: "AKIAIOSFODNN7EXAMPLE" } } })],
    ["CKV_AWS_50", () => C.ckvAws50({ runtime: "nodejs22.x" })],
    ["CKV_AWS_115", () => C.ckvAws115({ runtime: "nodejs22.x" })],
    ["CKV_AWS_173", () => C.ckvAws173({ environment: { variables: { A: "b" } } })],
    ["CKV_AWS_363", () => C.ckvAws363({ runtime: "nodejs16.x" })],
    ["CKV_AWS_301", () => C.ckvAws301({ principal: "*" })],
    ["CKV_AWS_364", () => C.ckvAws364({ principal: "s3.amazonaws.com" })],
    ["CKV_AWS_66", () => C.ckvAws66({ name: "/aws/lambda/x" })],
    ["CKV_AWS_158", () => C.ckvAws158({ name: "/aws/lambda/x", retention_in_days: 14 })],
    ["CKV_AWS_27", () => C.ckvAws27({ sqs_managed_sse_enabled: false })],
    ["CKV2_AWS_73", () => C.ckv2Aws73({ kms_master_key_id: "alias/aws/sqs" })],
    ["CKV_AWS_72", () => C.ckvAws72({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "*", Resource: "*" }] })],
    ["CKV_AWS_168", () => C.notPublicResourcePolicy(allow("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:q", { Principal: "*" }))],
    ["CKV_AWS_387", () => C.ckvAws387(allow("sqs:*", "arn:aws:sqs:eu-west-1:123456789012:q", { Principal: { AWS: ["*"] } }))],
    ["CKV_AWS_26", () => C.ckvAws26({ name: "t" })],
    ["CKV_AWS_169", () => C.notPublicResourcePolicy(allow("sns:Publish", "arn:aws:sns:eu-west-1:1:t", { Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": "*" } } }))],
    ["CKV_AWS_385", () => C.ckvAws385(allow("sns:Publish", "arn:aws:sns:eu-west-1:1:t", { Principal: { AWS: "arn:aws:iam::111122223333:root" } }))],
    ["CKV_AWS_319", () => C.ckvAws319({ actions_enabled: false })],
    ["CKV_AWS_7", () => C.ckvAws7({ enable_key_rotation: false })],
    ["CKV_AWS_33", () => C.ckvAws33(allow("kms:*", "*", { Principal: { AWS: "*" } }))],
    ["CKV_AWS_227", () => C.ckvAws227({ is_enabled: false })],
    ["CKV2_AWS_64", () => { const j = tf({ aws_kms_key: { k: { description: "no policy" } } }); return C.ckv2Aws64(j, C.resources(j, "aws_kms_key")[0]); }],
    ["CKV_AWS_41", () => C.ckvAws41({ region: "eu-west-1", access_key: "AKIAIOSFODNN7EXAMPLE" })],
  ])("%s", (_id, evaluate) => {
    expect(evaluate()).toBe("FAILED");
  });

  it("conditions and the X-Ray exception keep '*' from being flagged where Checkov does not flag it", () => {
    expect(C.ckvAws355(allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]))).toBe("PASSED");
    expect(C.ckvAws355(allow("kms:Decrypt", "*", { Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } }))).toBe("PASSED");
    expect(C.notPublicResourcePolicy(allow("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q", { Principal: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:t" } } }))).toBe("PASSED");
    expect(C.ckvAws70(allow("s3:GetObject", "arn:aws:s3:::b/*", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }))).toBe("PASSED");
  });

  it("a policy that can't be resolved is UNKNOWN, never a silent pass", () => {
    const j = tf({ aws_s3_bucket_policy: { b: { policy: "${data.aws_iam_policy_document.missing.json}" } } });
    expect(C.resolvePolicy(j, "${data.aws_iam_policy_document.missing.json}")).toBeUndefined();
    expect(C.ckvAws70(undefined)).toBe("UNKNOWN");
  });
});
