import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { loadModelUri, metricKeyPart, trainRun } from "../../src/models/index.js";
import { getMetricHistory, getRun, listArtifacts, getArtifactLocalPath, searchRuns } from "../../src/tracking/index.js";
import { tempDir } from "../helpers/paths.js";

/** Three classes separable by x and y, with a text column and noise. */
async function writeDataset(path: string, rows: number, seed: number): Promise<void> {
  const rng = new SeededRandom(seed);
  const lines = ["x,y,colour,participant_id,label"];
  for (let i = 0; i < rows; i++) {
    const label = i % 3;
    const x = label + rng.normal(0, 0.35);
    const y = (label === 2 ? 1 : 0) + rng.normal(0, 0.35);
    const colour = ["red", "green", "blue"][(label + (rng.chance(0.2) ? 1 : 0)) % 3];
    lines.push(`${x},${y},${colour},${i},${["walk", "run", "sit"][label]}`);
  }
  await writeFile(path, lines.join("\n") + "\n");
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("trainRun (larder track run)", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let trackingUri = "";
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    trackingUri = join(dir, "mlruns");
    await writeDataset(join(dir, "train.csv"), 600, 1);
    await writeDataset(join(dir, "valid.csv"), 300, 2);
  });
  afterAll(() => cleanup());

  it("trains, and logs params, metrics, curves, tags, plots, report and an MLflow LightGBM model", async () => {
    const progress: number[] = [];
    const result = await trainRun({
      trackingUri,
      experiment: "toy",
      runName: "baseline",
      train: join(dir, "train.csv"),
      valid: join(dir, "valid.csv"),
      label: "label",
      params: { num_iterations: 20, num_leaves: 7 },
      tags: { feature_set: "raw" },
      onProgress: (p) => progress.push(p.done),
    });
    expect(progress.at(-1)).toBe(20);
    expect(result.metrics.accuracy).toBeGreaterThan(0.8);
    expect(result.metrics.f1_macro).toBeGreaterThan(0.8);
    for (const c of ["run", "sit", "walk"]) expect(result.metrics[`f1_${c}`]).toBeGreaterThan(0.6);

    const run = await getRun(result.runId, { trackingUri });
    expect(run.info.status).toBe("FINISHED");
    expect(run.data.params).toMatchObject({ num_iterations: "20", num_leaves: "7", objective: "multiclass", num_class: "3" });
    expect(run.data.tags).toMatchObject({ feature_set: "raw", "larder.label": "label", "larder.features": "x,y,colour", "larder.classes": "run,sit,walk" });
    expect(run.data.tags["larder.train.sha256"]).toMatch(/^[0-9a-f]{64}$/);
    const curve = await getMetricHistory(result.runId, "valid_multi_logloss", { trackingUri });
    expect(curve.map((m) => m.step)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(curve[19]!.value).toBeLessThan(curve[0]!.value);
    expect((await getMetricHistory(result.runId, "training_multi_logloss", { trackingUri })).length).toBe(20);

    const artifacts = (await listArtifacts(result.runId, { trackingUri })).map((a) => a.path).sort();
    expect(artifacts).toEqual(["classification_report.json", "confusion_matrix.png", "feature_importance.png", "model"]);
    const root = await getArtifactLocalPath(result.runId, { trackingUri });
    const cm = pngSize(await readFile(join(root, "confusion_matrix.png")));
    expect(cm.width).toBeGreaterThan(500);
    expect(cm.height).toBeGreaterThan(500);
    pngSize(await readFile(join(root, "feature_importance.png")));
    const report = JSON.parse(await readFile(join(root, "classification_report.json"), "utf8")) as Record<string, { "f1-score": number; support: number }>;
    expect(report.run!.support + report.sit!.support + report.walk!.support).toBe(300);
    expect(report["macro avg"]!["f1-score"]).toBeCloseTo(result.metrics.f1_macro!, 12);

    const model = await loadModelUri(`runs:/${result.runId}/model`, { trackingUri });
    expect(model.labelNames).toEqual(["run", "sit", "walk"]);
    expect(model.signature?.inputs).toEqual([
      { name: "x", type: "double", required: true },
      { name: "y", type: "double", required: true },
      { name: "colour", type: "string", required: true },
    ]);
    // Text categories are part of the model: string values predict without manual encoding.
    const probs = model.predictCells([[2.0, 1.0, "blue"], [0.0, 0.0, "red"]]);
    expect(probs[0 * 3 + 1]).toBeGreaterThan(0.5);
    expect(probs[1 * 3 + 2]).toBeGreaterThan(0.5);
  });

  it("runs a grid search as a parent with one nested run per trial, tagged with the best", async () => {
    const result = await trainRun({
      trackingUri,
      experiment: "toy",
      runName: "search",
      train: join(dir, "train.csv"),
      validFraction: 0.25,
      label: "label",
      features: ["x", "y"],
      params: { num_iterations: 10 },
      search: { mode: "grid", space: { num_leaves: [3, 7], learning_rate: [0.05, 0.2] } },
    });
    expect(result.children).toHaveLength(4);
    const best = result.children.reduce((a, b) => (b.metrics.f1_macro! > a.metrics.f1_macro! ? b : a));
    expect(result.bestRunId).toBe(best.runId);
    const parent = await getRun(result.runId, { trackingUri });
    expect(parent.data.tags.best_run_id).toBe(best.runId);
    expect(parent.data.metrics.best_f1_macro).toBe(best.metrics.f1_macro);
    const children = await searchRuns({ trackingUri, experimentNames: ["toy"], filter: `tags.mlflow.parentRunId = '${result.runId}'` });
    expect(children.runs.map((r) => r.data.params.num_leaves).sort()).toEqual(["3", "3", "7", "7"]);
    expect((await loadModelUri(`runs:/${result.runId}/model`, { trackingUri })).featureNames).toEqual(["x", "y"]);
  });

  it("logs per-class F1 under valid metric names for labels like '<=50K', and AUC for binary models", async () => {
    const rng = new SeededRandom(4);
    const lines = ["x,income"];
    for (let i = 0; i < 400; i++) {
      const high = i % 2 === 0;
      lines.push(`${(high ? 1 : 0) + rng.normal(0, 0.6)},${high ? ">50K" : "<=50K"}`);
    }
    await writeFile(join(dir, "income.csv"), lines.join("\n") + "\n");
    const result = await trainRun({ trackingUri, experiment: "toy", train: join(dir, "income.csv"), label: "income", params: { num_iterations: 10 } });
    expect(Object.keys(result.metrics)).toEqual(expect.arrayContaining(["f1_lteq50K", "f1_gt50K", "auc"]));
    expect(result.metrics.auc).toBeGreaterThan(0.7);
    expect(metricKeyPart("Self Pace walk")).toBe("Self Pace walk");
    expect(metricKeyPart("a/b?c")).toBe("a_b_c");
  });

  it("refuses a missing label column and a one-class label with clear errors", async () => {
    await expect(trainRun({ trackingUri, experiment: "toy", train: join(dir, "train.csv"), label: "nope" })).rejects.toThrow(/has no label column 'nope'/);
    await writeFile(join(dir, "one.csv"), "x,label\n1,a\n2,a\n3,a\n4,a\n5,a\n");
    await expect(trainRun({ trackingUri, experiment: "toy", train: join(dir, "one.csv"), label: "label" })).rejects.toThrow(/single class/);
  });
});
