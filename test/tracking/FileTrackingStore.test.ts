import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../src/errors.js";
import { FileTrackingStore } from "../../src/tracking/FileTrackingStore.js";
import { generateRunName, newExperimentId, newRunId } from "../../src/tracking/ids.js";
import { getTrackingStore, resolveTrackingUri, uriScheme } from "../../src/tracking/trackingUri.js";
import { expectLarderError, HAVE_SAMPLE, listFiles, makeTempDir, removeTempDirs, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, SAMPLE_STORE } from "./helpers.js";

afterAll(removeTempDirs);

let root: string;
let store: FileTrackingStore;

beforeEach(() => {
  root = join(makeTempDir(), "mlruns");
  store = new FileTrackingStore(root);
});

/** Replaces ids, times, names and the store location so two meta.yaml files can be compared by shape. */
function shape(text: string, values: { rootUri: string; runId?: string; experimentId: string; runName?: string; user?: string; name?: string }): string {
  let out = text.replaceAll(values.rootUri, "<ROOT>").replaceAll(values.experimentId, "<EXP>");
  if (values.runId !== undefined) out = out.replaceAll(values.runId, "<RUN>");
  if (values.runName !== undefined) out = out.replace(`run_name: ${values.runName}\n`, "run_name: <NAME>\n");
  if (values.user !== undefined) out = out.replace(`user_id: ${values.user}\n`, "user_id: <USER>\n");
  if (values.name !== undefined) out = out.replace(`name: ${values.name}\n`, "name: <NAME>\n");
  return out.replace(/\b\d{13}\b/g, "<MS>");
}

