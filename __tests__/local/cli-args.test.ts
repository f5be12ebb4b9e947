import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { CLI_FLAGS, parseArgs, USAGE, UsageError } from "../../local/args";
import { flagsNpmTook, runCli } from "../../local/cli";
import packageJson from "../../package.json";

const dir = mkdtempSync(path.join(tmpdir(), "cli-args-"));
const csv = path.join(dir, "orders.csv");
writeFileSync(csv, "order_id\n");
mkdirSync(path.join(dir, "other"));
writeFileSync(path.join(dir, "other", "orders.csv"), "order_id\n");
writeFileSync(path.join(dir, "-dash.csv"), "order_id\n");

function captured() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = (s: PassThrough) => () => (s.read() as Buffer | null)?.toString() ?? "";
  return { io: { stdout, stderr }, out: text(stdout), err: text(stderr) };
}

describe("parseArgs", () => {
  it("reads flags and files in argument order", () => {
    const args = parseArgs(["local", "--json", "--keep", "orders.csv"], dir);
    expect(args).toMatchObject({ command: "local", json: true, keep: true, resume: false, synth: true, files: [csv] });
  });

  it("treats --replay-failed as a resume that needs no files", () => {
    expect(parseArgs(["local", "--replay-failed"], dir)).toMatchObject({ resume: true, replayFailed: true, files: [] });
  });

  it.each([
    [["local"], "no files given: name at least one order file"],
    [["local", "missing.csv"], `missing.csv: no such file (looked for ${path.join(dir, "missing.csv")})`],
    [["local", "-dash.csv"], "unknown option -dash.csv (a file? write ./-dash.csv)"],
    [["local", "other"], "other: is a directory, not a file"],
    [["local", ""], "an empty file name (an unset shell variable?): name each file"],
    [["local", "--jsn", "orders.csv"], "unknown option --jsn"],
    [["local", "orders.csv", "other/orders.csv"], "orders.csv and other/orders.csv would both be uploaded as incoming/orders.csv"],
    [["demo", "orders.csv"], "demo takes no files"],
    [["deploy"], 'unknown command "deploy"'],
  ])("fails for %j", (argv, message) => {
    expect(() => parseArgs(argv, dir)).toThrow(UsageError);
    expect(() => parseArgs(argv, dir)).toThrow(message);
  });

  it("fails when a basename is longer than the 226 UTF-8 bytes the local S3 can store, and says real S3 allows it", () => {
    // 111 two-byte characters + "x.csv": 116 characters, 227 bytes.
    const name = `${"é".repeat(111)}x.csv`;
    writeFileSync(path.join(dir, name), "order_id\n");
    expect(() => parseArgs(["local", name], dir)).toThrow(
      `${name}: its name is 227 UTF-8 bytes; the local S3 (s3rver) stores an object in files named after it and takes at most 226 (real S3 allows keys up to 1024); rename it to run it locally`,
    );
  });

  it("accepts a basename of exactly 226 UTF-8 bytes", () => {
    const name = `${"é".repeat(111)}.csv`;
    writeFileSync(path.join(dir, name), "order_id\n");
    expect(parseArgs(["local", name], dir).files).toEqual([path.join(dir, name)]);
  });

  it("reports every bad argument at once", () => {
    expect(() => parseArgs(["local", "a.csv", "/b.csv"], dir)).toThrow(`a.csv: no such file (looked for ${path.join(dir, "a.csv")}); /b.csv: no such file`);
  });
});

describe("runCli", () => {
  it("exits with code 2, the problem and the usage when a file is missing", async () => {
    const { io, out, err } = captured();
    const code = await runCli(["local", path.join(dir, "nope.csv")], io);
    expect(code).toBe(2);
    expect(err()).toMatch(/^error: .*nope\.csv: no such file\n\nusage: npm run demo/);
    expect(out()).toBe("");
  });

  it("exits with code 2 when a directory is given", async () => {
    const { io, err } = captured();
    expect(await runCli(["local", dir], io)).toBe(2);
    expect(err()).toContain("is a directory, not a file");
  });

  it("exits with code 2 when no files are given", async () => {
    const { io, err } = captured();
    expect(await runCli(["local", "--json"], io)).toBe(2);
    expect(err()).toContain("no files given");
  });

  it("exits with code 2 when there is no --keep run to resume", async () => {
    const { io, err } = captured();
    const stateDir = mkdtempSync(path.join(tmpdir(), "cli-state-"));
    expect(await runCli(["local", "--resume", csv], io, { stateDir })).toBe(2);
    expect(err()).toContain("nothing to resume");
  });
});

describe("runCli's lock on the state directory", () => {
  const noStack = path.join(dir, "no-such-stack");

  it("refuses with exit 2 while another live run holds the lock, and leaves its state alone", async () => {
    // Prepare: a live process holds the lock.
    const stateDir = mkdtempSync(path.join(tmpdir(), "cli-state-"));
    const other = spawn(process.execPath, ["-e", "setTimeout(() => undefined, 60000)"]);
    writeFileSync(path.join(stateDir, ".lock"), `${other.pid}\n`);
    writeFileSync(path.join(stateDir, "session.json"), "{}\n");
    const { io, err } = captured();
    try {
      // Act
      const code = await runCli(["local", "--no-synth", csv], io, { stateDir, stackDir: noStack });

      // Assess
      expect(code).toBe(2);
      expect(err()).toBe(`error: another run (pid ${other.pid}) is using ${stateDir}; stop it or wait for it to end\n`);
      expect(readFileSync(path.join(stateDir, ".lock"), "utf8")).toBe(`${other.pid}\n`);
      expect(existsSync(path.join(stateDir, "session.json"))).toBe(true);
    } finally {
      other.kill();
    }
  });

  it("takes over a lock whose run is gone, and releases it at the end", async () => {
    // Prepare: the lock of a process that has exited.
    const stateDir = mkdtempSync(path.join(tmpdir(), "cli-state-"));
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(path.join(stateDir, ".lock"), `${gone}\n`);
    const { io, err } = captured();

    // Act
    const code = await runCli(["local", "--no-synth", csv], io, { stateDir, stackDir: noStack });

    // Assess: the run went on (and failed later, for want of a stack).
    expect(code).toBe(1);
    expect(err()).toContain("cdk.tf.json does not exist");
    expect(existsSync(path.join(stateDir, ".lock"))).toBe(false);
  });
});

