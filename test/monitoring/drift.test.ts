import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { driftReportHtml, monitorDrift, PREDICTION_ROW } from "../../src/monitoring/index.js";
import { kolmogorovSurvival } from "../../src/monitoring/stats/index.js";
import { PredictionLog } from "../../src/serving/index.js";
import { tempDir } from "../helpers/paths.js";

async function csv(path: string, header: string[], rows: unknown[][]): Promise<string> {
  await writeFile(path, [header.join(","), ...rows.map((r) => r.map((v) => (v === null ? "" : String(v))).join(","))].join("\n") + "\n");
  return path;
}

describe("monitorDrift", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("computes PSI on reference deciles and the KS statistic in SQL, as by hand", async () => {
    const reference = await csv(join(dir, "ref.csv"), ["x", "color"], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x, i) => [x, i < 3 ? "red" : i < 5 ? "blue" : "green"]));
    const current = await csv(join(dir, "cur.csv"), ["x", "color"], [1, 1, 1, 1, 1, 6, 7, 8, 9, 10].map((x, i) => [x, i < 5 ? "red" : "green"]));
    const report = await monitorDrift({ reference, current, cwd: dir });
    const x = report.features.find((f) => f.feature === "x")!;
    expect(x.kind).toBe("numeric");
    // Deciles of 1..10 (linear interpolation) are 1.9, 2.8, ..., 9.1: one reference value per bin.
    expect(x.bins[0]).toBe("<= 1.9");
    expect(x.bins).toHaveLength(10);
    // Current shares: 0.5 in the first bin, 0 in the next four (raised to 1e-4), 0.1 in the last five.
    const expectedPsi = (0.5 - 0.1) * Math.log(0.5 / 0.1) + 4 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    expect(x.psi).toBeCloseTo(expectedPsi, 10);
    // ECDF gap is largest at x = 1: 0.5 − 0.1.
    expect(x.ks!.statistic).toBeCloseTo(0.4, 12);
    expect(x.ks!.pValue).toBeCloseTo(kolmogorovSurvival(Math.sqrt((10 * 10) / 20) * 0.4), 12);

    const color = report.features.find((f) => f.feature === "color")!;
    expect(color.kind).toBe("categorical");
    // red 3/5, blue 2/0, green 5/5 → E = 4,1,5 per side; χ² = (1/4 + 1/1 + 0)·2 = 2.5, df 2
    expect(color.chiSquare!.statistic).toBeCloseTo(2.5, 12);
    expect(color.chiSquare!.df).toBe(2);
    expect(color.chiSquare!.pValue).toBeCloseTo(Math.exp(-2.5 / 2), 12);
    const colorPsi = (0.5 - 0.3) * Math.log(0.5 / 0.3) + (1e-4 - 0.2) * Math.log(1e-4 / 0.2) + 0;
    expect(color.psi).toBeCloseTo(colorPsi, 10);
    expect(report.drifted).toBe(true);
    expect(report.driftedFeatures).toEqual(["x", "color"]);
  });

  it("reports the share of nulls on both sides and leaves them out of the statistics", async () => {
    const reference = await csv(join(dir, "ref-null.csv"), ["x"], [[1], [2], [null], [4]]);
    const current = await csv(join(dir, "cur-null.csv"), ["x"], [[1], [null], [null], [4]]);
    const [x] = (await monitorDrift({ reference, current, cwd: dir })).features;
    expect(x!.referenceNullShare).toBeCloseTo(0.25, 12);
    expect(x!.currentNullShare).toBeCloseTo(0.5, 12);
    expect(x!.referenceRows).toBe(4);
    // Non-null: {1,2,4} vs {1,4}: ECDF gap 2/3 − 1/2 at x = 2.
    expect(x!.ks!.statistic).toBeCloseTo(1 / 6, 12);
  });

  it("flags a column that is all null on one side only, where no statistic exists", async () => {
    const reference = await csv(join(dir, "ref-full.csv"), ["x", "y"], [[1, 1], [2, 2], [3, 3]]);
    const current = await csv(join(dir, "cur-empty.csv"), ["x", "y"], [[null, 1], [null, 2], [null, 3]]);
    const report = await monitorDrift({ reference, current, cwd: dir });
    const x = report.features.find((f) => f.feature === "x")!;
    expect(x.psi).toBeNaN();
    expect(x.currentNullShare).toBe(1);
    expect(x.reasons).toEqual(["all null in current"]);
    expect(report.driftedFeatures).toEqual(["x"]);
  });

  describe("on seeded samples", () => {
    const sample = (seed: number, shift: number, n = 2000) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: n }, () => [random.normal(shift, 1).toFixed(5), random.pick(["a", "b", "c"])]);
    };
    let reference = "";
    beforeAll(async () => {
      reference = await csv(join(dir, "seed-ref.csv"), ["x", "group"], sample(1, 0));
    });

    it("flags a mean shift of one standard deviation", async () => {
      const current = await csv(join(dir, "seed-shifted.csv"), ["x", "group"], sample(2, 1));
      const report = await monitorDrift({ reference, current, cwd: dir, thresholds: { psi: 0.2, ks_pvalue: 0.01 } });
      const x = report.features.find((f) => f.feature === "x")!;
      expect(x.psi).toBeGreaterThan(0.5);
      expect(x.ks!.pValue).toBeLessThan(1e-10);
      expect(x.drifted).toBe(true);
      expect(report.features.find((f) => f.feature === "group")!.drifted).toBe(false);
      expect(report.drifted).toBe(true);
    });

    it("does not flag a fresh sample of the same distribution", async () => {
      const current = await csv(join(dir, "seed-same.csv"), ["x", "group"], sample(3, 0));
      const report = await monitorDrift({ reference, current, cwd: dir, thresholds: { psi: 0.2, ks_pvalue: 0.01, chi2_pvalue: 0.01 } });
      const x = report.features.find((f) => f.feature === "x")!;
      expect(x.psi).toBeLessThan(0.05);
      expect(x.ks!.pValue).toBeGreaterThan(0.01);
      expect(report.drifted).toBe(false);
      expect(report.driftedFeatures).toEqual([]);
    });
  });

  it("reads a prediction log as the current side: logged inputs and predicted classes", async () => {
    const logDir = join(dir, "log");
    const log = await PredictionLog.open(logDir);
    const random = new SeededRandom(7);
    for (let i = 0; i < 200; i++) {
      const x = random.normal(3, 1);
      const p = x > 3 ? [0.2, 0.7, 0.1] : [0.6, 0.3, 0.1];
      log.append({
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), request_id: `r${i}`, endpoint: "invocations", variant: "default",
        model_uri: "models:/m/1", model_version: 1, latency_ms: 1, status: 200, entity_key: null,
        inputs: { columns: ["x", "group"], data: [[x, i % 2 ? "a" : "b"]] }, outputs: [p],
      });
    }
    await log.close();
    const refRandom = new SeededRandom(8);
    const refRows = Array.from({ length: 200 }, (_, i) => {
      const x = refRandom.normal(0, 1);
      return [x.toFixed(5), i % 2 ? "a" : "b", x > 0 ? 0.1 : 0.8, x > 0 ? 0.8 : 0.1, 0.1];
    });
    const reference = await csv(join(dir, "ref-pred.csv"), ["x", "group", "prob_sit", "prob_walk", "prob_run"], refRows);
    const report = await monitorDrift({ reference, current: logDir, cwd: dir });
    expect(report.features.map((f) => f.feature)).toEqual(["x", "group", PREDICTION_ROW]);
    const x = report.features[0]!;
    expect(x.kind).toBe("numeric");
    expect(x.drifted).toBe(true);
    expect(report.features[1]!.psi).toBeCloseTo(0, 12);
    const prediction = report.features[2]!;
    expect(prediction.kind).toBe("categorical");
    // Logged arg-max indices are named by the reference's prob_<class> columns.
    expect([...prediction.bins].sort()).toEqual(["sit", "walk"]);
    expect(prediction.referenceRows).toBe(200);
    expect(prediction.currentRows).toBe(200);

    const html = driftReportHtml(report);
    expect(html).toContain("<svg");
    expect(html.match(/<section>/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("compares a binary model's logged P(class 1) with the reference's second probability column", async () => {
    const binaryDir = join(dir, "binary-log");
    const log = await PredictionLog.open(binaryDir);
    for (let i = 0; i < 50; i++) {
      log.append({
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), request_id: `b${i}`, endpoint: "invocations", variant: "default",
        model_uri: "models:/b/1", model_version: 1, latency_ms: 1, status: 200, entity_key: null,
        inputs: { columns: ["x"], data: [[i]] }, outputs: [i / 50],
      });
    }
    await log.close();
    const reference = await csv(join(dir, "ref-binary.csv"), ["x", "prob_no", "prob_yes"], Array.from({ length: 50 }, (_, i) => [i, 1 - i / 50, i / 50]));
    const report = await monitorDrift({ reference, current: binaryDir, cwd: dir });
    const prediction = report.features.find((f) => f.prediction)!;
    expect(prediction.kind).toBe("numeric");
    expect(prediction.psi).toBe(0);
    expect(prediction.ks!.statistic).toBe(0);
    expect(report.drifted).toBe(false);
  });

  it("skips the prediction row with a note when the reference has no predictions", async () => {
    const logDir = join(dir, "log");
    const reference = await csv(join(dir, "ref-nopred.csv"), ["x"], [[1], [2], [3]]);
    const report = await monitorDrift({ reference, current: logDir, cwd: dir, features: ["x"] });
    expect(report.features.map((f) => f.feature)).toEqual(["x"]);
    expect(report.notes.join(" ")).toMatch(/Prediction distribution not compared/);
  });

  it("names unknown --features columns", async () => {
    const reference = await csv(join(dir, "ref-a.csv"), ["a"], [[1]]);
    await expect(monitorDrift({ reference, current: reference, cwd: dir, features: ["b"] })).rejects.toThrow(/no column\(s\) b/);
  });
});
