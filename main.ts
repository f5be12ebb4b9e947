import { App } from "cdktf";
import { loadConfig } from "./stacks/config";
import { PipelineStack } from "./stacks/pipeline-stack";
import { stateBackendFromEnv } from "./stacks/state-backend";
import { removeStaleStackFiles } from "./stacks/synth-output";

const app = new App();
const stateBackend = stateBackendFromEnv();
for (const config of loadConfig()) {
  new PipelineStack(app, { config, stateBackend });
}
app.synth();
removeStaleStackFiles(app.outdir);
