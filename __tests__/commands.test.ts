import { readFileSync } from "node:fs";
import * as path from "node:path";
import packageJson from "../package.json";

const ROOT = path.resolve(__dirname, "..");
const help = readFileSync(path.join(ROOT, "help"), "utf8");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
/** The README's "Commands" section, up to the next heading. */
const commandsSection = /^## Commands\n([\s\S]*?)^#/m.exec(readme)?.[1] ?? "";
const scripts = Object.keys(packageJson.scripts);

/** How a script is run from a shell: `npm test`, `npm run synth`. */
function invocation(script: string): string {
  return script === "test" ? "npm test" : `npm run ${script}`;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the command lists users read", () => {
  it("finds the README's Commands section", () => {
    expect(commandsSection).toContain("| command | what it does |");
  });

  it.each(scripts)("help lists `%s`", (script) => {
    expect(help).toMatch(new RegExp(`^\\s+${escaped(invocation(script))}(\\s|$)`, "m"));
  });

  it.each(scripts)("the README's Commands table lists `%s`", (script) => {
    // A row's command cell holds `npm run name ...`, or `name` in a group such as `npm run diff` / `deploy`.
    expect(commandsSection).toMatch(new RegExp(`^\\|[^|\\n]*\`(${escaped(invocation(script))}|${escaped(script)})[\` ]`, "m"));
  });

  it("names no script that package.json lacks, in help or the README", () => {
    const named = [...`${help}\n${readme}`.matchAll(/npm run ([a-z][a-z:-]*)/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named)].filter((name) => !scripts.includes(name))).toEqual([]);
  });
});
