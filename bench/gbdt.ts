// The booster against LightGBM 4.7.0 on the exact datasets of its recorded baselines
// (../shared/lightgbm/bench): accuracy, macro F1, logloss and training time, then prediction speed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Duck } from "../src/core/duckdb.js";
import type { Booster } from "../src/gbdt/index.js";
import { train } from "../src/gbdt/train/index.js";
import { classificationReport } from "../src/models/index.js";
import { machineInfo, median, printReport, type BenchRow } from "./lib/report.js";

const dir = fileURLToPath(new URL("../../shared/lightgbm/bench/", import.meta.url));
if (!existsSync(`${dir}baselines.json`)) {
  console.error(`bench/gbdt: ${dir} is missing; it holds LightGBM's recorded figures and the datasets behind them`);
  process.exit(0);
}
const baselines = JSON.parse(await (await import("node:fs/promises")).readFile(`${dir}baselines.json`, "utf8")) as Record<
  string,
  { accuracy: number; f1_macro: number; logloss: number; boosting_wall_s_this_run: number }
>;

async function load(file: string): Promise<{ columns: Float64Array[]; labels: Float64Array; names: string[] }> {
  return Duck.with(async (duck) => {
    const reader = await duck.connection.runAndReadAll(`SELECT * FROM read_parquet('${dir}${file}')`);
    const names = reader.columnNames();
    const raw = reader.getColumnsJS() as unknown[][];
    const labelIndex = names.indexOf("label");
    const columns = raw.filter((_, j) => j !== labelIndex).map((c) => Float64Array.from(c, (v) => (v === null ? NaN : Number(v))));
    return { columns, labels: Float64Array.from(raw[labelIndex]!, Number), names: names.filter((_, j) => j !== labelIndex) };
  });
}

/** LightGBM's single-thread boosting time, min of 3, in the canonical run of reference/lightgbm.md §3.1. */
const CANONICAL_TRAIN_SECONDS: Record<string, number> = { multiclass6_50k: 7.3, binary_50k: 1.59 };

/** Rows per second of `booster.predict` on `batch`, the median of several windows after a warm-up. */
function batchRate(booster: Booster, batch: Float64Array, options: { numThreads?: number }): number {
  const numRows = batch.length / booster.numFeatures;
  booster.predict(batch, options);
  const windows: number[] = [];
  for (let w = 0; w < 7; w++) {
    const t = performance.now();
    let predicted = 0;
    while (performance.now() - t < 500) {
      booster.predict(batch, options);
      predicted += numRows;
    }
    windows.push(predicted / ((performance.now() - t) / 1000));
  }
  return median(windows);
}

/**
 * LightGBM's own figures on the same files in this run, when a Python with lightgbm, pandas and
 * pyarrow is at hand (LIGHTGBM_PYTHON, else python3): the seconds of one training and, for
 * `withPredict`, batch predict rows/s on 50 copies of the test rows with 1 thread and with all.
 */
function lightgbmFigures(name: string, objective: string, withPredict: boolean): { train: number; predict1?: number; predictAll?: number } | undefined {
  const script = [
    "import sys, time, json, lightgbm as lgb, pandas as pd",
    "df = pd.read_parquet(sys.argv[1]); y = df.pop('label')",
    "params = {'verbosity': -1, 'num_threads': 1, 'objective': sys.argv[2]}",
    "if sys.argv[2] == 'multiclass': params['num_class'] = int(y.nunique())",
    "t = time.perf_counter(); model = lgb.train(params, lgb.Dataset(df, y), num_boost_round=100)",
    "out = {'train': time.perf_counter() - t}",
    "if sys.argv[4] == '1':",
    "    test = pd.read_parquet(sys.argv[3]).drop(columns=['label']).to_numpy()",
    "    import numpy as np; big = np.tile(test, (50, 1))",
    "    for key, threads in (('predict1', 1), ('predictAll', 0)):",
    "        model.predict(big[:1000], num_threads=threads); t = time.perf_counter(); model.predict(big, num_threads=threads)",
    "        out[key] = len(big) / (time.perf_counter() - t)",
    "print(json.dumps(out))",
  ].join("\n");
  const args = ["-c", script, `${dir}${name}_train.parquet`, objective, `${dir}${name}_test.parquet`, withPredict ? "1" : "0"];
  const run = spawnSync(process.env.LIGHTGBM_PYTHON ?? "python3", args, { encoding: "utf8" });
  if (run.status !== 0) return undefined;
  try {
    return JSON.parse(run.stdout.trim()) as { train: number; predict1?: number; predictAll?: number };
  } catch {
    return undefined;
  }
}

