import { resolve } from "node:path";
import { Duck } from "../../core/duckdb.js";
import { quotedIdentifier } from "../../core/sql.js";
import { LarderError } from "../../errors.js";
import { isDirectory, isNumericType } from "../tableInput.js";
import { columnDrift, type ColumnDrift } from "./featureStats.js";
import { loadReferenceSide, predictRunReference } from "./runReference.js";
import { loadDataSide, type DriftSide, type SidePrediction } from "./sides.js";
import { DEFAULT_THRESHOLDS, type DriftThresholds } from "./thresholds.js";

export interface MonitorDriftOptions {
  /** A CSV/Parquet file, a prediction log folder, or a run (`runs:/ID` or a 32-hex id). */
  reference: string;
  /** A CSV/Parquet file or a prediction log folder. */
  current: string;
  /** Columns to compare; default: the run's features, else the columns both sides share. */
  features?: string[];
  thresholds?: DriftThresholds;
  /** Class names in model output order, to name the arg-max index of logged probabilities. */
  classNames?: string[];
  trackingUri?: string;
  /** Relative paths (and a run's relative training path) resolve against this. */
  cwd?: string;
}

export interface FeatureDrift extends ColumnDrift {
  feature: string;
  /** True for the row comparing the model's predictions rather than an input. */
  prediction: boolean;
  drifted: boolean;
  /** Which thresholds were passed, e.g. `psi 0.41 > 0.2`. */
  reasons: string[];
}

export interface DriftReport {
  reference: string;
  current: string;
  thresholds: DriftThresholds;
  features: FeatureDrift[];
  drifted: boolean;
  driftedFeatures: string[];
  notes: string[];
}

export const PREDICTION_ROW = "(prediction)";

/** Compares the distributions of features (and predictions) between a reference and current data. */
export async function monitorDrift(options: MonitorDriftOptions): Promise<DriftReport> {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const sideOptions = { cwd: options.cwd ?? process.cwd(), trackingUri: options.trackingUri };
  return Duck.with(async (duck) => {
    const reference = await loadReferenceSide(duck, options.reference, sideOptions);
    try {
      return await compareSides(duck, reference, options, thresholds, sideOptions);
    } finally {
      await reference.cleanup?.();
    }
  });
}

async function compareSides(
  duck: Duck,
  reference: DriftSide,
  options: MonitorDriftOptions,
  thresholds: DriftThresholds,
  sideOptions: { cwd: string; trackingUri: string | undefined },
): Promise<DriftReport> {
  const notes: string[] = [];
  // A run's own predictions are made first when the current side is a log, so the log's class
  // indices can be named by the model's classes.
  let referencePrediction: SidePrediction | string | null = reference.prediction;
  const currentIsLog = await isDirectory(resolve(sideOptions.cwd, options.current));
  if (referencePrediction === null && currentIsLog) referencePrediction = await predictRunReference(duck, reference, sideOptions.trackingUri);
  const classNames = options.classNames ?? (typeof referencePrediction === "object" ? referencePrediction?.classNames : undefined);
  const current = await loadDataSide(duck, "current", options.current, sideOptions, classNames);
  if (referencePrediction === null && current.prediction !== null) referencePrediction = await predictRunReference(duck, reference, sideOptions.trackingUri);
  const features = chooseFeatures(reference, current, options.features, notes);
  const rows: FeatureDrift[] = [];
  for (const feature of features) {
    const kind = await featureKind(duck, reference, current, feature);
    const select = (side: DriftSide) => `(SELECT ${quotedIdentifier(feature)} AS x FROM ${quotedIdentifier(side.table)})`;
    const stats = await columnDrift(duck, select(reference), select(current), kind);
    rows.push(judge({ feature, prediction: false, ...stats }, thresholds));
  }
  const predictionRow = await comparePredictions(duck, referencePrediction, current, notes);
  if (predictionRow) rows.push(judge(predictionRow, thresholds));
  const drifted = rows.filter((r) => r.drifted).map((r) => r.feature);
  return {
    reference: reference.description,
    current: current.description,
    thresholds,
    features: rows,
    drifted: drifted.length > 0,
    driftedFeatures: drifted,
    notes,
  };
}

