import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { loadModelUri, trainRun } from "../../src/models/index.js";
import { monitorDrift, PREDICTION_ROW } from "../../src/monitoring/index.js";
import { createScoringServer, PredictionLog } from "../../src/serving/index.js";
import { tempDir } from "../helpers/paths.js";

const CLASSES = ["walk", "run", "sit"];

function rows(count: number, seed: number, xShift = 0): Array<[number, number, string, string]> {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const label = i % 3;
    return [label + rng.normal(0, 0.35) + xShift, (label === 2 ? 1 : 0) + rng.normal(0, 0.35), ["red", "green", "blue"][label]!, CLASSES[label]!];
  });
}

/** Serves the run's model with a prediction log and scores `data` in requests of 30 rows. */
async function serveAndLog(modelUri: string, trackingUri: string, logDir: string, data: ReturnType<typeof rows>): Promise<void> {
  const log = await PredictionLog.open(logDir);
  const scoring = createScoringServer({ model: await loadModelUri(modelUri, { trackingUri }), version: "test", log });
  const { port } = await scoring.listen(0, "127.0.0.1");
  try {
    for (let start = 0; start < data.length; start += 30) {
      const body = { dataframe_split: { columns: ["x", "y"], data: data.slice(start, start + 30).map(([x, y]) => [x, y]) } };
      const response = await fetch(`http://127.0.0.1:${port}/invocations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
    }
  } finally {
    await scoring.close();
    await log.close();
  }
}

describe("drift of a served model against its training run", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let trackingUri = "";
  let runId = "";
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    trackingUri = join(dir, "mlruns");
    const train = join(dir, "train.csv");
    await writeFile(train, ["x,y,colour,label", ...rows(600, 1).map((r) => r.join(","))].join("\n") + "\n");
    const result = await trainRun({ trackingUri, experiment: "drift", train, label: "label", features: ["x", "y"], params: { num_iterations: 15, num_leaves: 7 } });
    runId = result.runId;
    await serveAndLog(`runs:/${runId}/model`, trackingUri, join(dir, "same"), rows(300, 2));
    await serveAndLog(`runs:/${runId}/model`, trackingUri, join(dir, "shifted"), rows(300, 3, 1.5));
  });
  afterAll(() => cleanup());

  it("compares logged inputs and the predicted classes with the training data and the run's own predictions", async () => {
    const report = await monitorDrift({ reference: `runs:/${runId}`, current: join(dir, "same"), trackingUri, cwd: dir });
    // The run's feature list, not every column of its training file (colour, label), is compared.
    expect(report.features.map((f) => f.feature)).toEqual(["x", "y", PREDICTION_ROW]);
    const prediction = report.features.at(-1)!;
    expect(prediction.kind).toBe("categorical");
    // Logged arg-max indices are named by the model's classes, as its predictions on the training file are.
    expect([...prediction.bins].sort()).toEqual([...CLASSES].sort());
    expect(prediction.referenceRows).toBe(600);
    expect(prediction.currentRows).toBe(300);
    expect(report.notes).toEqual([]);
    expect(report.drifted).toBe(false);
  });

  it("flags shifted traffic in the feature and in what the model predicts", async () => {
    const report = await monitorDrift({ reference: runId, current: join(dir, "shifted"), trackingUri, cwd: dir });
    expect(report.driftedFeatures).toContain("x");
    expect(report.driftedFeatures).toContain(PREDICTION_ROW);
    expect(report.driftedFeatures).not.toContain("y");
  });
});
