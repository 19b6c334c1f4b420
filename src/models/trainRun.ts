import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SeededRandom } from "../core/random.js";
import { LarderError } from "../errors.js";
import { Booster } from "../gbdt/index.js";
import { resolveParams, train, type TrainResult } from "../gbdt/train/index.js";
import { endRun, getArtifactLocalPath, logArtifacts, logMetrics, logParams, logText, setTags, startRun, type TrackingOptions } from "../tracking/index.js";
import { classificationReport, reportAsSklearnDict, type ClassificationReport } from "./classificationMetrics.js";
import { barChartSvg, confusionMatrixSvg, renderPng } from "./plots/index.js";
import { saveLightGBMModel } from "./saveLightGBMModel.js";
import { gridTrials, randomTrials, type ParamValue, type SearchSpace } from "./searchSpace.js";
import { tableReader } from "./predictFile.js";
import { encodeLabels, fileSha256, readTrainingTable, type TrainingTable } from "./trainingData.js";

export interface TrainRunProgress {
  trial: number;
  trials: number;
  round: number;
  rounds: number;
  /** Boosting rounds done over all trials, of `total` planned. */
  done: number;
  total: number;
}

export interface TrainRunOptions extends TrackingOptions {
  experiment: string;
  runName?: string;
  train: string;
  valid?: string;
  /** Share of the training file held out for validation when no `valid` file is given (default 0.2). */
  validFraction?: number;
  label: string;
  features?: string[];
  params?: Record<string, ParamValue>;
  search?: { mode: "grid" | "random"; space: SearchSpace; trials?: number };
  /**
   * Build the training set from a feature store instead of reading `train` as is: the entity rows
   * (keys, timestamp, label) joined point-in-time with a feature service's features.
   */
  featureService?: { name: string; repoDir: string; entities: string };
  /** Expectations (YAML) the training data must meet before anything is trained or logged. */
  expectations?: string;
  tags?: Record<string, string>;
  onProgress?: (p: TrainRunProgress) => void;
}

export interface TrainedRun {
  runId: string;
  runName: string;
  params: Record<string, ParamValue>;
  metrics: Record<string, number>;
}

export interface TrainRunResult extends TrainedRun {
  experimentId: string;
  /** For a search: the child runs, and which of them scored best (by f1_macro). */
  children: TrainedRun[];
  bestRunId: string | null;
  modelUri: string;
}

/** LightGBM's parameter names for the logged params (TrainParams is camelCase). */
const LOGGED_PARAMS = [
  "objective", "numClass", "numIterations", "learningRate", "numLeaves", "maxDepth", "minDataInLeaf", "minSumHessianInLeaf",
  "maxBin", "lambdaL1", "lambdaL2", "minGainToSplit", "featureFraction", "baggingFraction", "baggingFreq", "seed", "earlyStoppingRound", "metric",
] as const;
const snakeCase = (name: string): string => name.replace(/([A-Z])/g, "_$1").toLowerCase();

interface PreparedData {
  train: TrainingTable;
  valid: TrainingTable;
  trainLabels: Int32Array;
  validLabels: Int32Array;
  classes: string[];
  trainRows: number[] | null;
  validRows: number[] | null;
}

function take(table: TrainingTable, rows: number[]): TrainingTable {
  return { ...table, rows: rows.length, columns: table.columns.map((c) => Float64Array.from(rows, (r) => c[r]!)), labels: rows.map((r) => table.labels[r]) };
}

async function prepareData(opts: TrainRunOptions): Promise<PreparedData> {
  const full = await readTrainingTable(opts.train, { label: opts.label, ...(opts.features ? { features: opts.features } : {}) });
  let train = full;
  let valid: TrainingTable;
  let trainRows: number[] | null = null;
  let validRows: number[] | null = null;
  if (opts.valid) {
    valid = await readTrainingTable(opts.valid, { label: opts.label, features: full.featureNames, categories: full.categories });
  } else {
    const fraction = opts.validFraction ?? 0.2;
    if (!(fraction > 0 && fraction < 1)) throw new LarderError("INVALID_PARAMETER_VALUE", `--valid-fraction must be between 0 and 1, got ${fraction}`);
    const order = Array.from({ length: full.rows }, (_, i) => i);
    const rng = new SeededRandom(Number(opts.params?.seed ?? 42));
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const cut = Math.round(full.rows * fraction);
    validRows = order.slice(0, cut).sort((a, b) => a - b);
    trainRows = order.slice(cut).sort((a, b) => a - b);
    if (validRows.length === 0 || trainRows.length === 0) throw new LarderError("DATA_ERROR", `${opts.train} has too few rows (${full.rows}) to hold some out for validation`);
    train = take(full, trainRows);
    valid = take(full, validRows);
  }
  const { classes, codes: trainLabels } = encodeLabels(train.labels);
  if (classes.length < 2) throw new LarderError("DATA_ERROR", `The label '${opts.label}' has a single class (${classes[0]}); a classifier needs two or more`);
  const { codes: validLabels } = encodeLabels(valid.labels, classes);
  return { train, valid, trainLabels, validLabels, classes, trainRows, validRows };
}

