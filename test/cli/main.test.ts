import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.js";
import { REPO_ROOT, tempDir } from "../helpers/paths.js";

const pkg = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, "utf8")) as { version: string };

describe("larder CLI frame", () => {
  it("prints help listing every command group, exit 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.exitCode).toBe(0);
    for (const group of ["init", "datagen", "fs", "track", "registry", "serve", "predict"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${group}\\b`, "m"));
    }
    expect(r.stdout).toContain("--json");
    expect(r.stderr).toBe("");
  });

  it("prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("prints group help with exit 0", async () => {
    const r = await runCli(["datagen", "--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("wearable");
    expect(r.stdout).toContain("import-aw-fb");
  });

  it("exits 2 with help on stderr when no command is given", async () => {
    const r = await runCli([]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: larder");
  });

  it("suggests the nearest command for a typo, in one error line plus a hint", async () => {
    const r = await runCli(["datagn"]);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("error: unknown command 'datagn'");
    expect(lines[1]).toContain("Did you mean 'larder datagen'?");
  });

  it("suggests subcommands inside a group", async () => {
    const r = await runCli(["datagen", "wearabel"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Did you mean 'larder datagen wearable'?");
  });

  it("gives no suggestion when nothing is close", async () => {
    const r = await runCli(["zzzzzzzz"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).not.toContain("Did you mean");
  });

  it("treats bad option values and unknown options as usage errors (exit 2)", async () => {
    const bad = await runCli(["datagen", "wearable", "--participants", "many"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*--participants must be an integer/m);
    const unknown = await runCli(["datagen", "wearable", "--participant", "3"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("Did you mean --participants?");
    const format = await runCli(["datagen", "wearable", "--format", "xlsx"]);
    expect(format.exitCode).toBe(2);
    expect(format.stderr).toContain("--format must be one of parquet, csv");
  });

  it("prints a group's help on stderr and exits 2 when its subcommand is missing", async () => {
    for (const group of ["fs", "track", "registry"]) {
      const r = await runCli([group]);
      expect(r.exitCode, group).toBe(2);
      expect(r.stderr).toContain(`Usage: larder ${group}`);
    }
  });

  describe("runtime errors", () => {
    it("print one line and a hint, no stack, exit 1", async () => {
      const r = await runCli(["datagen", "import-aw-fb", "/definitely/not/here.csv", "-o", "/tmp/x"]);
      expect(r.exitCode).toBe(1);
      const errorLines = r.stderr.split("\n").filter((l) => l.startsWith("error:") || l.startsWith("hint:"));
      expect(errorLines).toEqual([
        "error: File not found: /definitely/not/here.csv",
        "hint: Pass the path of aw_fb_data.csv, e.g. ../shared/datasets/aw_fb/aw_fb_data.csv.",
      ]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it("print the stack with --debug", async () => {
      const r = await runCli(["--debug", "datagen", "import-aw-fb", "/definitely/not/here.csv"]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/\n\s+at /);
    });

    it("also go to stdout as JSON with --json", async () => {
      const r = await runCli(["--json", "datagen", "import-aw-fb", "/definitely/not/here.csv"]);
      expect(r.exitCode).toBe(1);
      const parsed = JSON.parse(r.stdout) as { error: { error_code: string; message: string } };
      expect(parsed.error.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    });
  });

  describe("with a temp folder", () => {
    let dir = "";
    let cleanup: () => Promise<void> = async () => {};
    beforeAll(async () => ({ dir, cleanup } = await tempDir()));
    afterAll(() => cleanup());

    it("--json output parses, and global flags work after the subcommand", async () => {
      const r = await runCli(["datagen", "wearable", "--participants", "2", "--days", "1", "-o", "gen", "--json"], { cwd: dir });
      expect(r.exitCode).toBe(0);
      const summary = JSON.parse(r.stdout) as { rows: Record<string, number>; files: Record<string, string> };
      expect(summary.rows.participants).toBe(2);
      expect(summary.rows.activity_labels).toBe(2 * 1440);
      expect(summary.files.wearable_events).toBe(`${dir}/gen/wearable_events.parquet`);
    });

    it("writes plain text without colour or spinner frames when not a TTY", async () => {
      const r = await runCli(["datagen", "wearable", "--participants", "1", "--days", "1", "-o", "plain", "--format", "csv"], { cwd: dir });
      expect(r.exitCode).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/\u001b\[/);
      expect(r.stdout).toContain("| wearable_events |");
      expect(r.stderr).toContain("done: Generated");
    });

    it("--quiet silences stderr messages", async () => {
      const r = await runCli(["--quiet", "datagen", "wearable", "--participants", "1", "--days", "1", "-o", "quiet"], { cwd: dir });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe("");
    });

    it("NO_COLOR turns colour off even on a TTY", async () => {
      const r = await runCli(["zzzzzzzz"], { tty: true, env: { NO_COLOR: "1" } });
      expect(r.stderr).not.toMatch(/\u001b\[/);
      const colored = await runCli(["zzzzzzzz"], { tty: true, env: {} });
      expect(colored.stderr).toMatch(/\u001b\[/);
    });
  });
});
