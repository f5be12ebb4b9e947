import { App, Testing } from "cdktf";
import { resolveConfig, type StageConfig } from "../../stacks/config";
import { PipelineStack } from "../../stacks/pipeline-stack";
import configFile from "../../config/stages.json";

/** The committed configuration of one stage, with optional test overrides (validated like the real thing). */
export function stageConfig(stage = "dev", overrides: Partial<StageConfig> = {}): StageConfig {
  const config = resolveConfig(configFile).find((c) => c.stage === stage);
  if (!config) throw new Error(`config/stages.json has no stage "${stage}"`);
  return { ...config, ...overrides };
}

/** A pipeline stack in a fresh test app. */
export function buildStack(stage = "dev", overrides: Partial<StageConfig> = {}): PipelineStack {
  const app: App = Testing.app();
  return new PipelineStack(app, { config: stageConfig(stage, overrides) });
}

/** Synthesized Terraform JSON of a stack, as the string cdktf's matchers take. */
export function synthStack(stage = "dev", overrides: Partial<StageConfig> = {}): string {
  return Testing.synth(buildStack(stage, overrides));
}

/** Terraform JSON as an object: `resource`, `data`, `output`, ... */
export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, Record<string, unknown>>;
  readonly terraform: Record<string, unknown>;
  readonly provider: Record<string, unknown[]>;
}

/** Parses synthesized JSON. */
export function parseSynth(synth: string): TerraformJson {
  return JSON.parse(synth) as TerraformJson;
}

/** The single resource of a type (fails when there are none or several). */
export function onlyResource(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}
