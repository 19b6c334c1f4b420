import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalSurvival } from "../../src/monitoring/stats/index.js";
import { variantReport } from "../../src/monitoring/variants/variantReport.js";
import { PredictionLog, type PredictionRecord } from "../../src/serving/index.js";
import { tempDir } from "../helpers/paths.js";

const CLASSES = ["a", "b", "c"];
const probabilities = (predicted: number) => CLASSES.map((_, k) => (k === predicted ? 0.8 : 0.1));

interface Case {
  variant: string;
  predicted: number;
  label: string;
  latency: number;
}

/** Champion: 100 rows, 70 right; challenger: 50 rows, 45 right (confusions spelled out below). */
function cases(): Case[] {
  const out: Case[] = [];
  const add = (variant: string, predicted: number, label: string, n: number) => {
    for (let i = 0; i < n; i++) out.push({ variant, predicted, label, latency: 0 });
  };
  add("champion", 0, "a", 50); add("champion", 0, "b", 10);
  add("champion", 1, "b", 15); add("champion", 1, "c", 15);
  add("champion", 2, "c", 5); add("champion", 2, "a", 5);
  add("challenger", 0, "a", 20);
  add("challenger", 1, "b", 18); add("challenger", 1, "c", 2);
  add("challenger", 2, "c", 7); add("challenger", 2, "a", 3);
  let champion = 0;
  let challenger = 0;
  // Latencies 1..100 ms for the champion, 2, 4, ..., 100 ms for the challenger.
  for (const c of out) c.latency = c.variant === "champion" ? ++champion : 2 * ++challenger;
  return out;
}

function record(i: number, c: Case): PredictionRecord {
  return {
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    request_id: `req-${i}`,
    endpoint: "invocations",
    variant: c.variant,
    model_uri: c.variant === "champion" ? "models:/m/1" : "models:/m/2",
    model_version: c.variant === "champion" ? 1 : 2,
    latency_ms: c.latency,
    status: 200,
    entity_key: `participant_id=${i}`,
    inputs: { columns: ["x"], data: [[i]] },
    outputs: [probabilities(c.predicted)],
  };
}

