import { CONTEXT_ENV } from "cdktf";

/**
 * This process's environment without what a developer's shell may hold that changes what the app
 * or a script synthesizes or prints: stage overrides (`PIPELINE_*`), the state backend
 * (`TF_STATE_*`) and the cdktf CLI's context. Tests that start the app or a script pass this on.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TF_STATE_|PIPELINE_)/.test(name) && name !== CONTEXT_ENV));
}
