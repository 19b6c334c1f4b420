// Tracking store figures: search over 10,000 runs x 10 metrics (goal < 1 s) next to a full read of
// every run (what MLflow's file store does for each search), metric logging throughput, and the
// overhead `track run` adds to training.
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SeededRandom } from "../src/core/random.js";
import { train } from "../src/gbdt/train/index.js";
import { trainRun } from "../src/models/index.js";
import { FileTrackingStore, getTrackingStore, logMetric, startRun } from "../src/tracking/index.js";
import { writeSyntheticExperiment } from "../test/tracking/syntheticStore.js";
import { machineInfo, median, printReport, type BenchRow } from "./lib/report.js";

const RUNS = 10_000;
const METRICS = 10;
const EXPERIMENT = "123456789012345678";
const dir = await mkdtemp(join(tmpdir(), "larder-bench-tracking-"));
const rows: BenchRow[] = [];
try {
  const root = join(dir, "mlruns");
  await writeSyntheticExperiment(root, EXPERIMENT, RUNS, METRICS);
  const past = new Date(Date.now() - 60_000);
  for (let i = 0; i < RUNS; i++) await utimes(join(root, EXPERIMENT, `${i.toString(16).padStart(8, "0")}${"a".repeat(24)}`, "meta.yaml"), past, past);
  const request = { experimentIds: [EXPERIMENT], filter: "metrics.metric_3 > 0.5 and params.fold = '2'", orderBy: ["metrics.metric_1 DESC"], maxResults: 100 };

  let t = performance.now();
  await new FileTrackingStore(root).searchRuns(request);
  const cold = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    await new FileTrackingStore(root).searchRuns(request);
    warm.push(performance.now() - t);
  }
  // Reference: reading every run in full, without the cache (MLflow's FileStore per search).
  const store = new FileTrackingStore(root);
  t = performance.now();
  for (let i = 0; i < RUNS; i++) await store.getRun(`${i.toString(16).padStart(8, "0")}${"a".repeat(24)}`);
  const fullRead = performance.now() - t;
  rows.push(
    { name: `search ${RUNS} runs x ${METRICS} metrics (warm)`, value: median(warm), unit: "ms", reference: { name: "read every run", value: fullRead }, goal: "< 1000 ms" },
    { name: "search, first time (builds cache)", value: cold, unit: "ms", reference: { name: "read every run", value: fullRead } },
  );

  // Metric logging throughput: one call per value, and batched.
  const trackingUri = join(dir, "logging");
  const run = await startRun({ trackingUri, experimentName: "bench" });
  const single = 2000;
  t = performance.now();
  for (let i = 0; i < single; i++) await logMetric(run.info.runId, "loss", 1 / (i + 1), { trackingUri, step: i });
  const singleRate = single / ((performance.now() - t) / 1000);
  const batch = 100_000;
  t = performance.now();
  const now = Date.now();
  const store2 = getTrackingStore(trackingUri);
  // MLflow caps a batch at 1000 metrics.
  for (let lo = 0; lo < batch; lo += 1000) {
    await store2.logBatch(run.info.runId, {
      metrics: Array.from({ length: 1000 }, (_, i) => ({ key: "batched", value: (lo + i) / batch, timestamp: now, step: lo + i })),
    });
  }
  const batchRate = batch / ((performance.now() - t) / 1000);
  rows.push(
    { name: "logMetric, one call per value", value: singleRate, unit: "metrics/s" },
    { name: "logBatch, 100 x 1000 values", value: batchRate, unit: "metrics/s" },
  );

  // `track run` overhead: the same training alone vs. with logging, plots and the saved model.
  const rng = new SeededRandom(3);
  const n = 20_000;
  const lines = ["a,b,c,d,label"];
  const cols = [0, 1, 2, 3].map(() => new Float64Array(n));
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    const v = [label + rng.normal(0, 1), rng.normal(0, 1), label * 0.5 + rng.normal(0, 1), rng.normal(0, 1)];
    v.forEach((x, j) => (cols[j]![i] = x));
    labels[i] = label;
    lines.push(`${v.join(",")},${label}`);
  }
  const csv = join(dir, "train.csv");
  await writeFile(csv, lines.join("\n") + "\n");
  t = performance.now();
  train({ objective: "multiclass", num_class: 3, verbosity: -1, seed: 42 }, { columns: cols.map((c) => c.subarray(0, n * 0.8)), labels: labels.subarray(0, n * 0.8) });
  const trainOnly = performance.now() - t;
  t = performance.now();
  await trainRun({ trackingUri, experiment: "bench", train: csv, label: "label" });
  const tracked = performance.now() - t;
  rows.push({ name: "track run (20k rows, 100 rounds)", value: tracked, unit: "ms", reference: { name: "train() alone", value: trainOnly } });

  printReport({ bench: "tracking store", machine: machineInfo(), rows });
} finally {
  await rm(dir, { recursive: true, force: true });
}
