import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck } from "../../src/core/duckdb.js";
import { FeatureStore } from "../../src/featurestore/index.js";
import { loadModelUri } from "../../src/models/index.js";
import { createScoringServer, ModelSource } from "../../src/serving/index.js";
import { runCli } from "../helpers/runCli.js";
import { REPO_ROOT, tempDir } from "../helpers/paths.js";

/** The tutorial's phases 1–3 on a small synthetic project: features, training, online prediction. */
describe("larder fs → track run → serve /predict", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let project = "";
  const env = () => ({ MLFLOW_TRACKING_URI: join(project, "mlruns") });
  const larder = (...argv: string[]) => runCli(["--json", ...argv], { cwd: project, env: env() });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    project = join(dir, "activity");
    const init = await runCli(["init", project, "--participants", "6", "--days", "1", "--seed", "7"], { cwd: dir });
    expect(init.exitCode, init.stderr).toBe(0);
  });
  afterAll(() => cleanup());

  it("validates a source before apply, and applies nothing when it fails", async () => {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(project, "strict.yaml"), "columns:\n  heart_rate:\n    range:\n      min: 0\n      max: 10\n");
    const refused = await runCli(["fs", "-c", "feature_repo", "apply", "--expectations", "wearable_events=strict.yaml"], { cwd: project });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^FAIL range heart_rate/m);
    const plan = await runCli(["fs", "-c", "feature_repo", "plan"], { cwd: project });
    expect(plan.stdout).toContain("Created feature view heart_rate_stats");
    const wrongSource = await runCli(["fs", "-c", "feature_repo", "apply", "--expectations", "nope=strict.yaml"], { cwd: project });
    expect(wrongSource.exitCode).toBe(2);
  });

  it("plans, applies and lists the activity definitions", async () => {
    const plan = await runCli(["fs", "-c", "feature_repo", "plan"], { cwd: project });
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("Created feature view heart_rate_stats");
    expect(plan.stdout).toContain("Created feature service activity_model_v1");
    const apply = await runCli(
      ["fs", "-c", "feature_repo", "apply", "--expectations", `wearable_events=${join(REPO_ROOT, "examples/activity/expectations/wearable_events.yaml")}`],
      { cwd: project },
    );
    expect(apply.exitCode, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(/Source wearable_events: \d+ expectations met/);
    const again = await runCli(["fs", "-c", "feature_repo", "plan"], { cwd: project });
    expect(again.stdout).not.toContain("Created");
    const views = JSON.parse((await larder("fs", "-c", "feature_repo", "list", "feature-views")).stdout) as Array<{ name: string }>;
    expect(views.map((v) => v.name).sort()).toEqual(["heart_rate_stats", "participant_profile", "wearable_latest"]);
    const unknown = await runCli(["fs", "-c", "feature_repo", "list", "views"], { cwd: project });
    expect(unknown.exitCode).toBe(2);
    const missingRepo = await runCli(["fs", "-c", "nowhere", "plan"], { cwd: project });
    expect(missingRepo.exitCode).toBe(1);
  });

  it("builds a point-in-time training set with every label row exactly once", async () => {
    const r = await larder("fs", "-c", "feature_repo", "get-historical", "--entities", "data/activity_labels.parquet", "--feature-service", "activity_model_v1", "-o", "data/training_set.parquet");
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ output: join(project, "data/training_set.parquet"), rows: 6 * 1440 });
    await Duck.with(async (duck) => {
      const [row] = await duck.all<Record<string, unknown>>(`SELECT count(*) AS n, count(activity) AS labels, count(mean_heart_rate_300s) AS hr, count(age) AS age FROM '${join(project, "data/training_set.parquet")}'`);
      expect(row).toMatchObject({ n: 8640n, labels: 8640n });
      expect(Number(row!.hr)).toBeGreaterThan(8000);
      expect(row!.age).toBe(8640n);
    });
  });

  it("materializes and reads online features in Feast's response shape", async () => {
    const m = await larder("fs", "-c", "feature_repo", "materialize", "2024-01-01T00:00:00Z", "2025-01-07T00:00:00Z");
    expect(m.exitCode, m.stderr).toBe(0);
    expect((JSON.parse(m.stdout) as Array<{ view: string; written: number }>).map((v) => [v.view, v.written]).sort()).toEqual([
      ["heart_rate_stats", 6],
      ["participant_profile", 6],
      ["wearable_latest", 6],
    ]);
    const online = await larder("fs", "-c", "feature_repo", "get-online", "--entity", "participant_id=2", "--entity", "participant_id=99", "--features", "participant_profile:age,wearable_latest:heart_rate");
    expect(online.exitCode, online.stderr).toBe(0);
    const response = JSON.parse(online.stdout) as { metadata: { feature_names: string[] }; results: Array<{ values: unknown[]; statuses: string[] }> };
    expect(response.metadata.feature_names).toEqual(["participant_id", "age", "heart_rate"]);
    expect(response.results[0]!.values).toEqual([2, 99]);
    expect(response.results[1]!.statuses[1]).toBe("NOT_FOUND");
    expect(typeof response.results[1]!.values[0]).toBe("number");
  });

  it("trains from the feature service, and serves /predict from entity keys", async () => {
    const run = await larder(
      "track", "run", "--experiment", "activity", "--name", "feast-features", "--feature-service", "activity_model_v1",
      "--feature-repo", "feature_repo", "--entities", "data/activity_labels.parquet", "--label", "activity", "--param", "num_iterations=20",
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { runId: string; metrics: { accuracy: number }; modelUri: string };
    expect(result.metrics.accuracy).toBeGreaterThan(0.7);
    const model = await loadModelUri(result.modelUri, { trackingUri: env().MLFLOW_TRACKING_URI });
    expect(model.mlmodel?.metadata).toMatchObject({ feature_service: "activity_model_v1" });
    expect(model.featureNames).toContain("accel_magnitude_x_hr");

    // Batch scoring with the same features joined point-in-time first.
    const batch = await larder("predict", "-m", result.modelUri, "--entities", "data/activity_labels.parquet", "--feature-repo", "feature_repo", "-o", "scored.parquet");
    expect(batch.exitCode, batch.stderr).toBe(0);
    const scored = JSON.parse(batch.stdout) as { rows: number; columns: string[] };
    expect(scored.rows).toBe(6 * 1440);
    expect(scored.columns.slice(0, 3)).toEqual(["participant_id", "event_timestamp", "activity"]);
    expect(scored.columns.filter((c) => c.startsWith("prob_"))).toHaveLength(6);

    const store = await FeatureStore.open(join(project, "feature_repo"));
    const server = createScoringServer({ model: ModelSource.fixed(model), version: "t", featureStore: store });
    try {
      const base = `http://127.0.0.1:${(await server.listen(0)).port}`;
      const res = await fetch(`${base}/predict?output=label`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entities: { participant_id: [2, 99] } }) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { predictions: unknown[]; statuses: Array<{ status: string }>; features: Record<string, unknown[]> };
      expect(body.statuses.map((s) => s.status)).toEqual(["PRESENT", "NOT_FOUND"]);
      expect(typeof body.predictions[0]).toBe("string");
      expect(body.predictions[1]).toBeNull();
      expect(body.features.age![0]).not.toBeNull();
      const bad = await fetch(`${base}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: "{\"entities\": [1]}" });
      expect(bad.status).toBe(400);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
