import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/paths.js";

const bin = join(REPO_ROOT, "bin", "larder.js");

// `npm test` builds dist/ first; the binary is what `npx larder` runs.
describe.runIf(existsSync(join(REPO_ROOT, "dist", "cli", "main.js")))("bin/larder.js (compiled, as a subprocess)", () => {
  it("prints help and exits 0", () => {
    const r = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: larder");
  });

  it("sets the exit code of a usage error to 2 and keeps stdout clean", () => {
    const r = spawnSync(process.execPath, [bin, "fss"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Did you mean 'larder fs'?");
  });

  it("does not load DuckDB for --help", () => {
    const r = spawnSync(process.execPath, ["-e", `
      const before = new Set(Object.keys(require.cache));
      import(${JSON.stringify(join(REPO_ROOT, "dist", "cli", "main.js"))}).then(async ({ main }) => {
        const io = { stdout: { write() {} }, stderr: { write() {} }, env: {}, cwd: process.cwd() };
        await main(["--help"], io);
        const required = Object.keys(require.cache).filter((k) => !before.has(k) && /duckdb|lmdb|ora|cli-table3|cli-progress/.test(k));
        console.log(JSON.stringify({ required }));
      });
    `], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ required: [] });
  });
});
