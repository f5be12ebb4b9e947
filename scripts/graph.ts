import { App } from "cdktf";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import configFile from "../config/stages.json";
import { resolveConfig } from "../stacks/config";
import type { TerraformJson } from "../stacks/guardrails";
import { PipelineStack, stackName } from "../stacks/pipeline-stack";
import { architectureDoc, architectureMermaid, readmeSection, replaceReadmeSection } from "./graph-model";

const ROOT = path.resolve(__dirname, "..");
/** The stage the picture shows; the committed config, without environment overrides, so it is the same everywhere. */
const STAGE = "dev";

/** Where the picture goes. */
export const ARCHITECTURE_DOC = path.join(ROOT, "docs", "architecture.md");
/** The README that embeds it. */
export const README = path.join(ROOT, "README.md");

/** What `npm run graph` would write now: the doc and the README section, from a fresh synth (guardrails included). */
export function currentArchitecture(): { readonly doc: string; readonly readmeSection: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), "cdktf-graph-"));
  try {
    const app = new App({ outdir });
    const config = resolveConfig(configFile).find((c) => c.stage === STAGE);
    if (!config) throw new Error(`config/stages.json has no stage "${STAGE}"; the architecture picture shows that stage`);
    new PipelineStack(app, { config });
    app.synth();
    const name = stackName(STAGE);
    const json = JSON.parse(readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TerraformJson;
    const mermaid = architectureMermaid(json);
    return { doc: architectureDoc(mermaid, name), readmeSection: readmeSection(mermaid, name) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function main(): void {
  const { doc, readmeSection: section } = currentArchitecture();
  writeFileSync(ARCHITECTURE_DOC, doc);
  writeFileSync(README, replaceReadmeSection(readFileSync(README, "utf8"), section));
  console.log(`wrote ${path.relative(process.cwd(), ARCHITECTURE_DOC)} and the architecture section of ${path.relative(process.cwd(), README)}`);
}

if (require.main === module) main();