describe("runCli interrupted during the synth", () => {
  it("exits with code 130 and says interrupted when the synth dies of SIGINT (Ctrl-C reaches it too)", async () => {
    // Prepare: a project whose main.ts is stopped by SIGINT, as Ctrl-C stops npm run synth.
    const root = mkdtempSync(path.join(tmpdir(), "cli-root-"));
    symlinkSync(path.join(__dirname, "../../node_modules"), path.join(root, "node_modules"));
    writeFileSync(path.join(root, "main.ts"), 'process.kill(process.pid, "SIGINT");\nsetTimeout(() => undefined, 10000);\n');
    const { io, err } = captured();

    // Act
    const code = await runCli(["local", csv], io, { root, stateDir: path.join(root, ".local") });

    // Assess
    expect(code).toBe(130);
    expect(err()).toBe("synthesizing (npm run synth) ...\nSIGINT: interrupted during npm run synth\n");
  });
});

describe("the runner's usage", () => {
  const repo = path.join(__dirname, "../..");
  const help = readFileSync(path.join(repo, "help"), "utf8");
  const readme = readFileSync(path.join(repo, "README.md"), "utf8");
  const localSection = /^## Run it locally[\s\S]*?^### What is provisioned/m.exec(readme)?.[0] ?? "";
  const accepted = [...CLI_FLAGS, "--help"];

  it.each([["--help"], ["-h"]])("prints the usage on stdout and exits 0 for %s, whatever else the line holds", async (flag) => {
    const { io, out, err } = captured();
    expect(await runCli(["local", flag, "nope.csv"], io)).toBe(0);
    expect(out()).toBe(`${USAGE}\n`);
    expect(err()).toBe("");
  });

  it("names exactly the flags the parser accepts, and every exit code", () => {
    expect([...new Set(USAGE.match(/--[a-z][a-z-]*/g))].sort()).toEqual([...accepted].sort());
    expect(USAGE).toMatch(/\b0 .*\b1 .*\b2 .*\b130 interrupted/s);
  });

  it.each(accepted)("help and the README's local-run section name %s", (flag) => {
    expect(help).toContain(flag);
    expect(localSection).toContain(`\`${flag}\``);
  });

  it("help names every exit code of the runner", () => {
    expect(help).toMatch(/exit codes:\s+0 .*1 .*2 .*130 interrupted/s);
  });
});

describe("flagsNpmTook", () => {
  it("gives back the flags npm read as its own config because they came before --", () => {
    expect(flagsNpmTook({ npm_config_json: "true", npm_config_keep: "true", npm_config_resume: "true", npm_config_replay_failed: "true", npm_config_synth: "" })).toEqual([
      "--json",
      "--keep",
      "--resume",
      "--replay-failed",
      "--no-synth",
    ]);
    expect(flagsNpmTook({ npm_config_json: "", npm_config_cache: "/tmp/npm" })).toEqual([]);
  });
});

describe("npm run local, through npm itself", () => {
  const repo = path.join(__dirname, "../..");
  // Run npm as a user would, without the npm_config_* variables of the npm that runs jest, so the
  // project's .npmrc and the command line decide.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_config_")));
  const npm = (args: readonly string[], cwd = repo) => spawnSync("npm", ["run", ...args], { cwd, env, encoding: "utf8" });

  it("leaves stdout to the command: npm's '> script' banner does not land there", () => {
    // The contract: with --json, stdout holds only a JSON array.
    const run = npm(["local", "--", "--json", path.join(dir, "nope.csv")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("nope.csv: no such file");
    expect(run.stdout).toBe("");
  });

  it("resolves FILE from the directory the command was typed in, not the project root npm runs it from", () => {
    // samples/orders.csv exists; from the root, orders.csv does not. Naming it twice stops the run before anything starts.
    const run = npm(["local", "--", "orders.csv", "orders.csv"], path.join(repo, "samples"));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("orders.csv and orders.csv would both be uploaded as incoming/orders.csv");
  });

  it("passes on a flag npm took because it came before --, and says how to write it", () => {
    const run = npm(["local", "--json", path.join(dir, "nope.csv")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('note: npm took --json for itself (they came before "--"); passing them on. Next time write: npm run <demo|local> -- --json ...');
  });
});

describe("the demo and local scripts", () => {
  it.each(["demo", "local"] as const)("%s replaces npm's shell with node (exec), so SIGTERM to npm reaches the runner", (script) => {
    // npm signals only its `sh -c` child; without exec the runner and its ports outlive a SIGTERM.
    expect(packageJson.scripts[script]).toMatch(/^exec node /);
  });
});
