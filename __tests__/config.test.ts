import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, LOG_RETENTION_DAYS, STAGE_DEFAULTS, loadConfig, resolveConfig, type ConfigFile } from "../stacks/config";
import committed from "../config/stages.json";
import { cleanEnv } from "./helpers/clean-env";

/** A config file with one dev stage holding `settings` (and a valid prod unless replaced). */
function fileWith(settings: Record<string, unknown>, stage = "dev"): ConfigFile {
  return { project: "order-pipeline", stages: { dev: {}, [stage]: settings } };
}

/** The problems resolveConfig reports, or fails the test when it accepts the input. */
function problemsOf(raw: ConfigFile, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    resolveConfig(raw, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected a ConfigError, but the configuration was accepted");
}

function stage(raw: ConfigFile, name: string, env: NodeJS.ProcessEnv = {}) {
  const found = resolveConfig(raw, env).find((c) => c.stage === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}

describe("resolveConfig", () => {
  it("accepts the committed config/stages.json with dev and prod", () => {
    const stages = resolveConfig(committed);
    expect(stages.map((c) => c.stage)).toEqual(["dev", "prod"]);
    expect(stages.every((c) => c.project === "order-pipeline")).toBe(true);
  });

  it("fills every unset setting from STAGE_DEFAULTS", () => {
    const dev = stage({ stages: { dev: {} } }, "dev");
    expect(dev).toEqual({ ...STAGE_DEFAULTS, stage: "dev", project: "order-pipeline" });
  });

  it("gives a stage that sets nothing the secure, documented defaults (README 'Configuration')", () => {
    expect(STAGE_DEFAULTS).toEqual({
      region: "eu-west-1",
      forceDestroy: false,
      deletionProtection: true,
      logRetentionDays: 30,
      memoryMiB: 512,
      timeoutSeconds: 300,
      reservedConcurrency: null,
      maxRetryAttempts: 2,
      maxEventAgeSeconds: 21600,
      maxFileBytes: 2147483648,
      incomingPrefix: "incoming/",
      processedPrefix: "processed/",
      alarmEmails: [],
      alarmPeriodSeconds: 300,
      alarmEvaluationPeriods: 1,
      durationAlarmPercent: 80,
      failedEventAgeAlarmSeconds: 3600,
    });
  });

  it("refuses alarm windows CloudWatch refuses, and an age alarm the queue's retention would never let fire", () => {
    expect(problemsOf(fileWith({ alarmPeriodSeconds: 1800, alarmEvaluationPeriods: 100 }))).toEqual([
      "stages.dev.alarmEvaluationPeriods: 100 periods of alarmPeriodSeconds 1800 s are 180000 s, more than CloudWatch allows (86400 s for periods under an hour); use at most 48 periods",
    ]);
    expect(problemsOf(fileWith({ alarmPeriodSeconds: 86400, alarmEvaluationPeriods: 8 }))).toEqual([
      "stages.dev.alarmEvaluationPeriods: 8 periods of alarmPeriodSeconds 86400 s are 691200 s, more than CloudWatch allows (604800 s in all); use at most 7 periods",
    ]);
    expect(() => resolveConfig(fileWith({ alarmPeriodSeconds: 3600, alarmEvaluationPeriods: 100 }))).not.toThrow();
    expect(() => resolveConfig(fileWith({ alarmPeriodSeconds: 1800, alarmEvaluationPeriods: 48 }))).not.toThrow();
    expect(problemsOf(fileWith({ failedEventAgeAlarmSeconds: 1209600 }))).toEqual([
      expect.stringMatching(/^stages\.dev\.failedEventAgeAlarmSeconds: 1209600 s leaves less than one alarmPeriodSeconds \(300 s\) before the on-failure queue drops an event, after 1209600 s, so the alarm could never fire; use at most 1209300$/),
    ]);
    expect(() => resolveConfig(fileWith({ failedEventAgeAlarmSeconds: 1209300 }))).not.toThrow();
  });

  it("accepts every kind of AWS region code", () => {
    for (const region of ["eu-west-1", "ap-southeast-7", "mx-central-1", "cn-northwest-1", "us-gov-west-1", "us-isob-east-1", "us-isof-south-1", "eu-isoe-west-1", "eusc-de-east-1"]) {
      expect(stage(fileWith({ region }), "dev").region).toBe(region);
    }
  });

  describe("fails naming the setting, the bad value and the allowed range", () => {
    it.each([
      ["region", "europe", /^stages\.dev\.region: "europe" is not an AWS region; use a code such as eu-west-1/],
      ["region", "EU-WEST-1", /^stages\.dev\.region: "EU-WEST-1" is not an AWS region/],
      ["region", "prod-east-1", /^stages\.dev\.region: "prod-east-1" is not an AWS region/],
      ["region", "euw-west-1", /^stages\.dev\.region: "euw-west-1" is not an AWS region/],
      ["memoryMiB", 127, /^stages\.dev\.memoryMiB: 127 is out of range; use a whole number from 128 to 10240 MiB$/],
      ["memoryMiB", 10241, /^stages\.dev\.memoryMiB: 10241 is out of range; use a whole number from 128 to 10240 MiB$/],
      ["memoryMiB", 512.5, /^stages\.dev\.memoryMiB: 512\.5 is not a whole number; use a whole number from 128 to 10240 MiB$/],
      ["memoryMiB", "1024", /^stages\.dev\.memoryMiB: "1024" is not a whole number; use a whole number from 128 to 10240 MiB$/],
      ["timeoutSeconds", 29, /^stages\.dev\.timeoutSeconds: 29 is out of range; use a whole number from 30 to 900 seconds \(the function keeps 10 s of it back to record FAILED before the timeout\)$/],
      ["timeoutSeconds", 901, /^stages\.dev\.timeoutSeconds: 901 is out of range; use a whole number from 30 to 900 seconds/],
      ["maxRetryAttempts", 3, /^stages\.dev\.maxRetryAttempts: 3 is out of range; use a whole number from 0 to 2 retries$/],
      ["maxRetryAttempts", -1, /^stages\.dev\.maxRetryAttempts: -1 is out of range; use a whole number from 0 to 2 retries$/],
      ["maxEventAgeSeconds", 59, /^stages\.dev\.maxEventAgeSeconds: 59 is out of range; use a whole number from 60 to 21600 seconds$/],
      ["maxEventAgeSeconds", 21601, /^stages\.dev\.maxEventAgeSeconds: 21601 is out of range; use a whole number from 60 to 21600 seconds$/],
      ["reservedConcurrency", 0, /^stages\.dev\.reservedConcurrency: 0 is out of range; use a whole number from 1 to 1000/],
      ["alarmPeriodSeconds", 90, /^stages\.dev\.alarmPeriodSeconds: 90 is not a multiple of 60/],
      ["forceDestroy", "true", /^stages\.dev\.forceDestroy: "true" is not a boolean; use true or false$/],
      ["deletionProtection", 1, /^stages\.dev\.deletionProtection: 1 is not a boolean; use true or false$/],
      ["incomingPrefix", "incoming", /^stages\.dev\.incomingPrefix: "incoming" is not a key prefix; use safe characters ending with '\/'/],
      ["bucketName", "Upload_Bucket", /^stages\.dev\.bucketName: "Upload_Bucket" is not a valid S3 bucket name; use 3-63 lower-case/],
      ["bucketName", "orders-upload", /^stages\.dev\.bucketName: "orders-upload" does not contain the stage "dev"/],
      ["bucketName", "orders..dev", /^stages\.dev\.bucketName: "orders\.\.dev" is not a valid S3 bucket name/],
      // Names S3 reserves, which would pass a plain character check and fail only at deploy.
      ["bucketName", "xn--dev-orders", /^stages\.dev\.bucketName: "xn--dev-orders" is not a valid S3 bucket name; .*no reserved prefix \(xn--, sthree-/],
      ["bucketName", "sthree-dev-orders", /^stages\.dev\.bucketName: "sthree-dev-orders" is not a valid S3 bucket name/],
      ["bucketName", "orders-dev--ol-s3", /^stages\.dev\.bucketName: "orders-dev--ol-s3" is not a valid S3 bucket name/],
      ["bucketName", "orders-dev-s3alias", /^stages\.dev\.bucketName: "orders-dev-s3alias" is not a valid S3 bucket name/],
      ["durationAlarmPercent", 0, /^stages\.dev\.durationAlarmPercent: 0 is out of range; use a whole number from 1 to 100 percent$/],
      ["durationAlarmPercent", 101, /^stages\.dev\.durationAlarmPercent: 101 is out of range/],
      ["alarmEvaluationPeriods", 0, /^stages\.dev\.alarmEvaluationPeriods: 0 is out of range; use a whole number from 1 to 100 periods$/],
      ["alarmEvaluationPeriods", 101, /^stages\.dev\.alarmEvaluationPeriods: 101 is out of range/],
      ["alarmPeriodSeconds", 0, /^stages\.dev\.alarmPeriodSeconds: 0 is out of range; use a whole number from 60 to 86400 seconds$/],
      ["alarmPeriodSeconds", 86460, /^stages\.dev\.alarmPeriodSeconds: 86460 is out of range/],
      ["maxFileBytes", 0, /^stages\.dev\.maxFileBytes: 0 is out of range; use a whole number from 1 to 5497558138880 bytes$/],
      ["maxFileBytes", 5 * 1024 ** 4 + 1, /^stages\.dev\.maxFileBytes: 5497558138881 is out of range/],
      ["failedEventAgeAlarmSeconds", 59, /^stages\.dev\.failedEventAgeAlarmSeconds: 59 is out of range; use a whole number from 60 to 1209600 seconds$/],
      ["reservedConcurrency", 1001, /^stages\.dev\.reservedConcurrency: 1001 is out of range; use a whole number from 1 to 1000/],
    ])("fails when %s is %p", (setting, value, message) => {
      expect(problemsOf(fileWith({ [setting]: value }))).toEqual([expect.stringMatching(message)]);
    });

    it.each([0, 2, 31, 366, 3650])("fails when logRetentionDays is %p, listing every value CloudWatch accepts", (days) => {
      const [problem] = problemsOf(fileWith({ logRetentionDays: days }));
      expect(problem).toBe(
        `stages.dev.logRetentionDays: ${days} is not a value CloudWatch accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      );
    });

    it.each(LOG_RETENTION_DAYS.map((d) => [d]))("accepts logRetentionDays %p", (days) => {
      expect(stage(fileWith({ logRetentionDays: days }), "dev").logRetentionDays).toBe(days);
    });

    it("accepts the edges of the memory and timeout ranges", () => {
      expect(() => resolveConfig(fileWith({ memoryMiB: 128, timeoutSeconds: 30 }))).not.toThrow();
      expect(() => resolveConfig(fileWith({ memoryMiB: 10240, timeoutSeconds: 900 }))).not.toThrow();
    });

    it("accepts the edges of the retry and event-age ranges", () => {
      expect(() => resolveConfig(fileWith({ maxRetryAttempts: 0, maxEventAgeSeconds: 60 }))).not.toThrow();
      expect(() => resolveConfig(fileWith({ maxRetryAttempts: 2, maxEventAgeSeconds: 21600 }))).not.toThrow();
    });

    it.each(["oncall", "oncall@", "on call@example.com", "oncall@example", "a@b@example.com"])(
      "fails when an alarm e-mail is %p",
      (email) => {
        expect(problemsOf(fileWith({ alarmEmails: ["ok@example.com", email] }))).toEqual([
          `stages.dev.alarmEmails: ${JSON.stringify(email)} is not an e-mail address; write it as name@yourcompany.com`,
        ]);
      },
    );

    it("fails when alarmEmails is not a list", () => {
      expect(problemsOf(fileWith({ alarmEmails: "oncall@example.com" }))).toEqual([
        "stages.dev.alarmEmails: must be a list of e-mail addresses",
      ]);
    });

    it.each([
      ["incoming/", "incoming/"],
      ["incoming/", "incoming/processed/"],
      ["data/incoming/", "data/"],
    ])("fails when incomingPrefix %p and processedPrefix %p overlap", (incomingPrefix, processedPrefix) => {
      expect(problemsOf(fileWith({ incomingPrefix, processedPrefix }))).toEqual([
        `stages.dev.processedPrefix: "${processedPrefix}" overlaps incomingPrefix "${incomingPrefix}"; the function would trigger itself, use disjoint prefixes`,
      ]);
    });

    it("accepts disjoint prefixes that share a leading word", () => {
      expect(stage(fileWith({ incomingPrefix: "in/", processedPrefix: "in-done/" }), "dev").processedPrefix).toBe("in-done/");
    });

    it("refuses forceDestroy for prod, and only for prod", () => {
      expect(problemsOf(fileWith({ forceDestroy: true }, "prod"))).toEqual([
        "stages.prod.forceDestroy: true is refused for prod; a destroy must never empty the production bucket, set it to false",
      ]);
      expect(stage(fileWith({ forceDestroy: true }, "staging"), "staging").forceDestroy).toBe(true);
    });

    it("fails when a stage has an unknown setting, listing the known ones", () => {
      const [problem] = problemsOf(fileWith({ memoryMb: 1024 }));
      expect(problem).toMatch(/^stages\.dev\.memoryMb: unknown setting; known settings are region, bucketName, .*memoryMiB/);
    });

    it.each(["Prod", "p", "production1", "pro-d", "1prod"])("fails when the stage name is %p", (name) => {
      expect(problemsOf(fileWith({}, name))).toEqual([
        `stages.${name}: stage name ${JSON.stringify(name)} is not allowed; use 2-10 lower-case letters or digits, starting with a letter`,
      ]);
    });

    it("fails when the project name is not usable in resource names", () => {
      expect(problemsOf({ project: "Order_Pipeline", stages: { dev: {} } })).toEqual([
        expect.stringMatching(/^project: "Order_Pipeline" is not allowed; use 2-18 lower-case letters/),
      ]);
    });

    it.each(["xn-", "sthree", "amzn-s3-demo"])("fails when the project name %p would start the upload bucket's name with a prefix S3 reserves", (project) => {
      expect(problemsOf({ project, stages: { dev: {} } })).toEqual([
        `project: "${project}" is not allowed: upload bucket names start with "${project}-", a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-); choose another project name`,
      ]);
    });

    it.each(["xn", "sthreex", "amzn-s3"])("accepts the project name %p, which only resembles a reserved prefix", (project) => {
      expect(stage({ project, stages: { dev: {} } }, "dev").project).toBe(project);
    });

    it("fails when there is no dev stage", () => {
      expect(problemsOf({ stages: { prod: {} } })).toEqual([`stages: must be an object that has at least a "dev" stage`]);
    });

    it("fails when a stage is not an object", () => {
      expect(problemsOf({ stages: { dev: {}, prod: [] } })).toEqual(["stages.prod: must be an object of settings"]);
    });
  });

  it("reports every problem of every stage at once", () => {
    const raw: ConfigFile = {
      project: "order-pipeline",
      stages: {
        dev: { region: "mars-1", memoryMiB: 64, timeoutSeconds: 1000, colour: "blue" },
        prod: { forceDestroy: true, logRetentionDays: 10, alarmEmails: ["nobody"] },
        "Bad-Stage": {},
      },
    };
    const problems = problemsOf(raw, { PIPELINE_DEV_DELETION_PROTECTION: "on" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stages\.dev\.colour: unknown setting/),
        expect.stringMatching(/^PIPELINE_DEV_DELETION_PROTECTION: "on" is not a boolean/),
        expect.stringMatching(/^stages\.dev\.region: "mars-1"/),
        expect.stringMatching(/^stages\.dev\.memoryMiB: 64 /),
        expect.stringMatching(/^stages\.dev\.timeoutSeconds: 1000 /),
        expect.stringMatching(/^stages\.prod\.forceDestroy: true is refused for prod/),
        expect.stringMatching(/^stages\.prod\.logRetentionDays: 10 /),
        expect.stringMatching(/^stages\.prod\.alarmEmails: "nobody" /),
        expect.stringMatching(/^stages\.Bad-Stage: stage name "Bad-Stage"/),
      ]),
    );
    expect(problems).toHaveLength(9);
  });

  it("puts every problem on its own line of the error message", () => {
    expect(() => resolveConfig(fileWith({ memoryMiB: 1, timeoutSeconds: 0 }))).toThrow(
      /^Invalid pipeline configuration:\n {2}- stages\.dev\.memoryMiB: .*\n {2}- stages\.dev\.timeoutSeconds: /,
    );
  });

  describe("environment overrides PIPELINE_<STAGE>_<SETTING>", () => {
    it("overrides a number: PIPELINE_DEV_MEMORY_MIB=1024", () => {
      expect(stage(committed, "dev", { PIPELINE_DEV_MEMORY_MIB: "1024" }).memoryMiB).toBe(1024);
    });

    it("overrides only the named stage", () => {
      const env = { PIPELINE_PROD_TIMEOUT_SECONDS: "120", PIPELINE_PROD_MAX_EVENT_AGE_SECONDS: "3600" };
      expect(stage(committed, "prod", env)).toMatchObject({ timeoutSeconds: 120, maxEventAgeSeconds: 3600 });
      expect(stage(committed, "dev", env)).toMatchObject({ timeoutSeconds: 300, maxEventAgeSeconds: 21600 });
    });

    it("takes precedence over the file", () => {
      expect(stage(committed, "prod", { PIPELINE_PROD_LOG_RETENTION_DAYS: "731" }).logRetentionDays).toBe(731);
    });

    it.each([
      ["true", true],
      ["false", false],
    ])("overrides a boolean with %p", (text, value) => {
      expect(stage(committed, "dev", { PIPELINE_DEV_FORCE_DESTROY: text }).forceDestroy).toBe(value);
      expect(stage(committed, "dev", { PIPELINE_DEV_DELETION_PROTECTION: text }).deletionProtection).toBe(value);
    });

    it.each(["yes", "1", "TRUE", ""])("fails when a boolean override is %p, naming the variable", (text) => {
      expect(problemsOf(committed, { PIPELINE_DEV_FORCE_DESTROY: text })).toEqual([
        `PIPELINE_DEV_FORCE_DESTROY: ${JSON.stringify(text)} is not a boolean; use true or false`,
      ]);
    });

    it("reads an e-mail list as comma-separated addresses, trimming blanks", () => {
      const env = { PIPELINE_PROD_ALARM_EMAILS: " a@example.com, b@example.org ,," };
      expect(stage(committed, "prod", env).alarmEmails).toEqual(["a@example.com", "b@example.org"]);
    });

    it("empties the e-mail list with an empty override", () => {
      expect(stage(committed, "prod", { PIPELINE_PROD_ALARM_EMAILS: "" }).alarmEmails).toEqual([]);
    });

    it("validates overridden e-mails like the file's", () => {
      expect(problemsOf(committed, { PIPELINE_PROD_ALARM_EMAILS: "a@example.com,not-an-address" })).toEqual([
        `PIPELINE_PROD_ALARM_EMAILS (overriding stages.prod.alarmEmails): "not-an-address" is not an e-mail address; write it as name@yourcompany.com`,
      ]);
    });

    it("leaves reservedConcurrency unset unless a stage sets it, and unsets it with null or none", () => {
      expect(stage(committed, "dev").reservedConcurrency).toBeNull();
      expect(stage(committed, "prod").reservedConcurrency).toBe(20);
      expect(stage(committed, "prod", { PIPELINE_PROD_RESERVED_CONCURRENCY: "none" }).reservedConcurrency).toBeNull();
      expect(stage(committed, "dev", { PIPELINE_DEV_RESERVED_CONCURRENCY: "5" }).reservedConcurrency).toBe(5);
      expect(stage(fileWith({ reservedConcurrency: null }, "prod"), "prod").reservedConcurrency).toBeNull();
      expect(problemsOf(committed, { PIPELINE_DEV_RESERVED_CONCURRENCY: "0" })).toEqual([
        "PIPELINE_DEV_RESERVED_CONCURRENCY (overriding stages.dev.reservedConcurrency): 0 is out of range; use a whole number from 1 to 1000 concurrent executions, or null (none in the environment) to leave it unreserved",
      ]);
    });

    it.each([
      ["abc", `"abc" is not a whole number`],
      ["", `"" is not a whole number`],
      ["64", "64 is out of range"],
    ])("fails when a number override is %p, showing the value as typed and the range", (text, problem) => {
      expect(problemsOf(committed, { PIPELINE_DEV_MEMORY_MIB: text })).toEqual([`PIPELINE_DEV_MEMORY_MIB (overriding stages.dev.memoryMiB): ${problem}; use a whole number from 128 to 10240 MiB`]);
    });

    it("refuses forceDestroy=true for prod from the environment too", () => {
      expect(problemsOf(committed, { PIPELINE_PROD_FORCE_DESTROY: "true" })).toEqual([
        expect.stringMatching(/^PIPELINE_PROD_FORCE_DESTROY \(overriding stages\.prod\.forceDestroy\): true is refused for prod/),
      ]);
    });

    it("fails when an override names no setting, so a typo is not ignored in silence", () => {
      expect(problemsOf(committed, { PIPELINE_DEV_MEMORY_MB: "1024" })).toEqual([
        expect.stringMatching(/^PIPELINE_DEV_MEMORY_MB: unknown setting; overrides for stage dev are .*PIPELINE_DEV_MEMORY_MIB/),
      ]);
    });

    it("names the variable behind either setting of a problem about two", () => {
      expect(problemsOf(committed, { PIPELINE_DEV_INCOMING_PREFIX: "processed/" })).toEqual([
        expect.stringMatching(/^stages\.dev\.processedPrefix \(with PIPELINE_DEV_INCOMING_PREFIX overriding stages\.dev\.incomingPrefix\): "processed\/" overlaps incomingPrefix/),
      ]);
    });

    it("does not take a setting's name inside a bad value for a second setting the problem is about", () => {
      expect(problemsOf(committed, { PIPELINE_DEV_REGION: "us-east-1", PIPELINE_DEV_PROCESSED_PREFIX: "region" })).toEqual([
        expect.stringMatching(/^PIPELINE_DEV_PROCESSED_PREFIX \(overriding stages\.dev\.processedPrefix\): "region" is not a key prefix/),
      ]);
    });

    it("overrides strings such as the region", () => {
      expect(stage(committed, "dev", { PIPELINE_DEV_REGION: "us-east-1" }).region).toBe("us-east-1");
      expect(problemsOf(committed, { PIPELINE_DEV_REGION: "moon" })).toEqual([expect.stringMatching(/^PIPELINE_DEV_REGION \(overriding stages\.dev\.region\): "moon"/)]);
    });
  });
});

describe("loadConfig", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "config-test-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads config/stages.json by default and applies the given environment", () => {
    const [dev] = loadConfig(undefined, { PIPELINE_DEV_MEMORY_MIB: "2048" });
    expect(dev).toMatchObject({ stage: "dev", memoryMiB: 2048 });
  });

  it("fails naming the file when it is not JSON", () => {
    const file = path.join(dir, "stages.json");
    writeFileSync(file, "{ stages: ");
    expect(() => loadConfig(file, {})).toThrow(ConfigError);
    expect(() => loadConfig(file, {})).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot read it as JSON`));
  });
});

describe("main.ts with a configuration mistake", () => {
  it("prints every problem with its fix, no stack trace, and exits 1: the stages' and the state backend's together", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "synth-config-"));
    try {
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts"], {
        cwd: path.join(__dirname, ".."),
        env: { ...cleanEnv(), CDKTF_OUTDIR: outdir, PIPELINE_DEV_MEMORY_MIB: "abc", TF_STATE_REGION: "eu-west-1" },
        encoding: "utf8",
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({
        status: 1,
        stderr:
          'Invalid pipeline configuration:\n  - PIPELINE_DEV_MEMORY_MIB (overriding stages.dev.memoryMiB): "abc" is not a whole number; use a whole number from 128 to 10240 MiB\n' +
          "  - TF_STATE_REGION is set but TF_STATE_BUCKET is not, so the state would stay local; set TF_STATE_BUCKET to the state bucket's name, or unset TF_STATE_REGION\n",
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