function chooseFeatures(reference: DriftSide, current: DriftSide, asked: string[] | undefined, notes: string[]): string[] {
  const inReference = new Set(reference.columns.map((c) => c.name));
  const inCurrent = new Set(current.columns.map((c) => c.name));
  if (asked && asked.length > 0) {
    for (const [side, names] of [["reference", inReference], ["current", inCurrent]] as const) {
      const missing = asked.filter((f) => !names.has(f));
      if (missing.length > 0) {
        throw new LarderError("INVALID_PARAMETER_VALUE", `The ${side} data has no column(s) ${missing.join(", ")}`, {
          hint: `It has ${[...names].join(", ")}.`,
        });
      }
    }
    return asked;
  }
  const shared = reference.defaultFeatures.filter((f) => inCurrent.has(f));
  const skipped = reference.defaultFeatures.filter((f) => !inCurrent.has(f));
  if (skipped.length > 0) notes.push(`Not in the current data, skipped: ${skipped.join(", ")}`);
  if (shared.length === 0) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "The reference and current data share no feature column", {
      hint: "Name the columns with --features.",
    });
  }
  return shared;
}

/** Numeric when every non-null value on both sides reads as a number (logged inputs are text). */
async function featureKind(duck: Duck, reference: DriftSide, current: DriftSide, feature: string): Promise<"numeric" | "categorical"> {
  const typeOf = (side: DriftSide) => side.columns.find((c) => c.name === feature)!.type;
  if ([reference, current].some((s) => /^BOOLEAN$/i.test(typeOf(s)))) return "categorical";
  if (isNumericType(typeOf(reference)) && isNumericType(typeOf(current))) return "numeric";
  const column = quotedIdentifier(feature);
  const count = (side: DriftSide) =>
    `(SELECT count(${column}) - count(TRY_CAST(${column} AS DOUBLE)) FROM ${quotedIdentifier(side.table)})`;
  const [row] = await duck.all<{ bad: bigint; present: bigint }>(
    `SELECT ${count(reference)} + ${count(current)} AS bad, (SELECT count(${column}) FROM ${quotedIdentifier(reference.table)}) AS present`,
  );
  return Number(row!.bad) === 0 && Number(row!.present) > 0 ? "numeric" : "categorical";
}

async function comparePredictions(
  duck: Duck,
  referencePrediction: SidePrediction | string | null,
  current: DriftSide,
  notes: string[],
): Promise<Omit<FeatureDrift, "drifted" | "reasons"> | null> {
  if (current.prediction === null) return null;
  if (referencePrediction === null || typeof referencePrediction === "string") {
    notes.push(`Prediction distribution not compared: ${referencePrediction ?? "the reference has no predictions"}.`);
    return null;
  }
  if (referencePrediction.kind !== current.prediction.kind) {
    notes.push(`Prediction distribution not compared: the reference has ${referencePrediction.kind === "class" ? "classes" : "numbers"}, the current data ${current.prediction.kind === "class" ? "classes" : "numbers"}.`);
    return null;
  }
  const kind = current.prediction.kind === "value" ? "numeric" : "categorical";
  const stats = await columnDrift(duck, referencePrediction.relation, current.prediction.relation, kind);
  return { feature: PREDICTION_ROW, prediction: true, ...stats };
}

const formatP = (p: number): string => (p === 0 ? "0" : p.toPrecision(3));

function judge(row: Omit<FeatureDrift, "drifted" | "reasons">, thresholds: DriftThresholds): FeatureDrift {
  const reasons: string[] = [];
  if (thresholds.psi !== undefined && row.psi > thresholds.psi) reasons.push(`psi ${row.psi.toFixed(3)} > ${thresholds.psi}`);
  if (thresholds.ks_pvalue !== undefined && row.ks && row.ks.pValue < thresholds.ks_pvalue) {
    reasons.push(`ks p ${formatP(row.ks.pValue)} < ${thresholds.ks_pvalue}`);
  }
  if (thresholds.chi2_pvalue !== undefined && row.chiSquare && row.chiSquare.pValue < thresholds.chi2_pvalue) {
    reasons.push(`chi2 p ${formatP(row.chiSquare.pValue)} < ${thresholds.chi2_pvalue}`);
  }
  // No statistic exists when one side has no values at all, yet a column gone empty has drifted.
  const empty = (rows: number, nullShare: number) => rows > 0 && nullShare === 1;
  if (empty(row.referenceRows, row.referenceNullShare) !== empty(row.currentRows, row.currentNullShare)) {
    reasons.push(empty(row.currentRows, row.currentNullShare) ? "all null in current" : "all null in reference");
  }
  return { ...row, drifted: reasons.length > 0, reasons };
}
