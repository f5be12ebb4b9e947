import { App, CONTEXT_ENV } from "cdktf";
import { ConfigError, loadConfig } from "./stacks/config";
import { PipelineStack } from "./stacks/pipeline-stack";
import { stateBackendFromEnv } from "./stacks/state-backend";
import { readManifest, removeStaleStackFiles, stackWarnings } from "./stacks/synth-output";

try {
  const app = new App();
  const stateBackend = stateBackendFromEnv();
  for (const config of loadConfig()) {
    new PipelineStack(app, { config, stateBackend });
  }
  app.synth();
  const manifest = readManifest(app.outdir);
  removeStaleStackFiles(app.outdir, manifest);
  // Under the cdktf CLI (which sets the context variable) the CLI prints them itself.
  if (process.env[CONTEXT_ENV] === undefined) for (const warning of stackWarnings(app.outdir, manifest)) console.error(`Warning: ${warning}`);
} catch (error) {
  // A configuration mistake is the user's to fix: its message lists every problem and the fix, no stack trace.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