describe("FileTrackingStore: layout and byte formats", () => {
  it("creates the root with .trash and the Default experiment 0, like MLflow", async () => {
    const experiments = await store.listExperiments();
    expect(experiments.map((e) => [e.experimentId, e.name])).toEqual([["0", "Default"]]);
    expect(existsSync(join(root, ".trash"))).toBe(true);
    expect(readFileSync(join(root, "0", "meta.yaml"), "utf8")).toMatch(
      new RegExp(`^artifact_location: ${store.uri}/0\ncreation_time: \\d{13}\nexperiment_id: '0'\nlast_update_time: \\d{13}\nlifecycle_stage: active\nname: Default\n$`),
    );
  });

  it.skipIf(!HAVE_SAMPLE)("writes experiment and run meta.yaml with the same keys, order and style as MLflow", async () => {
    const experimentId = await store.createExperiment("activity-classifier");
    expect(experimentId).toMatch(/^[1-9]\d{17}$/);
    const ours = readFileSync(join(root, experimentId, "meta.yaml"), "utf8");
    const theirs = readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, "meta.yaml"), "utf8");
    expect(shape(ours, { rootUri: store.uri, experimentId })).toBe(shape(theirs, { rootUri: "file:///home/user/mlflow-ref/mlruns", experimentId: SAMPLE_EXPERIMENT }));

    const run = await store.createRun({ experimentId, runName: "lgbm-run-1", userId: "root", tags: { "mlflow.user": "root" } });
    const runDir = join(root, experimentId, run.info.runId);
    const created = readFileSync(join(runDir, "meta.yaml"), "utf8");
    // Right after creation MLflow writes deleted_time: null, end_time: null, status 1 (RUNNING).
    expect(shape(created, { rootUri: store.uri, experimentId, runId: run.info.runId })).toBe(
      [
        "artifact_uri: <ROOT>/<EXP>/<RUN>/artifacts",
        "deleted_time: null",
        "end_time: null",
        "entry_point_name: ''",
        "experiment_id: '<EXP>'",
        "lifecycle_stage: active",
        "run_id: <RUN>",
        "run_name: lgbm-run-1",
        "source_name: ''",
        "source_type: 4",
        "source_version: ''",
        "start_time: <MS>",
        "status: 1",
        "tags: []",
        "user_id: root",
        "",
      ].join("\n"),
    );
    await store.updateRunInfo(run.info.runId, { status: "FINISHED", endTime: Date.now() });
    const ended = readFileSync(join(runDir, "meta.yaml"), "utf8");
    const sampleRun = readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, "meta.yaml"), "utf8");
    expect(shape(ended, { rootUri: store.uri, experimentId, runId: run.info.runId })).toBe(
      shape(sampleRun, { rootUri: "file:///home/user/mlflow-ref/mlruns", experimentId: SAMPLE_EXPERIMENT, runId: SAMPLE_RUN_1 }),
    );
  });

  it.skipIf(!HAVE_SAMPLE)("writes metric lines, params and tags byte-identical to the sample's", async () => {
    const experimentId = await store.createExperiment("bytes");
    const { info } = await store.createRun({ experimentId });
    const sampleLines = readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, "metrics", "train_logloss"), "utf8").split("\n").filter(Boolean);
    const metrics = sampleLines.map((line) => {
      const [ts, value, step] = line.split(" ");
      return { key: "train_logloss", timestamp: Number(ts), value: Number(value), step: Number(step) };
    });
    await store.logBatch(info.runId, { metrics });
    const runDir = join(root, experimentId, info.runId);
    expect(readFileSync(join(runDir, "metrics", "train_logloss"), "utf8")).toBe(
      readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, "metrics", "train_logloss"), "utf8"),
    );
    for (const key of ["features", "learning_rate", "num_boost_round", "num_leaves"]) {
      await store.logParam(info.runId, key, readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, "params", key), "utf8"));
      expect(readFileSync(join(runDir, "params", key))).toEqual(readFileSync(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, "params", key)));
    }
    await store.setTag(info.runId, "mlflow.note.content", "run 1 note");
    expect(readFileSync(join(runDir, "tags", "mlflow.note.content"), "utf8")).toBe("run 1 note");

    await store.logArtifactBytes(info.runId, "summary.txt", "accuracy=0.9867\nnum_leaves=7\n");
    await store.logArtifactBytes(info.runId, "labels.json", "{}");
    await store.logArtifactBytes(info.runId, "reports/feature_importance.json", "{}");
    // The same folders and files as an MLflow run (MLflow 3 also writes outputs/ for logged models).
    const sampleTree = listFiles(join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1)).filter((f) => !f.startsWith("outputs/") && !f.startsWith("metrics/train_acc") && !f.startsWith("tags/"));
    const ourTree = listFiles(runDir).filter((f) => !f.startsWith("tags/"));
    expect(ourTree).toEqual(sampleTree);
  });

  it("formats NaN, infinities, integers and tiny values as Python does; reads them back", async () => {
    const experimentId = await store.createExperiment("floats");
    const { info } = await store.createRun({ experimentId });
    const values = [NaN, Infinity, -Infinity, 3, 1e-5, 0.1];
    await store.logBatch(info.runId, { metrics: values.map((value, step) => ({ key: "m", value, timestamp: 1700000000000 + step, step })) });
    expect(readFileSync(join(root, experimentId, info.runId, "metrics", "m"), "utf8")).toBe(
      "1700000000000 nan 0\n1700000000001 inf 1\n1700000000002 -inf 2\n1700000000003 3.0 3\n1700000000004 1e-05 4\n1700000000005 0.1 5\n",
    );
    const history = await store.getMetricHistory(info.runId, "m");
    expect(Number.isNaN(history[0]!.value)).toBe(true);
    expect(history.slice(1).map((m) => m.value)).toEqual([Infinity, -Infinity, 3, 1e-5, 0.1]);
    expect((await store.getRun(info.runId)).data.metrics.m).toBe(0.1);
  });

  it("stores keys with '/' as nested folders and reads them back", async () => {
    const experimentId = await store.createExperiment("nested-keys");
    const { info } = await store.createRun({ experimentId });
    await store.logMetric(info.runId, "train/loss", 0.25, { step: 2 });
    await store.logParam(info.runId, "model/depth", "6");
    await store.setTag(info.runId, "team/owner", "ml");
    expect(readFileSync(join(root, experimentId, info.runId, "metrics", "train", "loss"), "utf8")).toMatch(/^\d{13} 0\.25 2\n$/);
    const run = await store.getRun(info.runId);
    expect(run.data.metrics["train/loss"]).toBe(0.25);
    expect(run.data.params["model/depth"]).toBe("6");
    expect(run.data.tags["team/owner"]).toBe("ml");
  });

  it("makes ids and names the way MLflow does", () => {
    for (let i = 0; i < 200; i++) {
      expect(newRunId()).toMatch(/^[0-9a-f]{32}$/);
      expect(newExperimentId()).toMatch(/^[1-9]\d{17}$/);
      const name = generateRunName();
      expect(name).toMatch(/^[a-z]+-[a-z]+-\d{1,4}$/);
      expect(name.length).toBeLessThanOrEqual(20);
    }
  });
});

