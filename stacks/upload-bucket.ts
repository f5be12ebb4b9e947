import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { denyAnyone, denyInsecureTransport } from "./policy-statements";

/** The bucket's settings when its props leave them out; stages start from these too (`stacks/config.ts`). */
export const UPLOAD_BUCKET_DEFAULTS = { forceDestroy: false, abortIncompleteUploadDays: 7, noncurrentVersionRetentionDays: 30 } as const;

/** Settings of the upload bucket. */
export interface UploadBucketProps {
  /** Prefix for a Terraform-generated unique name; ignored when `bucketName` is set. */
  readonly namePrefix: string;
  /**
   * Exact bucket name.
   * @default - a unique name starting with `namePrefix`
   */
  readonly bucketName?: string;
  /**
   * Let `terraform destroy` delete the bucket with its objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Customer-managed KMS key for SSE-KMS with an S3 bucket key.
   * @default - SSE-S3 (AES256)
   */
  readonly kmsKey?: KmsKey;
  /**
   * Aliases of `kmsKey` an upload may name it by (an upload naming any other key is refused).
   * @default - none: only the key's ARN and id
   */
  readonly kmsKeyAliases?: readonly KmsAlias[];
  /**
   * Days after which a replaced or deleted object version is removed; a delete marker with no
   * version left behind it is removed as well.
   * @default 30
   */
  readonly noncurrentVersionRetentionDays?: number;
  /**
   * Days after which an unfinished multipart upload is aborted.
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
}

/**
 * The bucket partners upload to: versioned, encrypted, private (all four public-access blocks,
 * owner-enforced objects), TLS-only, refusing uploads the function could never read, and with
 * lifecycle rules that clean up after failed uploads.
 * Terraform addresses are `<type>.<id>` (e.g. `aws_s3_bucket.upload`) so they stay readable in state.
 */
export class UploadBucket extends Construct {
  /** The bucket itself. */
  public readonly bucket: S3Bucket;
  /** The bucket policy (TLS only, readable uploads only); S3 notifications must wait for it (one bucket edit at a time). */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: UploadBucketProps) {
    super(scope, id);

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      bucketPrefix: props.bucketName === undefined ? props.namePrefix : undefined,
      forceDestroy: props.forceDestroy ?? UPLOAD_BUCKET_DEFAULTS.forceDestroy,
    });
    this.bucket.overrideLogicalId(id);
    const bucketId = this.bucket.id;

    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: bucketId,
      versioningConfiguration: { status: "Enabled" },
    });
    versioning.overrideLogicalId(id);

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucketId,
      rule: [
        props.kmsKey === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKey.arn },
              bucketKeyEnabled: true,
            },
      ],
    }).overrideLogicalId(id);

    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    publicAccess.overrideLogicalId(id);

    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucketId,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }).overrideLogicalId(id);

    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [denyInsecureTransport(["s3:*"], [this.bucket.arn, `${this.bucket.arn}/*`]), ...denyUnreadableUploads(`${this.bucket.arn}/*`, kmsKeyNames(props))],
    });
    document.overrideLogicalId(`${id}_bucket_policy`);

    // The policy waits for the public-access block: S3 refuses concurrent edits of one bucket.
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: bucketId,
      policy: document.json,
      dependsOn: [publicAccess],
    });
    this.policy.overrideLogicalId(id);

    // Its rules are about versions: it waits for versioning, as the provider's docs ask.
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucketId,
      dependsOn: [versioning],
      rule: [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? UPLOAD_BUCKET_DEFAULTS.abortIncompleteUploadDays }],
        },
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionRetentionDays ?? UPLOAD_BUCKET_DEFAULTS.noncurrentVersionRetentionDays }],
          // A delete marker left with no version behind it (the function deletes stale output under
          // processed/, a partner deletes an upload) is removed too, instead of piling up in listings.
          // S3 allows this flag only in an expiration without days or date.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    }).overrideLogicalId(id);
  }
}

/** Every name an upload may give the bucket's key: its ARN and id, and each alias's name and ARN. */
function kmsKeyNames(props: UploadBucketProps): string[] | undefined {
  if (props.kmsKey === undefined) return undefined;
  return [props.kmsKey.arn, props.kmsKey.keyId, ...(props.kmsKeyAliases ?? []).flatMap((alias) => [alias.arn, alias.name])];
}

/**
 * Refuses, at upload, objects the function could never read, so the uploader sees why at once
 * instead of the file failing every retry: one encrypted with a customer-provided key (SSE-C; S3
 * keeps no copy of it), or under a KMS key the request names that is not the bucket's (named by
 * one of `kmsKeyNames`; with none, any KMS key), since the function's role may use only that one.
 * An upload that names no key is let through: it gets the bucket's default encryption, or with an
 * explicit `aws:kms` and no key, S3's own key for the account, which the function can read too.
 */
function denyUnreadableUploads(objects: string, kmsKeyNames: readonly string[] | undefined): DataAwsIamPolicyDocumentStatement[] {
  const kmsKeyId = "s3:x-amz-server-side-encryption-aws-kms-key-id";
  return [
    denyAnyone("DenyCustomerProvidedKeys", ["s3:PutObject"], [objects], [{ test: "Null", variable: "s3:x-amz-server-side-encryption-customer-algorithm", values: ["false"] }]),
    // Both must hold: a negated operator alone also matches a request without the header.
    denyAnyone("DenyOtherKmsKeys", ["s3:PutObject"], [objects], [
      { test: "Null", variable: kmsKeyId, values: ["false"] },
      ...(kmsKeyNames !== undefined ? [{ test: "StringNotEquals", variable: kmsKeyId, values: [...kmsKeyNames] }] : []),
    ]),
  ];
}
