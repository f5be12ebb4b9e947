import { App } from "cdktf";
import { loadConfig } from "./stacks/config";
import { PipelineStack } from "./stacks/pipeline-stack";
import { stateBackendFromEnv } from "./stacks/state-backend";

const app = new App();
const stateBackend = stateBackendFromEnv();
for (const config of loadConfig()) {
  new PipelineStack(app, { config, stateBackend });
}
app.synth();