describe("FileTrackingStore: runs, experiments and lifecycle", () => {
  it("creates runs with the runName tag, a generated name when none is given, and a parent tag", async () => {
    const experimentId = await store.createExperiment("runs");
    const named = await store.createRun({ experimentId, runName: "baseline" });
    expect(named.data.tags["mlflow.runName"]).toBe("baseline");
    const generated = await store.createRun({ experimentId });
    expect(generated.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(readFileSync(join(root, experimentId, generated.info.runId, "tags", "mlflow.runName"), "utf8")).toBe(generated.info.runName);
    await expectLarderError(store.createRun({ experimentId, runName: "a", tags: { "mlflow.runName": "b" } }), "INVALID_PARAMETER_VALUE", /different values/);
    await store.setTag(generated.info.runId, "mlflow.runName", "renamed");
    expect((await store.getRun(generated.info.runId)).info.runName).toBe("renamed");
    expect(readFileSync(join(root, experimentId, generated.info.runId, "meta.yaml"), "utf8")).toContain("run_name: renamed\n");
  });

  it("deletes and restores runs in place, writing deleted_time only while deleted", async () => {
    const experimentId = await store.createExperiment("lifecycle");
    const { info } = await store.createRun({ experimentId });
    const metaPath = join(root, experimentId, info.runId, "meta.yaml");
    await store.deleteRun(info.runId);
    expect(readFileSync(metaPath, "utf8")).toMatch(/\ndeleted_time: \d{13}\n[\s\S]*\nlifecycle_stage: deleted\n/);
    expect((await store.getRun(info.runId)).info.lifecycleStage).toBe("deleted");
    await expectLarderError(store.logMetric(info.runId, "x", 1), "INVALID_STATE", /must be in the 'active' state/);
    expect((await store.searchRuns({ experimentIds: [experimentId] })).runs).toEqual([]);
    expect((await store.searchRuns({ experimentIds: [experimentId], viewType: "DELETED_ONLY" })).runs.map((r) => r.info.runId)).toEqual([info.runId]);
    await store.restoreRun(info.runId);
    const restored = readFileSync(metaPath, "utf8");
    expect(restored).not.toContain("deleted_time");
    expect(restored).toContain("lifecycle_stage: active\n");
    await store.logMetric(info.runId, "x", 1);
  });

  it("moves a deleted experiment to .trash with its runs deleted, and restores all of them", async () => {
    const experimentId = await store.createExperiment("to-trash");
    const a = await store.createRun({ experimentId });
    const b = await store.createRun({ experimentId });
    await store.deleteRun(b.info.runId);
    await store.deleteExperiment(experimentId);
    expect(existsSync(join(root, experimentId))).toBe(false);
    expect(readFileSync(join(root, ".trash", experimentId, "meta.yaml"), "utf8")).toContain("lifecycle_stage: deleted\n");
    expect((await store.getRun(a.info.runId)).info.lifecycleStage).toBe("deleted");
    expect((await store.listExperiments()).map((e) => e.name)).toEqual(["Default"]);
    expect((await store.listExperiments("DELETED_ONLY")).map((e) => e.name)).toEqual(["to-trash"]);
    // The name stays taken while in .trash, with a message saying so.
    await expectLarderError(store.createExperiment("to-trash"), "RESOURCE_ALREADY_EXISTS", /deleted state/);
    await expectLarderError(store.createRun({ experimentId }), "INVALID_STATE", /deleted/);
    await store.restoreExperiment(experimentId);
    expect((await store.getRun(a.info.runId)).info.lifecycleStage).toBe("active");
    expect((await store.getRun(b.info.runId)).info.lifecycleStage).toBe("active");
    await expectLarderError(store.deleteExperiment("0"), "INVALID_PARAMETER_VALUE", /default experiment/);
  });

  it("refuses duplicate names, unknown ids and bad names", async () => {
    await store.createExperiment("dup");
    await expectLarderError(store.createExperiment("dup"), "RESOURCE_ALREADY_EXISTS", /already exists/);
    await expectLarderError(store.createExperiment(""), "INVALID_PARAMETER_VALUE");
    await expectLarderError(store.createExperiment("x".repeat(501)), "INVALID_PARAMETER_VALUE", /500/);
    await expectLarderError(store.getExperiment("123"), "RESOURCE_DOES_NOT_EXIST");
    await expectLarderError(store.getExperiment("../etc"), "INVALID_PARAMETER_VALUE");
    await expectLarderError(store.getRun("0123456789abcdef0123456789abcdef"), "RESOURCE_DOES_NOT_EXIST", /does not exist/);
    await expectLarderError(store.getRun("../../etc/passwd"), "INVALID_PARAMETER_VALUE");
    const id = await store.createExperiment("renamable");
    await store.renameExperiment(id, "renamed");
    expect((await store.getExperiment(id)).name).toBe("renamed");
    await store.setExperimentTag(id, "team", "wearables");
    expect(readFileSync(join(root, id, "tags", "team"), "utf8")).toBe("wearables");
  });
});

describe("FileTrackingStore: validation like MLflow", () => {
  it("validates keys: characters, path normalisation, length", async () => {
    const experimentId = await store.createExperiment("validation");
    const { info } = await store.createRun({ experimentId });
    for (const bad of ["../escape", "/abs", "a//b", "a/./b", "trailing/", "semi;colon", "", "x".repeat(251), "a/../b", ".", "..", "./a"]) {
      await expectLarderError(store.logMetric(info.runId, bad, 1), "INVALID_PARAMETER_VALUE");
      await expectLarderError(store.logParam(info.runId, bad, "v"), "INVALID_PARAMETER_VALUE");
      await expectLarderError(store.setTag(info.runId, bad, "v"), "INVALID_PARAMETER_VALUE");
    }
    for (const good of ["f1-score", "a b", "time:ms", "x.y_z", "ünïcode"]) await store.logMetric(info.runId, good, 1);
    expect(Object.keys((await store.getRun(info.runId)).data.metrics).sort()).toEqual(["a b", "f1-score", "time:ms", "x.y_z", "ünïcode"]);
    expect(existsSync(join(root, "escape"))).toBe(false);
  });

  it("keeps params immutable, truncates over-long values and rejects non-integer steps", async () => {
    const experimentId = await store.createExperiment("params");
    const { info } = await store.createRun({ experimentId });
    await store.logParam(info.runId, "lr", "0.1");
    await store.logParam(info.runId, "lr", "0.1");
    await expectLarderError(store.logParam(info.runId, "lr", "0.2"), "INVALID_PARAMETER_VALUE", /Changing param values is not allowed/);
    await expectLarderError(
      store.logBatch(info.runId, { params: [{ key: "d", value: "1" }, { key: "d", value: "2" }] }),
      "INVALID_PARAMETER_VALUE",
      /Duplicate/,
    );
    await store.logParam(info.runId, "long", "x".repeat(7000));
    expect(readFileSync(join(root, experimentId, info.runId, "params", "long"), "utf8").length).toBe(6000);
    await expectLarderError(store.logBatch(info.runId, { metrics: [{ key: "m", value: 1, timestamp: 1.5, step: 0 }] }), "INVALID_PARAMETER_VALUE", /timestamp/);
    await expectLarderError(store.logBatch(info.runId, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0.5 }] }), "INVALID_PARAMETER_VALUE", /step/);
    await expectLarderError(store.logBatch(info.runId, { metrics: [{ key: "m", value: "1" as unknown as number, timestamp: 1, step: 0 }] }), "INVALID_PARAMETER_VALUE");
    const many = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    await expectLarderError(store.logBatch(info.runId, { params: many }), "INVALID_PARAMETER_VALUE", /at most 100/);
    // A rejected batch writes nothing.
    expect(existsSync(join(root, experimentId, info.runId, "params", "p0"))).toBe(false);
  });

  it("deletes tags and reports missing ones", async () => {
    const experimentId = await store.createExperiment("tags");
    const { info } = await store.createRun({ experimentId });
    await store.setTag(info.runId, "k", "v");
    await store.deleteTag(info.runId, "k");
    expect((await store.getRun(info.runId)).data.tags.k).toBeUndefined();
    await expectLarderError(store.deleteTag(info.runId, "k"), "RESOURCE_DOES_NOT_EXIST");
  });
});