const rows: BenchRow[] = [];
for (const [name, objective] of [["multiclass6_50k", "multiclass"], ["binary_50k", "binary"]] as const) {
  const trainSet = await load(`${name}_train.parquet`);
  const test = await load(`${name}_test.parquet`);
  const classes = [...new Set(trainSet.labels)].sort((a, b) => a - b);
  const params = { objective, ...(objective === "multiclass" ? { num_class: classes.length } : {}), num_threads: 1, verbosity: -1 };
  // Three rounds, each training LightGBM (when at hand) and then Larder, so both meet the same
  // machine; the fastest of each counts.
  let trainSeconds = Infinity;
  let result: ReturnType<typeof train> | undefined;
  let lightgbm: { train: number; predict1?: number; predictAll?: number } | undefined;
  for (let run = 0; run < 3; run++) {
    const figures = lightgbmFigures(name, objective, objective === "binary" && run === 2);
    if (figures !== undefined) lightgbm = { ...lightgbm, ...figures, train: Math.min(figures.train, lightgbm?.train ?? Infinity) };
    const started = performance.now();
    result = train(params, { columns: trainSet.columns, labels: trainSet.labels, featureNames: trainSet.names });
    trainSeconds = Math.min(trainSeconds, (performance.now() - started) / 1000);
  }
  const probs = result!.booster.predictColumns(test.columns);
  const report = classificationReport(probs, Int32Array.from(test.labels), classes.map(String));
  const ref = baselines[name]!;
  rows.push(
    { name: `${name} accuracy`, value: report.accuracy, unit: "", reference: { name: "LightGBM 4.7.0", value: ref.accuracy }, goal: "within 0.003" },
    { name: `${name} macro F1`, value: report.macro.f1, unit: "", reference: { name: "LightGBM 4.7.0", value: ref.f1_macro } },
    { name: `${name} logloss`, value: report.logloss, unit: "", reference: { name: "LightGBM 4.7.0", value: ref.logloss } },
    { name: `${name} train, 100 rounds`, value: trainSeconds, unit: "s", reference: { name: "LightGBM 4.7.0, canonical run (reference §3.1)", value: CANONICAL_TRAIN_SECONDS[name]! }, goal: "<= 1.5x" },
    { name: `${name} train, 100 rounds`, value: trainSeconds, unit: "s", reference: { name: "LightGBM 4.7.0, baselines.json run", value: ref.boosting_wall_s_this_run } },
  );
  if (lightgbm !== undefined) {
    rows.push({ name: `${name} train, 100 rounds (min of 3)`, value: trainSeconds, unit: "s", reference: { name: "LightGBM (Python), min of 3, alternating", value: lightgbm.train }, goal: "<= 1.5x" });
  }

  if (objective === "binary") {
    const booster = result!.booster;
    const numFeatures = trainSet.columns.length;
    const row = new Float64Array(numFeatures);
    const samples: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const t = performance.now();
      for (let r = 0; r < 2000; r++) {
        for (let j = 0; j < numFeatures; j++) row[j] = test.columns[j]![r]!;
        booster.predictRow(row);
      }
      samples.push(((performance.now() - t) * 1000) / 2000);
    }
    rows.push({ name: "single-row predict (100 trees)", value: median(samples), unit: "µs", reference: { name: "LightGBM C API (recorded)", value: 15 }, goal: "< 20 µs" });
    const batch = new Float64Array(test.labels.length * numFeatures);
    for (let r = 0; r < test.labels.length; r++) for (let j = 0; j < numFeatures; j++) batch[r * numFeatures + j] = test.columns[j]![r]!;
    const reference = { name: "LightGBM Python, 1 thread (recorded)", value: 77_800 };
    const oneThread = batchRate(booster, batch, { numThreads: 1 });
    rows.push({ name: `batch predict, 1 thread, ${test.labels.length}-row batches`, value: oneThread, unit: "rows/s", reference });
    if (lightgbm?.predict1) rows.push({ name: "batch predict, 1 thread", value: oneThread, unit: "rows/s", reference: { name: "LightGBM (Python), 1 thread, this run", value: lightgbm.predict1 } });
    const copies = 50;
    const large = new Float64Array(batch.length * copies);
    for (let c = 0; c < copies; c++) large.set(batch, c * batch.length);
    const threads = availableParallelism();
    const allThreads = batchRate(booster, large, {});
    rows.push({ name: `batch predict, ${threads} threads, ${large.length / numFeatures}-row batch`, value: allThreads, unit: "rows/s", reference, goal: ">= 1,000,000" });
    if (lightgbm?.predictAll) rows.push({ name: `batch predict, ${threads} threads`, value: allThreads, unit: "rows/s", reference: { name: "LightGBM (Python), all threads, this run", value: lightgbm.predictAll } });
    booster.close();
  }
}
// Peak memory of training on 500,000 × 20 rows, in a child process so nothing above counts.
const memoryRun = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./lib/trainMemory.ts", import.meta.url)), "20"], {
  encoding: "utf8",
});
if (memoryRun.status === 0) {
  const { maxRssBytes, rounds } = JSON.parse(memoryRun.stdout.trim()) as { maxRssBytes: number; rounds: number };
  rows.push({ name: `train 500,000 × 20 rows (${rounds} rounds), peak resident`, value: maxRssBytes / 2 ** 20, unit: "MiB", goal: "< 1024 MiB" });
} else {
  console.error(`bench/gbdt: the memory run failed: ${memoryRun.stderr}`);
}
printReport({ bench: "gbdt vs LightGBM 4.7.0 (same data, default params, 1 thread)", machine: machineInfo(), rows });
