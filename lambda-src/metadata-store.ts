import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { FinalFields, MetadataItem } from "./metadata-item";
import { FILE_STATUS } from "./types";

/** The attributes an attempt checks to know the item is still the one it read or wrote. */
const GUARDED = ["Sequencer", "Attempts", "Status"] as const;

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/** The stored item is the one this attempt wrote: same version, same attempt, written at the same moment. */
function isOwnWrite(stored: MetadataItem | undefined, written: { Sequencer: string; Attempts: number; Status: string; StartedAt?: string; CompletedAt?: string }): stored is MetadataItem {
  return (
    stored !== undefined &&
    stored.Sequencer === written.Sequencer &&
    stored.Attempts === written.Attempts &&
    stored.Status === written.Status &&
    (written.StartedAt === undefined || stored.StartedAt === written.StartedAt) &&
    (written.CompletedAt === undefined || stored.CompletedAt === written.CompletedAt)
  );
}

/**
 * Conditional reads and writes of metadata items. Every write is conditional on what the attempt
 * last saw (sequencer, attempt number, status), so two deliveries of one file, or an older event
 * that arrives late, can't overwrite each other's outcome.
 *
 * A write can land while its reply is lost; the SDK then sends it again, and the repeat fails its
 * condition against the write itself. So a failed condition is read back: an item that holds this
 * very write counts as written.
 */
export class MetadataStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The item of a file, read consistently; `undefined` when there is none. */
  async get(fileName: string): Promise<MetadataItem | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { FileName: fileName }, ConsistentRead: true }));
    return result.Item as MetadataItem | undefined;
  }

  /** Writes the PROCESSING item if the stored item is still `seen`; `false` when another attempt got there first. */
  async start(item: MetadataItem, seen: MetadataItem | undefined): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    let condition = "attribute_not_exists(FileName)";
    if (seen !== undefined) {
      condition = GUARDED.map((attribute) => {
        names[`#${attribute}`] = attribute;
        if (seen[attribute] === undefined) return `attribute_not_exists(#${attribute})`;
        values[`:${attribute}`] = seen[attribute];
        return `#${attribute} = :${attribute}`;
      }).join(" AND ");
    }
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return isOwnWrite(await this.get(item.FileName), item);
    }
  }

  /** Records the outcome if the item is still this attempt's PROCESSING item; returns the final item, or `undefined` when superseded. */
  async finish(started: MetadataItem, fields: FinalFields): Promise<MetadataItem | undefined> {
    const names: Record<string, string> = { "#Sequencer": "Sequencer", "#Attempts": "Attempts", "#Status": "Status" };
    const values: Record<string, unknown> = { ":Sequencer": started.Sequencer, ":Attempts": started.Attempts, ":Processing": FILE_STATUS.processing };
    const assignments: string[] = [];
    for (const [attribute, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${attribute}`] = attribute;
      values[`:new${attribute}`] = value;
      assignments.push(`#${attribute} = :new${attribute}`);
    }
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { FileName: started.FileName },
          UpdateExpression: `SET ${assignments.join(", ")}`,
          ConditionExpression: "#Sequencer = :Sequencer AND #Attempts = :Attempts AND #Status = :Processing",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return result.Attributes as MetadataItem | undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.get(started.FileName);
      return isOwnWrite(stored, { Sequencer: started.Sequencer, Attempts: started.Attempts, Status: fields.Status, CompletedAt: fields.CompletedAt }) ? stored : undefined;
    }
  }
}