describe("FileTrackingStore: artifacts", () => {
  it("copies files and folders under the run's artifact root and lists them", async () => {
    const experimentId = await store.createExperiment("artifacts");
    const { info } = await store.createRun({ experimentId });
    const src = makeTempDir();
    writeFileSync(join(src, "model.txt"), "tree");
    mkdirSync(join(src, "dir", "sub"), { recursive: true });
    writeFileSync(join(src, "dir", "a.json"), "{}");
    writeFileSync(join(src, "dir", "sub", "b.txt"), "bb");
    await store.logArtifact(info.runId, join(src, "model.txt"));
    await store.logArtifact(info.runId, join(src, "model.txt"), "models/v1");
    await store.logArtifacts(info.runId, join(src, "dir"), "data");
    const artifactsDir = join(root, experimentId, info.runId, "artifacts");
    expect(listFiles(artifactsDir)).toEqual(["data/a.json", "data/sub/b.txt", "model.txt", "models/v1/model.txt"]);
    expect(await store.listArtifacts(info.runId)).toEqual([
      { path: "data", isDir: true },
      { path: "model.txt", isDir: false, fileSize: 4 },
      { path: "models", isDir: true },
    ]);
    expect(await store.listArtifacts(info.runId, "data")).toEqual([
      { path: "data/a.json", isDir: false, fileSize: 2 },
      { path: "data/sub", isDir: true },
    ]);
  });

  it("refuses artifact paths that would leave the run's artifact folder", async () => {
    const experimentId = await store.createExperiment("traversal");
    const { info } = await store.createRun({ experimentId });
    const src = makeTempDir();
    writeFileSync(join(src, "f.txt"), "x");
    const outside = makeTempDir();
    for (const bad of ["../x", "../../../etc", "a/../../b", "/tmp/abs", "a\\..\\b", "C:/win", "nul\0byte"]) {
      await expectLarderError(store.logArtifact(info.runId, join(src, "f.txt"), bad), "INVALID_PARAMETER_VALUE", /Invalid artifact path/);
      await expectLarderError(store.logArtifactBytes(info.runId, `${bad}/f.txt`, "x"), "INVALID_PARAMETER_VALUE", /Invalid artifact path/);
      await expectLarderError(store.listArtifacts(info.runId, bad), "INVALID_PARAMETER_VALUE", /Invalid artifact path/);
      await expectLarderError(store.getArtifactLocalPath(info.runId, bad), "INVALID_PARAMETER_VALUE", /Invalid artifact path/);
    }
    // A symlink planted inside the artifact folder may not be used to write outside it.
    symlinkSync(outside, join(root, experimentId, info.runId, "artifacts", "link"));
    await expectLarderError(store.logArtifact(info.runId, join(src, "f.txt"), "link"), "INVALID_PARAMETER_VALUE", /outside/);
    await expectLarderError(store.logArtifactBytes(info.runId, "link/evil.txt", "x"), "INVALID_PARAMETER_VALUE", /outside/);
    expect(listFiles(outside)).toEqual([]);
    expect(existsSync(join(root, experimentId, "x"))).toBe(false);
  });
});

