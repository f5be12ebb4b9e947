import { parseSynth, synthStack, type TerraformJson } from "./helpers/stack";

const dev = parseSynth(synthStack("dev"));
const prod = parseSynth(synthStack("prod"));

/** Attributes that give a resource a name in the account and region (where two stages could collide). */
const NAME_ATTRIBUTES = ["name", "name_prefix", "bucket", "bucket_prefix", "function_name", "alarm_name"] as const;

/**
 * Resource types whose `name` lives inside a parent resource of the same stage, so it may repeat
 * across stages without colliding (an inline role policy is unique per role).
 */
const SCOPED_NAMES = new Set(["aws_iam_role_policy"]);

/** Every literal (not a `${...}` reference) account-level name in a stack, keyed by `<address>.<attribute>`. */
function literalNames(json: TerraformJson): Map<string, string> {
  const names = new Map<string, string>();
  for (const [type, resources] of Object.entries(json.resource)) {
    if (SCOPED_NAMES.has(type)) continue;
    for (const [id, resource] of Object.entries(resources)) {
      for (const attribute of NAME_ATTRIBUTES) {
        const value = resource[attribute];
        if (typeof value === "string" && !value.includes("${")) names.set(`${type}.${id}.${attribute}`, value);
      }
    }
  }
  return names;
}

function resource(json: TerraformJson, type: string, id: string): Record<string, unknown> {
  const found = json.resource[type]?.[id];
  if (!found) throw new Error(`${type}.${id} is not in the stack`);
  return found;
}

describe("stages", () => {
  describe("prod differs from dev where it should", () => {
    it("turns deletion protection on for the prod table only", () => {
      expect(resource(prod, "aws_dynamodb_table", "metadata").deletion_protection_enabled).toBe(true);
      expect(resource(dev, "aws_dynamodb_table", "metadata").deletion_protection_enabled).toBe(false);
    });

    it("never lets a prod destroy empty the bucket (force_destroy false), while dev may", () => {
      expect(resource(prod, "aws_s3_bucket", "upload").force_destroy).toBe(false);
      expect(resource(dev, "aws_s3_bucket", "upload").force_destroy).toBe(true);
    });

    it("keeps prod logs longer than dev logs", () => {
      const prodDays = resource(prod, "aws_cloudwatch_log_group", "processor").retention_in_days as number;
      const devDays = resource(dev, "aws_cloudwatch_log_group", "processor").retention_in_days as number;
      expect(prodDays).toBe(365);
      expect(devDays).toBe(14);
      expect(prodDays).toBeGreaterThan(devDays);
    });

    it("subscribes the on-call e-mail to the prod status topic, and nobody in dev", () => {
      const subscriptions = Object.values(prod.resource.aws_sns_topic_subscription ?? {});
      expect(subscriptions).toEqual([
        expect.objectContaining({ protocol: "email", endpoint: "oncall@example.com", topic_arn: "${aws_sns_topic.status.arn}" }),
      ]);
      expect(dev.resource.aws_sns_topic_subscription).toBeUndefined();
    });

    it("gives prod more memory and a higher concurrency cap", () => {
      expect(resource(prod, "aws_lambda_function", "processor")).toMatchObject({ memory_size: 1024, reserved_concurrent_executions: 20 });
      expect(resource(dev, "aws_lambda_function", "processor")).toMatchObject({ memory_size: 512 });
      expect(resource(dev, "aws_lambda_function", "processor")).not.toHaveProperty("reserved_concurrent_executions");
    });
  });

  describe("names never collide across stages or accounts", () => {
    const devNames = literalNames(dev);
    const prodNames = literalNames(prod);

    it("finds the named resources (the check below is not vacuous)", () => {
      expect([...devNames.keys()]).toEqual(
        expect.arrayContaining([
          "aws_s3_bucket.upload.bucket_prefix",
          "aws_dynamodb_table.metadata.name",
          "aws_lambda_function.processor.function_name",
          "aws_cloudwatch_log_group.processor.name",
          "aws_sns_topic.status.name",
          "aws_sqs_queue.failed_events.name",
          "aws_iam_role.processor.name",
        ]),
      );
    });

    it("names the same resources in both stages", () => {
      expect([...prodNames.keys()].sort()).toEqual([...devNames.keys()].sort());
    });

    it("gives every named resource a different name in dev and prod", () => {
      const shared = [...devNames.values()].filter((name) => [...prodNames.values()].includes(name));
      expect(shared).toEqual([]);
    });

    it.each([
      ["dev", dev],
      ["prod", prod],
    ])("puts the project and stage into every %s name", (stage, json) => {
      for (const [where, name] of literalNames(json)) {
        expect({ where, name }).toEqual({ where, name: expect.stringMatching(new RegExp(`order-pipeline-${stage}(-|$)`)) });
      }
    });

    it("lets Terraform make the bucket name globally unique from a per-stage prefix", () => {
      for (const [stage, json] of [["dev", dev], ["prod", prod]] as const) {
        const bucket = resource(json, "aws_s3_bucket", "upload");
        expect(bucket.bucket_prefix).toBe(`order-pipeline-${stage}-upload-`);
        expect(bucket).not.toHaveProperty("bucket");
      }
    });

    it("keeps each stage's state apart", () => {
      expect(dev.terraform.backend).toEqual({ local: { path: "../../../terraform.pipeline-dev.tfstate" } });
      expect(prod.terraform.backend).toEqual({ local: { path: "../../../terraform.pipeline-prod.tfstate" } });
    });
  });
});
