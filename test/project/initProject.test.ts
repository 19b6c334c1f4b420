import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/runCli.js";
import { tempDir } from "../helpers/paths.js";

describe("larder init", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("scaffolds the feature repo, data and README", async () => {
    const r = await runCli(["init", "proj", "--participants", "3", "--days", "1", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(r.stdout) as { dir: string; files: string[]; data: { rows: Record<string, number> } };
    expect(result.dir).toBe(join(dir, "proj"));
    expect(result.data.rows.participants).toBe(3);
    for (const f of ["feature_repo/feature_store.yaml", "feature_repo/features.ts", "README.md", "data/wearable_events.parquet", "data/participants.parquet", "data/activity_labels.parquet"]) {
      expect(existsSync(join(dir, "proj", f)), f).toBe(true);
    }
    const config = parse(await readFile(join(dir, "proj/feature_repo/feature_store.yaml"), "utf8")) as Record<string, unknown>;
    expect(config).toMatchObject({ project: "activity", provider: "local", offline_store: { type: "duckdb" }, online_store: { type: "lmdb" } });
    const features = await readFile(join(dir, "proj/feature_repo/features.ts"), "utf8");
    expect(features).toContain('from "larder"');
    expect(features).toContain('name: "activity_model_v1"');
    expect(await readFile(join(dir, "proj/README.md"), "utf8")).toContain("larder fs -c feature_repo apply");
  });

  it("refuses a non-empty folder without --force (exit 1, hint names --force)", async () => {
    await mkdir(join(dir, "busy"));
    await writeFile(join(dir, "busy", "keep.txt"), "mine");
    const r = await runCli(["init", "busy", "--participants", "1", "--days", "1"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: .*busy is not empty$/m);
    expect(r.stderr).toMatch(/^hint: .*--force/m);
    expect(existsSync(join(dir, "busy", "feature_repo"))).toBe(false);
    const forced = await runCli(["init", "busy", "--participants", "1", "--days", "1", "--force"], { cwd: dir });
    expect(forced.exitCode).toBe(0);
    expect(await readFile(join(dir, "busy", "keep.txt"), "utf8")).toBe("mine");
    expect(existsSync(join(dir, "busy", "feature_repo", "features.ts"))).toBe(true);
  });
});