describe("tracking URI resolution", () => {
  it("prefers the explicit URI, then MLFLOW_TRACKING_URI, then ./mlruns", () => {
    const saved = process.env.MLFLOW_TRACKING_URI;
    try {
      process.env.MLFLOW_TRACKING_URI = "/from/env";
      expect(resolveTrackingUri("/explicit")).toBe("/explicit");
      expect(resolveTrackingUri()).toBe("/from/env");
      delete process.env.MLFLOW_TRACKING_URI;
      expect(resolveTrackingUri()).toBe("./mlruns");
      process.env.MLFLOW_TRACKING_URI = "";
      expect(resolveTrackingUri()).toBe("./mlruns");
    } finally {
      if (saved === undefined) delete process.env.MLFLOW_TRACKING_URI;
      else process.env.MLFLOW_TRACKING_URI = saved;
    }
  });

  it("maps plain paths and file: URIs to one FileTrackingStore, and refuses servers clearly", () => {
    const dir = makeTempDir();
    const byPath = getTrackingStore(join(dir, "mlruns"));
    expect(byPath).toBeInstanceOf(FileTrackingStore);
    expect(getTrackingStore(`file://${join(dir, "mlruns")}`)).toBe(byPath);
    expect((byPath as FileTrackingStore).root).toBe(join(dir, "mlruns"));
    expect(uriScheme("C:\\runs")).toBe("");
    expect(uriScheme("https://host")).toBe("https");
    for (const uri of ["http://localhost:5000", "https://mlflow.example.com"]) {
      expect(() => getTrackingStore(uri)).toThrow(LarderError);
      try {
        getTrackingStore(uri);
      } catch (err) {
        expect((err as LarderError).code).toBe("NOT_IMPLEMENTED");
        expect((err as LarderError).message).toMatch(/not support remote tracking servers yet/);
      }
    }
    expect(() => getTrackingStore("s3://bucket/x")).toThrow(/Unsupported tracking URI scheme 's3:'/);
  });
});

