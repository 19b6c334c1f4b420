import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getModelRegistry } from "../../src/registry/index.js";
import { runCli } from "../helpers/runCli.js";
import { REPO_ROOT, tempDir } from "../helpers/paths.js";

const script = join(REPO_ROOT, "examples", "activity", "ci.sh");
const larder = `node ${join(REPO_ROOT, "bin", "larder.js")}`;

// `npm test` builds dist/ first; the script drives the compiled CLI as a CI job would.
describe.runIf(existsSync(join(REPO_ROOT, "dist", "cli", "main.js")))("examples/activity/ci.sh", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let project = "";
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    project = join(dir, "activity");
    expect((await runCli(["init", project, "--participants", "6", "--days", "1", "--seed", "3"], { cwd: dir })).exitCode).toBe(0);
  });
  afterAll(() => cleanup());
  const ci = (env: Record<string, string>) =>
    spawnSync("bash", [script, project], {
      encoding: "utf8",
      env: { ...process.env, LARDER: larder, MLFLOW_TRACKING_URI: join(project, "mlruns"), ...env },
    });

  it("validates, trains, passes the gates and promotes version 1", async () => {
    const r = ci({});
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("activity_classifier version 1 is in Production");
    const [production] = await getModelRegistry(join(project, "mlruns")).getLatestVersions("activity_classifier", ["Production"]);
    expect(production?.version).toBe(1);
  });

  it("stops at the gate when the model is not good enough, leaving Production alone", async () => {
    const r = ci({ MIN_F1: "0.9999" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/metrics\.f1_macro >= 0\.9999/);
    const registry = getModelRegistry(join(project, "mlruns"));
    expect((await registry.getLatestVersions("activity_classifier", ["Production"]))[0]?.version).toBe(1);
    expect((await registry.getModelVersion("activity_classifier", 2)).currentStage).toBe("None");
  });

  it("stops before training when the training data fails its expectations", async () => {
    const r = spawnSync("bash", ["-c", `${larder} track run --experiment x --train data/activity_labels.parquet --label activity --expectations ${join(REPO_ROOT, "examples/activity/expectations/training_set.yaml")}`], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, MLFLOW_TRACKING_URI: join(project, "mlruns") },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fails \d+ expectation\(s\)/);
  });
});
