import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

/** The attribute that identifies a file's item; the function writes it, the stack declares it. */
export const FILE_NAME_KEY = "FileName";

/** The table's settings when its props leave them out; stages start from these too (`stacks/config.ts`). */
export const METADATA_TABLE_DEFAULTS = { deletionProtection: true } as const;

/** Settings of the metadata table. */
export interface MetadataTableProps {
  /** Table name; unique per stage and account. */
  readonly tableName: string;
  /**
   * Refuse `DeleteTable` (and so `terraform destroy`) until switched off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Customer-managed KMS key for server-side encryption.
   * @default - the AWS-managed `aws/dynamodb` key
   */
  readonly kmsKey?: KmsKey;
}

/**
 * One item per uploaded file (hash key `FileName`), on-demand billing, point-in-time recovery
 * and encryption at rest always on.
 */
export class MetadataTable extends Construct {
  /** The table. */
  public readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: MetadataTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      hashKey: FILE_NAME_KEY,
      attribute: [{ name: FILE_NAME_KEY, type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKey?.arn },
      deletionProtectionEnabled: props.deletionProtection ?? METADATA_TABLE_DEFAULTS.deletionProtection,
    });
    this.table.overrideLogicalId(id);
  }
}