describe("search cache", () => {
  /** Pretends the run was last changed long ago, so its cache entry counts as settled. */
  function age(runDir: string): void {
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(runDir, "meta.yaml"), past, past);
  }

  it("serves settled runs from the cache and re-reads a run after any Larder write to it", async () => {
    const experimentId = await store.createExperiment("cache");
    const { info } = await store.createRun({ experimentId });
    const runDir = join(root, experimentId, info.runId);
    await store.logMetric(info.runId, "acc", 0.5);
    await store.logParam(info.runId, "note", "old");
    await store.updateRunInfo(info.runId, { status: "FINISHED", endTime: Date.now() });
    age(runDir);
    expect((await store.searchRuns({ experimentIds: [experimentId], filter: "metrics.acc > 0.6" })).runs).toHaveLength(0);
    const cacheFile = join(root, experimentId, ".larder-search-cache.json");
    expect(existsSync(cacheFile)).toBe(true);

    // Proof the cache is used: an edit behind the store's back (without touching meta.yaml) is not seen.
    writeFileSync(join(runDir, "params", "note"), "edited");
    expect((await store.searchRuns({ experimentIds: [experimentId] })).runs[0]!.data.params.note).toBe("old");

    // A second store instance stands in for another process writing through Larder.
    const other = new FileTrackingStore(root);
    await other.logMetric(info.runId, "acc", 0.9, { step: 1 });
    expect((await store.searchRuns({ experimentIds: [experimentId], filter: "metrics.acc > 0.6" })).runs).toHaveLength(1);
    expect((await store.searchRuns({ experimentIds: [experimentId] })).runs[0]!.data.params.note).toBe("edited");
    age(runDir);
    await other.setTag(info.runId, "stage", "prod");
    expect((await store.searchRuns({ experimentIds: [experimentId], filter: "tags.stage = 'prod'" })).runs).toHaveLength(1);
    age(runDir);
    await other.logParam(info.runId, "depth", "3");
    expect((await store.searchRuns({ experimentIds: [experimentId], filter: "params.depth = '3'" })).runs).toHaveLength(1);
    age(runDir);
    await other.deleteRun(info.runId);
    expect((await store.searchRuns({ experimentIds: [experimentId] })).runs).toHaveLength(0);
    // A corrupt cache is ignored and rebuilt.
    writeFileSync(cacheFile, "{ not json");
    expect((await store.searchRuns({ experimentIds: [experimentId], viewType: "ALL" })).runs).toHaveLength(1);
    expect(JSON.parse(readFileSync(cacheFile, "utf8")).runs).toHaveLength(1);
  });
});
