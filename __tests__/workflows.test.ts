import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { loadConfig } from "../stacks/config";
import { stackName } from "../stacks/pipeline-stack";
import packageJson from "../package.json";

const WORKFLOW_DIR = path.resolve(__dirname, "..", ".github", "workflows");

/**
 * The pinning rule: every action is referenced by a full 40-hex commit SHA (a tag can be moved to
 * other code; a SHA cannot), followed by a comment naming the exact release, e.g.
 * `uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1`.
 */
const PINNED_USES = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$/;
const RELEASE_COMMENT = /^v\d+\.\d+\.\d+$/;

/** Oldest Terraform whose S3 backend has `use_lockfile` (native state locking) out of experiment. */
const MIN_TERRAFORM = [1, 11] as const;

type Dict = Record<string, unknown>;
interface Step extends Dict {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Dict;
  readonly name?: string;
}
interface Job extends Dict {
  readonly "runs-on"?: unknown;
  readonly steps?: Step[];
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Dict | string;
  readonly environment?: string | { readonly name: string };
  readonly concurrency?: string | { readonly group: string; readonly "cancel-in-progress"?: boolean };
  readonly strategy?: { readonly matrix?: Dict };
  readonly env?: Dict;
}
interface Workflow {
  readonly file: string;
  readonly text: string;
  readonly errors: string[];
  readonly on: unknown;
  readonly env: Dict;
  readonly jobs: Record<string, Job>;
}

function loadWorkflows(): Workflow[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => {
      const text = readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
      const doc = parseDocument(text);
      const body = (doc.toJS() ?? {}) as Dict;
      return {
        file,
        text,
        errors: [...doc.errors, ...doc.warnings].map((e) => e.message),
        on: body.on,
        env: (body.env ?? {}) as Dict,
        jobs: (body.jobs ?? {}) as Record<string, Job>,
      };
    });
}

const workflows = loadWorkflows();
const STACKS = loadConfig(undefined, {}).map((c) => stackName(c.stage));

function needsOf(job: Job): string[] {
  if (job.needs === undefined) return [];
  return typeof job.needs === "string" ? [job.needs] : job.needs;
}

/** Every value an expression-bearing input can take: `${{ env.X }}` and `${{ matrix.x }}` resolved, literals as they are. */
function valuesOf(value: unknown, wf: Workflow, job: Job): string[] {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return [];
  const text = String(value);
  const env = /^\$\{\{\s*env\.([A-Za-z0-9_]+)\s*\}\}$/.exec(text);
  if (env) return valuesOf(job.env?.[env[1]] ?? wf.env[env[1]], wf, job);
  const matrix = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(text);
  if (matrix) {
    const axis = job.strategy?.matrix?.[matrix[1]];
    return Array.isArray(axis) ? axis.map(String) : [];
  }
  return [text];
}

function stepsUsing(job: Job, action: string): Step[] {
  return (job.steps ?? []).filter((s) => typeof s.uses === "string" && s.uses.split("@")[0] === action);
}

function permissionsOf(job: Job): Dict {
  return typeof job.permissions === "object" && job.permissions !== null ? job.permissions : {};
}

/** The stacks a job plans (`cdktf diff`/`plan`) or deploys, through terraform-cdk-action or a `run:` line. */
function cdktfTargets(wf: Workflow, job: Job, kind: "plan" | "deploy"): string[] {
  const mode = kind === "plan" ? "plan-only" : "auto-approve-apply";
  const fromAction = stepsUsing(job, "hashicorp/terraform-cdk-action")
    .filter((s) => s.with?.mode === mode)
    .flatMap((s) => valuesOf(s.with?.stackName, wf, job));
  const verbs = kind === "plan" ? "(diff|plan)" : "(deploy|apply)";
  const fromRun = (job.steps ?? []).flatMap((s) =>
    [...String(s.run ?? "").matchAll(new RegExp(`cdktf(?:-cli)?\\s+${verbs}\\s+([a-z0-9-]+)`, "g"))].map((m) => m[2]),
  );
  return [...fromAction, ...fromRun];
}

function touchesAws(wf: Workflow, job: Job): boolean {
  return cdktfTargets(wf, job, "plan").length > 0 || cdktfTargets(wf, job, "deploy").length > 0 || stepsUsing(job, "aws-actions/configure-aws-credentials").length > 0;
}

