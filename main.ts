import { App } from "cdktf";
import { loadConfig, readSettings } from "./stacks/config";
import { PipelineStack } from "./stacks/pipeline-stack";
import { stateBackendFromEnv } from "./stacks/state-backend";
import { finishSynth, synthFailureMessage } from "./stacks/synth-output";

const app = new App();
try {
  const [configs, stateBackend] = readSettings(loadConfig, stateBackendFromEnv);
  const stacks = configs.map((config) => new PipelineStack(app, { config, stateBackend }));
  app.synth();
  for (const warning of finishSynth(app, stacks)) console.error(`Warning: ${warning}`);
} catch (error) {
  const message = synthFailureMessage(error, app);
  if (message === undefined) throw error;
  console.error(message);
  process.exitCode = 1;
}
