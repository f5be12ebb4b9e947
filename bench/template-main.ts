// The cdktf TypeScript template's default shape, for `bench/synth.ts` only: the provider's root
// barrel import, run by ts-node with type-checking. Never used by the real app.
import * as aws from "@cdktf/provider-aws";
import { App } from "cdktf";
import { loadConfig } from "../stacks/config";
import { PipelineStack } from "../stacks/pipeline-stack";

void aws.provider.AwsProvider;
const app = new App();
for (const config of loadConfig()) new PipelineStack(app, { config });
app.synth();
