import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as tracking from "../../src/tracking/index.js";
import { makeTempDir, removeTempDirs } from "./helpers.js";

afterAll(removeTempDirs);

describe("library functions (src/tracking/index.ts)", () => {
  it("run a whole tracking session: experiment, nested runs, values, artifacts, search, lifecycle", async () => {
    const trackingUri = join(makeTempDir(), "mlruns");
    const opts = { trackingUri };
    const parent = await tracking.startRun({ ...opts, experimentName: "activity", runName: "grid", description: "grid search" });
    const experiment = await tracking.getExperimentByName("activity", opts);
    expect(experiment?.experimentId).toBe(parent.info.experimentId);
    expect(parent.data.tags).toMatchObject({
      "mlflow.runName": "grid",
      "mlflow.source.type": "LOCAL",
      "mlflow.note.content": "grid search",
      "mlflow.user": tracking.currentUser(),
    });
    expect(parent.info.userId).toBe(tracking.currentUser());

    const children = [];
    for (const [i, leaves] of [15, 31, 63].entries()) {
      const child = await tracking.startRun({ ...opts, experimentName: "activity", runName: `trial-${i}`, parentRunId: parent.info.runId });
      await tracking.logParams(child.info.runId, { num_leaves: leaves, learning_rate: 0.1 }, opts);
      for (let step = 0; step < 3; step++) await tracking.logMetric(child.info.runId, "valid_logloss", 1 / (step + 1 + i), { ...opts, step });
      await tracking.logMetrics(child.info.runId, { f1_macro: 0.8 + i / 100, accuracy: 0.9 }, opts);
      await tracking.endRun(child.info.runId, "FINISHED", opts);
      children.push(child.info.runId);
    }
    await tracking.setTag(parent.info.runId, "best_child", children[2]!, opts);
    const file = join(makeTempDir(), "report.json");
    writeFileSync(file, '{"ok": true}');
    await tracking.logArtifact(parent.info.runId, file, { ...opts, artifactPath: "reports" });
    await tracking.logText(parent.info.runId, "stdout text", "logs/stdout.txt", opts);
    expect((await tracking.listArtifacts(parent.info.runId, opts)).map((a) => a.path)).toEqual(["logs", "reports"]);
    expect(readFileSync(await tracking.getArtifactLocalPath(parent.info.runId, { ...opts, path: "reports/report.json" }), "utf8")).toBe('{"ok": true}');
    await tracking.endRun(parent.info.runId, "FAILED", opts);

    const found = await tracking.searchRuns({
      ...opts,
      experimentNames: ["activity"],
      filter: `tags.mlflow.parentRunId = '${parent.info.runId}' and params.num_leaves != '15'`,
      orderBy: ["metrics.f1_macro DESC"],
    });
    expect(found.runs.map((r) => r.info.runName)).toEqual(["trial-2", "trial-1"]);
    expect(found.runs[0]!.data.params).toEqual({ num_leaves: "63", learning_rate: "0.1" });
    expect((await tracking.getMetricHistory(children[0]!, "valid_logloss", opts)).map((m) => m.step)).toEqual([0, 1, 2]);
    expect((await tracking.getRun(parent.info.runId, opts)).info.status).toBe("FAILED");

    await tracking.deleteRun(children[0]!, opts);
    expect((await tracking.searchRuns({ ...opts, experimentIds: [parent.info.experimentId] })).runs).toHaveLength(3);
    await tracking.restoreRun(children[0]!, opts);
    await tracking.deleteExperiment(parent.info.experimentId, opts);
    expect((await tracking.listExperiments(opts)).map((e) => e.name)).toEqual(["Default"]);
    await expect(tracking.startRun({ ...opts, experimentName: "activity" })).rejects.toThrow(/deleted/);
    await tracking.restoreExperiment(parent.info.experimentId, opts);
    await expect(tracking.searchRuns({ ...opts, experimentNames: ["missing"] })).rejects.toThrow(/Experiment 'missing' does not exist/);
    await expect(tracking.startRun({ ...opts, parentRunId: "0123456789abcdef0123456789abcdef" })).rejects.toThrow(/does not exist/);
  });

  it("uses MLFLOW_TRACKING_URI and the Default experiment when nothing is given", async () => {
    const saved = process.env.MLFLOW_TRACKING_URI;
    const root = join(makeTempDir(), "env-store");
    process.env.MLFLOW_TRACKING_URI = `file://${root}`;
    try {
      const run = await tracking.startRun();
      expect(run.info.experimentId).toBe("0");
      expect(run.info.artifactUri).toBe(`file://${root}/0/${run.info.runId}/artifacts`);
      await tracking.logMetric(run.info.runId, "x", 1);
      expect(readFileSync(join(root, "0", run.info.runId, "metrics", "x"), "utf8")).toMatch(/^\d{13} 1\.0 0\n$/);
      const id = await tracking.createExperiment("by-env");
      expect((await tracking.getExperiment(id)).name).toBe("by-env");
    } finally {
      if (saved === undefined) delete process.env.MLFLOW_TRACKING_URI;
      else process.env.MLFLOW_TRACKING_URI = saved;
    }
  });
});