function environmentName(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split(".").map(Number);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i];
  }
  return true;
}

/** `{ job, ... }` for every job of every workflow, for it.each. */
const allJobs = workflows.flatMap((wf) => Object.entries(wf.jobs).map(([id, job]) => ({ where: `${wf.file}#${id}`, wf, id, job })));

describe(".github/workflows", () => {
  it("holds at least one workflow and finds the stacks to plan from config/stages.json", () => {
    expect(workflows.map((w) => w.file)).toContain("pipeline.yml");
    expect(STACKS).toEqual(expect.arrayContaining(["pipeline-dev", "pipeline-prod"]));
  });

  describe.each(workflows.map((wf) => [wf.file, wf] as const))("%s", (_file, wf) => {
    it("is YAML that parses without errors or warnings, with `on` and at least one job", () => {
      expect(wf.errors).toEqual([]);
      expect(wf.on).toBeTruthy();
      expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
    });

    it("names jobs with ids GitHub accepts, each with runs-on and non-empty steps of either `uses` or `run`", () => {
      for (const [id, job] of Object.entries(wf.jobs)) {
        expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
        expect({ id, runsOn: job["runs-on"] }).toEqual({ id, runsOn: expect.anything() });
        expect(Array.isArray(job.steps) && job.steps.length > 0).toBe(true);
        for (const step of job.steps ?? []) {
          expect({ id, step, oneOf: (step.uses === undefined) !== (step.run === undefined) }).toEqual({ id, step, oneOf: true });
        }
      }
    });

    it("needs only jobs that exist, without a cycle", () => {
      for (const [id, job] of Object.entries(wf.jobs)) {
        for (const need of needsOf(job)) expect({ id, need, exists: need in wf.jobs }).toEqual({ id, need, exists: true });
      }
      const state = new Map<string, "visiting" | "done">();
      const visit = (id: string, trail: string[]): void => {
        if (state.get(id) === "done") return;
        if (state.get(id) === "visiting") throw new Error(`needs cycle: ${[...trail, id].join(" -> ")}`);
        state.set(id, "visiting");
        for (const need of needsOf(wf.jobs[id] ?? {})) visit(need, [...trail, id]);
        state.set(id, "done");
      };
      for (const id of Object.keys(wf.jobs)) expect(() => visit(id, [])).not.toThrow();
    });

    it("pins every action to a full commit SHA with its exact release in a comment", () => {
      const lines = wf.text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));
      const parsedUses = Object.values(wf.jobs).flatMap((j) => (j.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : [])));
      expect(lines).toHaveLength(parsedUses.length);
      const releaseOf = new Map<string, string>();
      for (const line of lines) {
        const [, ref, comment] = /uses:\s*(\S+)\s*(?:#\s*(\S+))?/.exec(line) ?? [];
        expect({ line, pinned: PINNED_USES.test(ref ?? "") }).toEqual({ line, pinned: true });
        expect({ line, release: comment }).toEqual({ line, release: expect.stringMatching(RELEASE_COMMENT) });
        // The same SHA must always carry the same release comment, so one of them was not edited alone.
        expect({ ref, release: releaseOf.get(ref) ?? comment }).toEqual({ ref, release: comment });
        releaseOf.set(ref, comment);
      }
    });

    it("holds no long-lived AWS keys: no key inputs, no AWS secrets, no key variables", () => {
      expect(wf.text).not.toMatch(/aws-access-key-id|aws-secret-access-key|aws-session-token/);
      expect(wf.text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
      expect(wf.text).not.toMatch(/secrets\.(?!GITHUB_TOKEN\b)[A-Za-z0-9_]*/);
    });
  });

  describe.each(allJobs.filter(({ wf, job }) => touchesAws(wf, job)).map((j) => [j.where, j] as const))(
    "%s, which touches AWS",
    (_where, { wf, job }) => {
      it("gets credentials via OIDC (id-token: write) from a role in repository variables, before any cdktf step", () => {
        expect(permissionsOf(job)["id-token"]).toBe("write");
        const steps = job.steps ?? [];
        const auth = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        expect(auth).toBeGreaterThanOrEqual(0);
        expect(String(steps[auth].with?.["role-to-assume"])).toMatch(/^\$\{\{\s*vars\.[A-Z0-9_]+\s*\}\}$/);
        const firstCdktf = steps.findIndex((s) => s.uses?.startsWith("hashicorp/terraform-cdk-action@") || /cdktf\s+(diff|plan|deploy|apply)/.test(s.run ?? ""));
        expect(firstCdktf).toBeGreaterThan(auth);
      });

      it("uses the S3 state from repository variables, all three of them, as a local deploy does", () => {
        for (const name of ["TF_STATE_BUCKET", "TF_STATE_REGION", "TF_STATE_KEY_PREFIX"]) {
          expect(wf.env[name] ?? job.env?.[name]).toMatch(new RegExp(`^\\$\\{\\{\\s*vars\\.${name}\\s*\\}\\}$`));
        }
      });

      it("fails fast, naming the variable, when its role is not set, and passes on PIPELINE_* overrides that are", () => {
        const steps = job.steps ?? [];
        const auth = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        const role = String(steps[auth].with?.["role-to-assume"]).replace(/^\$\{\{\s*vars\.([A-Z0-9_]+)\s*\}\}$/, "$1");
        const check = steps.findIndex((s) => (s.run ?? "").includes(`Set the repository variable ${role}`));
        expect(check).toBeGreaterThanOrEqual(0);
        expect(check).toBeLessThan(auth);
        const overrides = steps.findIndex((s) => (s.run ?? "").includes('startswith("PIPELINE_")') && (s.run ?? "").includes("GITHUB_ENV"));
        expect(overrides).toBeGreaterThanOrEqual(0);
        expect(overrides).toBeLessThan(auth);
      });
    },
  );

  describe("the job graph", () => {
    const pipeline = workflows.find((w) => w.file === "pipeline.yml");
    if (!pipeline) throw new Error("no .github/workflows/pipeline.yml");
    const deployJob = (stack: string) => {
      const found = Object.entries(pipeline.jobs).filter(([, job]) => cdktfTargets(pipeline, job, "deploy").includes(stack));
      expect(found.map(([id]) => id)).toHaveLength(1);
      return found[0];
    };

    it("runs on pull requests and on pushes to main", () => {
      expect(pipeline.on).toMatchObject({ pull_request: expect.anything(), push: { branches: ["main"] } });
    });

    it("runs npm test on pull requests", () => {
      const testJobs = Object.values(pipeline.jobs).filter((job) => (job.steps ?? []).some((s) => /^npm (run )?test\b/.test(s.run ?? "")));
      expect(testJobs.length).toBeGreaterThan(0);
      expect(testJobs.some((job) => job.if === undefined || job.if.includes("pull_request"))).toBe(true);
    });

    it("plans every stack on pull requests and may comment on the PR", () => {
      const planJobs = Object.values(pipeline.jobs).filter((job) => cdktfTargets(pipeline, job, "plan").length > 0);
      const planned = planJobs.flatMap((job) => cdktfTargets(pipeline, job, "plan"));
      expect([...new Set(planned)].sort()).toEqual([...STACKS].sort());
      for (const job of planJobs) {
        expect(job.if ?? "").toContain("pull_request");
        expect(permissionsOf(job)["pull-requests"]).toBe("write");
      }
    });

    it("deploys pipeline-dev automatically on main only, and only after the tests", () => {
      const [, dev] = deployJob("pipeline-dev");
      expect(dev.if).toMatch(/github\.event_name == 'push'/);
      expect(dev.if).toContain("refs/heads/main");
      expect(environmentName(dev)).not.toBe("production");
      const testJob = Object.entries(pipeline.jobs).find(([, job]) => (job.steps ?? []).some((s) => s.run === "npm test"));
      expect(needsOf(dev)).toContain(testJob?.[0]);
    });

    it("deploys pipeline-prod behind the production environment's approval, after the dev deploy", () => {
      const [devId] = deployJob("pipeline-dev");
      const [, prod] = deployJob("pipeline-prod");
      expect(environmentName(prod)).toBe("production");
      expect(needsOf(prod)).toContain(devId);
      expect(prod.if).toContain("refs/heads/main");
    });

    it.each(["pipeline-dev", "pipeline-prod"])("never runs two deploys of %s at once, nor cancels one midway", (stack) => {
      const [, job] = deployJob(stack);
      expect(job.concurrency).toEqual({ group: expect.stringContaining(stack), "cancel-in-progress": false });
    });

    it.each(["pipeline-dev", "pipeline-prod"])("waits for a PR plan's state lock when deploying %s (cdktf deploy applies without a plan step)", (stack) => {
      const [, job] = deployJob(stack);
      expect(String(job.env?.TF_CLI_ARGS_apply)).toMatch(/^-lock-timeout=\d+m$/);
    });

    it.each(["pipeline-dev", "pipeline-prod"])("refuses to deploy %s with placeholder settings: preflight runs after the stage settings, before the deploy", (stack) => {
      const [, job] = deployJob(stack);
      const steps = job.steps ?? [];
      const at = (found: number): number => (found < 0 ? Number.NaN : found);
      const settings = at(steps.findIndex((s) => String(s.run).includes('startswith("PIPELINE_")')));
      const preflight = at(steps.findIndex((s) => s.run === `npm run --silent preflight -- ${stack}`));
      const deploy = at(steps.findIndex((s) => typeof s.uses === "string" && s.uses.startsWith("hashicorp/terraform-cdk-action@")));
      expect(settings < preflight && preflight < deploy).toBe(true);
    });

    it.each(["pipeline-dev", "pipeline-prod"])("checks the account can grant %s's reserved concurrency: preflight --account runs after the credentials, before the deploy", (stack) => {
      const [, job] = deployJob(stack);
      const steps = job.steps ?? [];
      const at = (found: number): number => (found < 0 ? Number.NaN : found);
      const auth = at(steps.findIndex((s) => typeof s.uses === "string" && s.uses.startsWith("aws-actions/configure-aws-credentials@")));
      const account = at(steps.findIndex((s) => s.run === `npm run --silent preflight -- --account ${stack}`));
      const deploy = at(steps.findIndex((s) => typeof s.uses === "string" && s.uses.startsWith("hashicorp/terraform-cdk-action@")));
      expect({ auth, account, deploy, inOrder: auth < account && account < deploy }).toEqual({ auth, account, deploy, inOrder: true });
    });

    it("fails the validate step when terraform validate was skipped: CI has terraform and the registry", () => {
      const validate = Object.values(pipeline.jobs).flatMap((job) => job.steps ?? []).find((s) => s.run === "npm run validate");
      expect(validate?.env).toEqual({ VALIDATE_REQUIRE_TERRAFORM: "true" });
    });
  });

  describe("tool versions", () => {
    const setups = allJobs.flatMap(({ wf, job, where }) => stepsUsing(job, "hashicorp/setup-terraform").map((s) => ({ wf, job, where, step: s })));
    const cdkActions = allJobs.flatMap(({ wf, job, where }) => stepsUsing(job, "hashicorp/terraform-cdk-action").map((s) => ({ wf, job, where, step: s })));

    it("installs an exact Terraform >= 1.11 (S3 use_lockfile, GA in 1.11) before every terraform-cdk-action", () => {
      expect(setups.length).toBeGreaterThan(0);
      for (const { wf, job, where, step } of setups) {
        const [version] = valuesOf(step.with?.terraform_version, wf, job);
        expect({ where, version }).toEqual({ where, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
        expect({ where, version, supported: versionAtLeast(version, MIN_TERRAFORM) }).toEqual({ where, version, supported: true });
        // The wrapper rewrites terraform's output, which cdktf parses.
        expect(String(step.with?.terraform_wrapper)).toBe("false");
      }
      for (const { job, where } of cdkActions) {
        expect({ where, setupTerraform: stepsUsing(job, "hashicorp/setup-terraform").length }).toEqual({ where, setupTerraform: 1 });
      }
    });

    it("gives terraform-cdk-action the installed Terraform version (it refuses any other) and the project's cdktf-cli", () => {
      expect(cdkActions.length).toBeGreaterThan(0);
      for (const { wf, job, where, step } of cdkActions) {
        const [installed] = valuesOf(stepsUsing(job, "hashicorp/setup-terraform")[0]?.with?.terraform_version, wf, job);
        expect({ where, terraformVersion: valuesOf(step.with?.terraformVersion, wf, job)[0] }).toEqual({ where, terraformVersion: installed });
        expect({ where, cdktfVersion: valuesOf(step.with?.cdktfVersion, wf, job)[0] }).toEqual({ where, cdktfVersion: packageJson.devDependencies["cdktf-cli"] });
      }
    });
  });
});
