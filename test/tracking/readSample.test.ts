import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileTrackingStore } from "../../src/tracking/FileTrackingStore.js";
import type { ArtifactInfo } from "../../src/tracking/entities.js";
import {
  HAVE_SAMPLE,
  SAMPLE_CHILD,
  SAMPLE_EXPERIMENT,
  SAMPLE_RUN_1,
  SAMPLE_RUN_2,
  SAMPLE_STORE,
  snapshotTree,
} from "./helpers.js";

/** Metric lines parsed independently of the store, straight from the sample files. */
function rawHistory(runId: string, key: string): [number, number, number][] {
  return readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, runId, "metrics", key), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(" ").map(Number) as [number, number, number]);
}

async function walkArtifacts(store: FileTrackingStore, runId: string, path?: string): Promise<ArtifactInfo[]> {
  const out: ArtifactInfo[] = [];
  for (const entry of await store.listArtifacts(runId, path)) {
    out.push(entry);
    if (entry.isDir) out.push(...(await walkArtifacts(store, runId, entry.path)));
  }
  return out;
}

describe.skipIf(!HAVE_SAMPLE)("reading the real MLflow 3.6 sample store", () => {
  const store = new FileTrackingStore(SAMPLE_STORE);
  let before = "";

  beforeAll(() => {
    before = snapshotTree(SAMPLE_STORE);
  });

  afterAll(() => {
    // Reading must never write into a store (the sample is a shared, read-only reference).
    expect(snapshotTree(SAMPLE_STORE)).toBe(before);
  });

  it("lists both experiments with their meta and tags", async () => {
    const experiments = await store.listExperiments("ALL");
    expect(experiments.map((e) => e.experimentId).sort()).toEqual(["0", SAMPLE_EXPERIMENT]);
    const activity = await store.getExperiment(SAMPLE_EXPERIMENT);
    expect(activity).toEqual({
      experimentId: SAMPLE_EXPERIMENT,
      name: "activity-classifier",
      artifactLocation: `file:///home/user/mlflow-ref/mlruns/${SAMPLE_EXPERIMENT}`,
      lifecycleStage: "active",
      creationTime: 1795370994052,
      lastUpdateTime: 1795370994052,
      tags: { team: "wearables", "mlflow.note.content": "Activity classifier sample" },
    });
    const def = await store.getExperimentByName("Default");
    expect(def?.experimentId).toBe("0");
    expect(def?.creationTime).toBe(1795370994041);
    expect(await store.getExperimentByName("no-such-experiment")).toBeUndefined();
  });

  it("reads every run's info, params and tags", async () => {
    const run1 = await store.getRun(SAMPLE_RUN_1);
    expect(run1.info).toEqual({
      runId: SAMPLE_RUN_1,
      experimentId: SAMPLE_EXPERIMENT,
      runName: "lgbm-run-1",
      userId: "root",
      status: "FINISHED",
      startTime: 1795370994115,
      endTime: 1795371000374,
      artifactUri: `file:///home/user/mlflow-ref/mlruns/${SAMPLE_EXPERIMENT}/${SAMPLE_RUN_1}/artifacts`,
      lifecycleStage: "active",
      deletedTime: null,
    });
    expect(run1.data.params).toEqual({ features: "accel_x,accel_y,accel_z,heart_rate", learning_rate: "0.1", num_boost_round: "10", num_leaves: "7" });
    expect(run1.data.tags).toEqual({
      attempt: "1",
      dataset: "synthetic-activity-v1",
      "mlflow.note.content": "run 1 note",
      "mlflow.runName": "lgbm-run-1",
      "mlflow.source.name": "scripts/log_sample.py",
      "mlflow.source.type": "LOCAL",
      "mlflow.user": "root",
      model_family: "lightgbm",
      stage: "dev",
    });

    const run2 = await store.getRun(SAMPLE_RUN_2);
    expect(run2.info.runName).toBe("lgbm-run-2");
    expect(run2.info.endTime).toBe(1795371006240);
    expect(run2.data.params).toEqual({ features: "accel_x,accel_y,accel_z,heart_rate", learning_rate: "0.1", num_boost_round: "20", num_leaves: "15" });
    expect(run2.data.tags.attempt).toBe("2");
    expect(run2.data.tags["mlflow.note.content"]).toBe("run 2 note");

    const child = await store.getRun(SAMPLE_CHILD);
    expect(child.info.runName).toBe("cv-fold-0");
    expect(child.info.startTime).toBe(1795371000459);
    expect(child.data.params).toEqual({ fold: "0" });
    expect(child.data.tags["mlflow.parentRunId"]).toBe(SAMPLE_RUN_2);
  });

  it("reads full metric histories in file order and picks the latest as MLflow does", async () => {
    for (const runId of [SAMPLE_RUN_1, SAMPLE_RUN_2]) {
      for (const key of ["train_logloss", "train_accuracy"]) {
        const history = await store.getMetricHistory(runId, key);
        expect(history.map((m) => [m.timestamp, m.value, m.step])).toEqual(rawHistory(runId, key));
      }
    }
    expect((await store.getMetricHistory(SAMPLE_RUN_1, "train_logloss")).length).toBe(11);
    expect((await store.getMetricHistory(SAMPLE_RUN_2, "train_logloss")).length).toBe(21);
    expect((await store.getMetricHistory(SAMPLE_CHILD, "val_accuracy")).map((m) => m.value)).toEqual([0.9, 0.92]);
    expect(await store.getMetricHistory(SAMPLE_CHILD, "never_logged")).toEqual([]);

    // The last line of train_logloss repeats step 0 (MLflow 3's log_model copy): the latest is still step 9.
    expect((await store.getRun(SAMPLE_RUN_1)).data.metrics).toEqual({ train_accuracy: 0.9866666666666667, train_logloss: 0.2474794782035343 });
    expect((await store.getRun(SAMPLE_RUN_2)).data.metrics).toEqual({ train_accuracy: 0.9866666666666667, train_logloss: 0.07874323415940282 });
    expect((await store.getRun(SAMPLE_CHILD)).data.metrics).toEqual({ val_accuracy: 0.92 });
  });

  it("lists artifacts, following the store when meta.yaml holds another machine's absolute path", async () => {
    const expected = [
      { path: "labels.json", isDir: false, fileSize: 66 },
      { path: "reports", isDir: true },
      { path: "reports/feature_importance.json", isDir: false, fileSize: readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, "artifacts/reports/feature_importance.json")).length },
      { path: "summary.txt", isDir: false, fileSize: 29 },
    ];
    expect(await walkArtifacts(store, SAMPLE_RUN_1)).toEqual(expected);
    expect((await walkArtifacts(store, SAMPLE_RUN_2)).map((a) => a.path)).toEqual(["labels.json", "reports", "reports/feature_importance.json", "summary.txt"]);
    // The child's empty artifacts folder did not survive git; an absent folder lists as empty.
    expect(await store.listArtifacts(SAMPLE_CHILD)).toEqual([]);
    const local = await store.getArtifactLocalPath(SAMPLE_RUN_1, "summary.txt");
    expect(readFileSync(local, "utf8")).toBe("accuracy=0.9867\nnum_leaves=7\n");
  });

  it("searches the sample: default order start_time DESC, filters on every entity", async () => {
    const all = await store.searchRuns({ experimentIds: [SAMPLE_EXPERIMENT] });
    expect(all.runs.map((r) => r.info.runName)).toEqual(["cv-fold-0", "lgbm-run-2", "lgbm-run-1"]);
    const byLoss = await store.searchRuns({ experimentIds: [SAMPLE_EXPERIMENT], filter: "metrics.train_logloss < 0.1" });
    expect(byLoss.runs.map((r) => r.info.runId)).toEqual([SAMPLE_RUN_2]);
    const nested = await store.searchRuns({ experimentIds: [SAMPLE_EXPERIMENT], filter: `tags.mlflow.parentRunId = '${SAMPLE_RUN_2}'` });
    expect(nested.runs.map((r) => r.info.runId)).toEqual([SAMPLE_CHILD]);
    const ordered = await store.searchRuns({ experimentIds: [SAMPLE_EXPERIMENT], orderBy: ["params.num_leaves DESC"] });
    // Params compare as text ('7' > '15'); the child has no num_leaves and goes last.
    expect(ordered.runs.map((r) => r.info.runName)).toEqual(["lgbm-run-1", "lgbm-run-2", "cv-fold-0"]);
    expect((await store.searchRuns({ experimentIds: ["0"] })).runs).toEqual([]);
  });
});