describe("variantReport", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let logDir = "";
  const all = cases();
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    logDir = join(dir, "log");
    const log = await PredictionLog.open(logDir);
    all.forEach((c, i) => log.append(record(i, c)));
    await log.close();
    await writeFile(join(dir, "labels.csv"), ["request_id,label", ...all.map((c, i) => `req-${i},${c.label}`)].join("\n") + "\n");
  });
  afterAll(() => cleanup());

  it("counts requests, latency quantiles and the predicted-class shares per variant", async () => {
    const report = await variantReport({ log: logDir, classNames: CLASSES });
    expect(report.variants.map((v) => v.variant)).toEqual(["champion", "challenger"]);
    const [champion, challenger] = report.variants;
    expect(champion!.requests).toBe(100);
    expect(champion!.rows).toBe(100);
    // Linear-interpolated quantiles of 1..100: 50.5 and 1 + 0.99·99.
    expect(champion!.latencyP50Ms).toBeCloseTo(50.5, 10);
    expect(champion!.latencyP99Ms).toBeCloseTo(99.01, 10);
    expect(challenger!.latencyP50Ms).toBeCloseTo(51, 10);
    expect(challenger!.latencyP99Ms).toBeCloseTo(2 * (1 + 0.99 * 49), 10);
    expect(champion!.predictions).toEqual([
      { class: "a", count: 60, share: 0.6 },
      { class: "b", count: 30, share: 0.3 },
      { class: "c", count: 10, share: 0.1 },
    ]);
    expect(challenger!.predictions.map((p) => [p.class, p.share])).toEqual([["a", 0.4], ["b", 0.4], ["c", 0.2]]);
    expect(champion!.models).toEqual(["models:/m/1"]);
    expect(report.comparison).toBeNull();
  });

  it("scores accuracy and macro F1 against labels joined by request id and decides the A/B split", async () => {
    const report = await variantReport({ log: logDir, labels: join(dir, "labels.csv"), classNames: CLASSES });
    expect(report.labelJoin).toBe("request_id");
    const [champion, challenger] = report.variants;
    expect(champion!.labeled).toBe(100);
    expect(champion!.accuracy).toBeCloseTo(0.7, 12);
    expect(challenger!.accuracy).toBeCloseTo(0.9, 12);
    // F1 = 2TP / (2TP + FP + FN) per class. Champion: a 50/10/5, b 15/15/10, c 5/5/15.
    expect(champion!.macroF1).toBeCloseTo((100 / 115 + 30 / 55 + 10 / 30) / 3, 12);
    // Challenger: a 20/0/3, b 18/2/0, c 7/3/2.
    expect(challenger!.macroF1).toBeCloseTo((40 / 43 + 36 / 38 + 14 / 19) / 3, 12);
    const pooled = 115 / 150;
    const z = (0.7 - 0.9) / Math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 50));
    const comparison = report.comparison!;
    expect(comparison.variants).toEqual(["champion", "challenger"]);
    expect(comparison.z).toBeCloseTo(z, 10);
    expect(comparison.pValue).toBeCloseTo(2 * normalSurvival(Math.abs(z)), 12);
    expect(comparison.pValue).toBeCloseTo(0.00633, 4);
    expect(comparison.better).toBe("challenger");
    expect(comparison.decision).toBe("challenger better than champion at p=0.006 (accuracy 0.900 vs 0.700)");
  });

  it("says 'no significant difference' when the accuracies are close", async () => {
    const closeDir = join(dir, "close");
    const log = await PredictionLog.open(closeDir);
    const labels = ["request_id,label"];
    for (let i = 0; i < 40; i++) {
      const variant = i % 2 ? "b" : "a";
      // a: 15 of 20 right, b: 14 of 20 right.
      const right = variant === "a" ? i < 30 : i < 28;
      log.append({ ...record(i, { variant, predicted: 0, label: "a", latency: 1 }) });
      labels.push(`req-${i},${right ? "a" : "b"}`);
    }
    await log.close();
    await writeFile(join(dir, "close-labels.csv"), labels.join("\n") + "\n");
    const report = await variantReport({ log: closeDir, labels: join(dir, "close-labels.csv"), classNames: CLASSES });
    expect(report.variants.map((v) => v.accuracy)).toEqual([0.75, 0.7]);
    expect(report.comparison!.better).toBeNull();
    expect(report.comparison!.decision).toMatch(/^no significant difference between a and b \(p=0\.7\d\d, alpha 0\.05\)$/);
  });

  it("joins by entity key and time: each prediction takes the first label at or after it", async () => {
    const entityDir = join(dir, "entity");
    const log = await PredictionLog.open(entityDir);
    // Participant 1 is scored at t=0 s and t=10 s, participant 2 at t=5 s; all predict "a".
    for (const [i, key, second] of [[0, "participant_id=1", 0], [1, "participant_id=1", 10], [2, "participant_id=2", 5]] as const) {
      log.append({ ...record(i, { variant: "v", predicted: 0, label: "a", latency: 1 }), entity_key: key, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString() });
    }
    await log.close();
    await writeFile(
      join(dir, "entity-labels.csv"),
      [
        "participant_id,timestamp,label",
        "1,2026-01-01T00:00:05Z,a", // for the t=0 prediction: right
        "1,2026-01-01T00:00:20Z,b", // for the t=10 prediction: wrong
        "2,2026-01-01T00:00:01Z,a", // before participant 2's prediction: no match
      ].join("\n") + "\n",
    );
    const report = await variantReport({ log: entityDir, labels: join(dir, "entity-labels.csv"), classNames: CLASSES });
    expect(report.labelJoin).toBe("entity_columns+timestamp");
    expect(report.variants[0]!.labeled).toBe(2);
    expect(report.variants[0]!.accuracy).toBe(0.5);
  });

  it("refuses ambiguous entity labels without a timestamp, and labels without a label column", async () => {
    await writeFile(join(dir, "dupes.csv"), "entity_key,label\nparticipant_id=1,a\nparticipant_id=1,b\n");
    await expect(variantReport({ log: logDir, labels: join(dir, "dupes.csv") })).rejects.toThrow(/several labels for entity 'participant_id=1'/);
    await writeFile(join(dir, "nolabel.csv"), "request_id,y\nreq-1,a\n");
    await expect(variantReport({ log: logDir, labels: join(dir, "nolabel.csv") })).rejects.toThrow(/no 'label' column/);
  });

  it("notes when logged class indices never equal named labels", async () => {
    const report = await variantReport({ log: logDir, labels: join(dir, "labels.csv") });
    expect(report.variants[0]!.predictions[0]!.class).toBe("0");
    expect(report.variants[0]!.accuracy).toBe(0);
    expect(report.notes.join(" ")).toMatch(/pass the class names/);
  });
});

describe("variantReport on a binary model", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("reads a logged P(class 1) as class 1 above 0.5 and names it", async () => {
    const logDir = join(dir, "log");
    const log = await PredictionLog.open(logDir);
    const probabilities = [0.9, 0.7, 0.2, 0.4, 0.51, 0.05];
    probabilities.forEach((p, i) => log.append({ ...record(i, { variant: "v", predicted: 0, label: "", latency: 1 }), outputs: [p] }));
    await log.close();
    await writeFile(join(dir, "labels.csv"), ["request_id,label", ...["yes", "yes", "no", "yes", "no", "no"].map((l, i) => `req-${i},${l}`)].join("\n") + "\n");
    const report = await variantReport({ log: logDir, labels: join(dir, "labels.csv"), classNames: ["no", "yes"] });
    const [v] = report.variants;
    expect(v!.predictions.map((p) => [p.class, p.count])).toEqual([["no", 3], ["yes", 3]]);
    expect(v!.meanPrediction).toBeCloseTo(probabilities.reduce((a, b) => a + b) / 6, 12);
    // Predicted yes yes no no yes no against yes yes no yes no no: 4 of 6 right.
    expect(v!.accuracy).toBeCloseTo(4 / 6, 12);
    // yes: TP 2, FP 1, FN 1 → 4/6; no: TP 2, FP 1, FN 1 → 4/6.
    expect(v!.macroF1).toBeCloseTo(4 / 6, 12);
  });
});
