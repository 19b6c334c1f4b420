import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.js";
import { tempDir } from "../helpers/paths.js";

/** A run trained from a feature service read a training set that no longer exists on disk. */
describe("monitor drift against a run trained from a feature service", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let project = "";
  const larder = (...argv: string[]) => runCli(["--json", ...argv], { cwd: project, env: { MLFLOW_TRACKING_URI: join(project, "mlruns") } });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    project = join(dir, "activity");
    expect((await runCli(["init", project, "--participants", "4", "--days", "1", "--seed", "3"], { cwd: dir })).exitCode).toBe(0);
    expect((await larder("fs", "-c", "feature_repo", "apply")).exitCode).toBe(0);
  });
  afterAll(() => cleanup());

  it("rebuilds the point-in-time training set from the run's tags", async () => {
    const run = await larder(
      "track", "run", "--experiment", "activity", "--feature-service", "activity_model_v1", "--feature-repo", "feature_repo",
      "--entities", "data/activity_labels.parquet", "--label", "activity", "--param", "num_iterations=5",
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const { runId } = JSON.parse(run.stdout) as { runId: string };
    const built = await larder("fs", "-c", "feature_repo", "get-historical", "--entities", "data/activity_labels.parquet", "--feature-service", "activity_model_v1", "-o", "data/training_set.parquet");
    expect(built.exitCode, built.stderr).toBe(0);

    const drift = await larder("monitor", "drift", "--reference", `runs:/${runId}`, "--current", "data/training_set.parquet");
    expect(drift.exitCode, drift.stderr).toBe(0);
    const report = JSON.parse(drift.stdout) as { reference: string; features: Array<{ feature: string; psi: number; ks?: { statistic: number } }> };
    expect(report.reference).toBe(`runs:/${runId} (training set of feature service activity_model_v1, rebuilt)`);
    expect(report.features.length).toBeGreaterThan(3);
    // The same point-in-time join over the same data: identical distributions.
    for (const f of report.features) expect(f.psi, f.feature).toBe(0);
  });
});