function baseParams(data: PreparedData, user: Record<string, ParamValue>): Record<string, ParamValue | (string | number)[]> {
  const multiclass = data.classes.length > 2;
  const categorical = [...data.train.categories.keys()];
  return {
    objective: multiclass ? "multiclass" : "binary",
    ...(multiclass ? { num_class: data.classes.length } : {}),
    metric: multiclass ? "multi_logloss" : "binary_logloss",
    seed: 42,
    verbosity: -1,
    ...(categorical.length > 0 ? { categorical_feature: categorical } : {}),
    ...user,
  };
}

function withCategories(result: TrainResult, data: PreparedData): Booster {
  if (data.train.categories.size === 0) return result.booster;
  const lists = [...data.train.categories.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
  return Booster.fromTrees({ ...result.meta, pandasCategorical: lists }, result.trees);
}

/**
 * A class name as part of a metric key: MLflow allows only alphanumerics, `_ - . : /` and spaces,
 * so comparison signs are spelled out (`<=50K` → `lteq50K`) and anything else becomes `_`.
 */
export function metricKeyPart(label: string): string {
  const spelled = label.replace(/</g, "lt").replace(/>/g, "gt").replace(/=/g, "eq").replace(/[^A-Za-z0-9_\-. :]/g, "_");
  return spelled.replace(/^[/.]+/, "").trim() || "_";
}

function metricsOf(report: ClassificationReport): Record<string, number> {
  const metrics: Record<string, number> = {
    accuracy: report.accuracy,
    f1_macro: report.macro.f1,
    precision_macro: report.macro.precision,
    recall_macro: report.macro.recall,
    f1_weighted: report.weighted.f1,
    logloss: report.logloss,
  };
  if (report.auc !== undefined) metrics.auc = report.auc;
  const seen = new Set<string>();
  for (const p of report.perClass) {
    let key = `f1_${metricKeyPart(p.label)}`;
    // Two labels that spell alike get their class index to stay apart.
    if (seen.has(key)) key = `${key}_${report.perClass.indexOf(p)}`;
    seen.add(key);
    metrics[key] = p.f1;
  }
  return metrics;
}

/** Trains one model and logs everything about it to `runId`. */
async function trainAndLog(
  runId: string,
  data: PreparedData,
  userParams: Record<string, ParamValue>,
  opts: TrainRunOptions,
  progress: (round: number, rounds: number) => void,
): Promise<{ metrics: Record<string, number>; params: Record<string, ParamValue> }> {
  const tracking = { ...(opts.trackingUri ? { trackingUri: opts.trackingUri } : {}) };
  const params = baseParams(data, userParams);
  const rounds = resolveParams(params).numIterations;
  const result = train(
    params,
    { columns: data.train.columns, labels: data.trainLabels, featureNames: data.train.featureNames },
    {
      validSets: [{ columns: data.valid.columns, labels: data.validLabels, name: "valid" }],
      evalTrainingSet: true,
      callbacks: [
        (info) => {
          progress(info.iteration + 1, rounds);
        },
      ],
    },
  );
  const booster = withCategories(result, data);
  const logged: Record<string, ParamValue> = {};
  for (const key of LOGGED_PARAMS) {
    const value = result.params[key];
    if (value === null || value === undefined) continue;
    logged[snakeCase(key)] = Array.isArray(value) ? value.join(",") : (value as ParamValue);
  }
  for (const [k, v] of Object.entries(userParams)) logged[k] = v;
  if (result.params.objective === "binary") delete logged.num_class;
  await logParams(runId, logged, tracking);

  const probs = booster.predictColumns(data.valid.columns);
  const report = classificationReport(probs, data.validLabels, data.classes);
  const metrics = metricsOf(report);
  if (result.bestIteration > 0) metrics.best_iteration = result.bestIteration;
  await logMetrics(runId, metrics, tracking);
  // Training and validation curves, one step per boosting round.
  const curves = Object.entries(result.evalHistory).flatMap(([dataName, byMetric]) =>
    Object.entries(byMetric).map(([metric, values]) => ({ key: `${dataName}_${metric}`, values })),
  );
  const steps = Math.max(0, ...curves.map((c) => c.values.length));
  for (let step = 0; step < steps; step++) {
    const values: Record<string, number> = {};
    for (const c of curves) if (step < c.values.length) values[c.key] = c.values[step]!;
    await logMetrics(runId, values, { ...tracking, step });
  }

  const scratch = await mkdtemp(join(tmpdir(), "larder-run-"));
  try {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(scratch, "confusion_matrix.png"), await renderPng(confusionMatrixSvg(data.classes, report.confusion, "Confusion matrix (validation)")));
    const gain = booster.featureImportance("gain");
    await writeFile(join(scratch, "feature_importance.png"), await renderPng(barChartSvg(data.train.featureNames, Array.from(gain), "Feature importance", "total gain of splits")));
    await writeFile(join(scratch, "classification_report.json"), JSON.stringify(reportAsSklearnDict(report), null, 2));
    await logArtifacts(runId, scratch, tracking);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const exampleRows = Math.min(5, data.valid.rows);
  const inputExample = Array.from({ length: exampleRows }, (_, r) =>
    data.valid.featureNames.map((_, j) => {
      const v = data.valid.columns[j]![r]!;
      const list = data.train.categories.get(j);
      if (list) return Number.isNaN(v) ? null : list[v]!;
      return Number.isNaN(v) ? null : v;
    }),
  );
  await saveLightGBMModel(await getArtifactLocalPath(runId, { ...tracking, path: "model" }), booster, {
    inputs: data.train.featureNames.map((name, j) => ({ name, type: data.train.categories.has(j) ? "string" : "double", required: true })),
    inputExample,
    labelNames: data.classes,
    runId,
    ...(opts.featureService
      ? { metadata: { feature_service: opts.featureService.name, feature_repo: opts.featureService.repoDir } }
      : {}),
  });
  return { metrics, params: logged };
}

function dataTags(data: PreparedData, opts: TrainRunOptions): Record<string, string> {
  return {
    "larder.label": opts.label,
    "larder.features": data.train.featureNames.join(","),
    "larder.train.path": opts.train,
    "larder.train.sha256": data.train.sha256,
    ...(opts.valid ? { "larder.valid.path": opts.valid, "larder.valid.sha256": data.valid.sha256 } : { "larder.valid.fraction": String(opts.validFraction ?? 0.2) }),
    "larder.classes": data.classes.join(","),
  };
}

function planTrials(opts: TrainRunOptions): Array<Record<string, ParamValue>> {
  const userParams = opts.params ?? {};
  if (!opts.search) return [{}];
  return opts.search.mode === "grid"
    ? gridTrials(opts.search.space)
    : randomTrials(opts.search.space, opts.search.trials ?? 10, Number(userParams.seed ?? 42));
}

/** Boosting rounds per trial as planned (early stopping may end a trial sooner). */
export function plannedRounds(opts: TrainRunOptions): number[] {
  return planTrials(opts).map((trial) => resolveParams({ ...(opts.params ?? {}), ...trial }).numIterations);
}

/**
 * `larder track run`: trains Larder's booster on a file and logs params, metrics (accuracy,
 * f1_macro, f1_<class>, logloss, training and validation curves), tags (data hashes, features),
 * plots, a classification report and the model in MLflow's LightGBM flavor. With `search`, one
 * parent run and a nested run per trial; the parent is tagged with the best child and gets its model.
 */
export async function trainRun(opts: TrainRunOptions): Promise<TrainRunResult> {
  if (!opts.featureService) return trainRunOn(opts, {});
  const scratch = await mkdtemp(join(tmpdir(), "larder-training-set-"));
  try {
    const built = await buildTrainingSet(opts.featureService, join(scratch, "training_set.parquet"));
    return await trainRunOn(
      { ...opts, train: built.path, features: opts.features ?? built.features },
      {
        "larder.feature_service": opts.featureService.name,
        "larder.feature_repo": opts.featureService.repoDir,
        "larder.entities.path": opts.featureService.entities,
        "larder.entities.sha256": await fileSha256(opts.featureService.entities),
      },
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The point-in-time training set of a feature service, and the feature columns it added. */
async function buildTrainingSet(source: NonNullable<TrainRunOptions["featureService"]>, output: string): Promise<{ path: string; features: string[] }> {
  const { writeHistoricalFeatures } = await import("../featurestore/index.js");
  const { Duck } = await import("../core/duckdb.js");
  await writeHistoricalFeatures(source.repoDir, { featureService: source.name, entities: source.entities }, output);
  const columns = await Duck.with(async (duck) => {
    const names = async (path: string) => (await duck.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${tableReader(path)}`)).map((c) => c.column_name);
    const entityColumns = new Set(await names(source.entities));
    return (await names(output)).filter((c) => !entityColumns.has(c));
  });
  return { path: output, features: columns };
}

/** Refuses data that fails its expectations, naming the failed ones. */
async function checkExpectations(path: string, expectations: string): Promise<void> {
  const { validateData } = await import("../monitoring/index.js");
  const report = await validateData(path, expectations);
  if (report.passed) return;
  const failed = report.results.filter((r) => !r.passed).map((r) => `${r.expectation}${r.column ? ` (${r.column})` : ""}`);
  throw new LarderError("DATA_ERROR", `${path} fails ${report.failures} expectation(s) of ${expectations}: ${failed.slice(0, 5).join("; ")}${failed.length > 5 ? "; …" : ""}`, {
    hint: `See every result with: larder validate ${path} --expectations ${expectations}`,
  });
}

async function trainRunOn(opts: TrainRunOptions, extraTags: Record<string, string>): Promise<TrainRunResult> {
  const tracking = { ...(opts.trackingUri ? { trackingUri: opts.trackingUri } : {}) };
  if (opts.expectations) {
    await checkExpectations(opts.train, opts.expectations);
    if (opts.valid) await checkExpectations(opts.valid, opts.expectations);
  }
  const data = await prepareData(opts);
  const tags = { ...dataTags(data, opts), ...extraTags, ...(opts.tags ?? {}) };
  const userParams = opts.params ?? {};
  const trials = planTrials(opts);
  const planned = plannedRounds(opts);
  const total = planned.reduce((a, b) => a + b, 0);
  const before = (trial: number) => planned.slice(0, trial).reduce((a, b) => a + b, 0);
  const parent = await startRun({ ...tracking, experimentName: opts.experiment, ...(opts.runName ? { runName: opts.runName } : {}), tags });
  const parentId = parent.info.runId;
  try {
    if (!opts.search) {
      const { metrics, params } = await trainAndLog(parentId, data, userParams, opts, (round, rounds) =>
        opts.onProgress?.({ trial: 1, trials: 1, round, rounds, done: round, total }),
      );
      await endRun(parentId, "FINISHED", tracking);
      return { runId: parentId, runName: parent.info.runName, experimentId: parent.info.experimentId, params, metrics, children: [], bestRunId: null, modelUri: `runs:/${parentId}/model` };
    }
    const children: TrainedRun[] = [];
    for (const [i, trial] of trials.entries()) {
      const name = `${parent.info.runName}-trial-${i + 1}`;
      const child = await startRun({ ...tracking, experimentId: parent.info.experimentId, runName: name, parentRunId: parentId, tags });
      try {
        const { metrics, params } = await trainAndLog(child.info.runId, data, { ...userParams, ...trial }, opts, (round, rounds) =>
          opts.onProgress?.({ trial: i + 1, trials: trials.length, round, rounds, done: before(i) + round, total }),
        );
        await endRun(child.info.runId, "FINISHED", tracking);
        children.push({ runId: child.info.runId, runName: name, params, metrics });
      } catch (err) {
        await endRun(child.info.runId, "FAILED", tracking);
        throw err;
      }
    }
    const best = children.reduce((a, b) => ((b.metrics.f1_macro ?? -Infinity) > (a.metrics.f1_macro ?? -Infinity) ? b : a));
    await logParams(parentId, { search: opts.search.mode, search_space: JSON.stringify(opts.search.space), trials: trials.length }, tracking);
    await logMetrics(parentId, Object.fromEntries(Object.entries(best.metrics).map(([k, v]) => [`best_${k}`, v])), tracking);
    await setTags(parentId, { best_run_id: best.runId, best_params: JSON.stringify(best.params) }, tracking);
    await logArtifacts(parentId, await getArtifactLocalPath(best.runId, { ...tracking, path: "model" }), { ...tracking, artifactPath: "model" });
    await logText(parentId, JSON.stringify(children.map((c) => ({ run_id: c.runId, params: c.params, f1_macro: c.metrics.f1_macro, accuracy: c.metrics.accuracy })), null, 2), "search_results.json", tracking);
    await endRun(parentId, "FINISHED", tracking);
    return {
      runId: parentId,
      runName: parent.info.runName,
      experimentId: parent.info.experimentId,
      params: best.params,
      metrics: best.metrics,
      children,
      bestRunId: best.runId,
      modelUri: `runs:/${parentId}/model`,
    };
  } catch (err) {
    await endRun(parentId, "FAILED", tracking).catch(() => undefined);
    throw err;
  }
}
