import { resolve } from "node:path";
import type { Duck } from "../../core/duckdb.js";
import { quotedIdentifier, quotedString } from "../../core/sql.js";
import { LarderError } from "../../errors.js";
import { predictionLogSql } from "../../serving/predictionLog.js";
import { loggedInputSql, namedClassSql, predictedValueSql, predictionRowsSql } from "../predictionRows.js";
import { describeTable, isDirectory, isTemporalType, loadTable, type ColumnInfo } from "../tableInput.js";

/** One side of a drift comparison, loaded into a DuckDB table. */
export interface DriftSide {
  /** What the user named, for reports: a path, or `runs:/ID (path)`. */
  description: string;
  table: string;
  columns: ColumnInfo[];
  /** Columns worth comparing when --features is not given. */
  defaultFeatures: string[];
  prediction: SidePrediction | null;
  runId?: string;
  trainPath?: string;
  /** Removes files made to read this side (a rebuilt training set). */
  cleanup?: () => Promise<void>;
}

/** Where a side's predictions are: a relation with one column `x`, class labels or numbers. */
export interface SidePrediction {
  relation: string;
  kind: "class" | "value";
  /** Class names in model output order, when the side knows them (`prob_<class>` columns). */
  classNames?: string[];
}

export interface SideOptions {
  cwd: string;
  trackingUri?: string;
}

const PREDICTION_COLUMN = "prediction";
const isProbabilityColumn = (name: string): boolean => name.startsWith("prob_");

/** A file (CSV/Parquet) or a prediction log folder. */
export async function loadDataSide(duck: Duck, table: string, spec: string, options: SideOptions, classNames?: string[]): Promise<DriftSide> {
  const path = resolve(options.cwd, spec);
  if (await isDirectory(path)) return loadLogSide(duck, table, path, spec, classNames);
  const columns = await loadTable(duck, table, path);
  return { description: spec, table, columns, defaultFeatures: fileFeatures(columns), prediction: filePrediction(table, columns) };
}

/**
 * The columns compared by default: not predictions, timestamps or identifiers (`id`, `*_id`),
 * the same columns `larder track run` leaves out of a model by default.
 */
export function fileFeatures(columns: ColumnInfo[]): string[] {
  return columns
    .filter((c) => c.name !== PREDICTION_COLUMN && !isProbabilityColumn(c.name) && !isTemporalType(c.type))
    .filter((c) => c.name !== "id" && !c.name.endsWith("_id"))
    .map((c) => c.name);
}

/** `larder predict` output: `prob_<class>` columns (arg-max is the class), or one `prediction` column. */
export function filePrediction(table: string, columns: ColumnInfo[]): SidePrediction | null {
  const probs = columns.filter((c) => isProbabilityColumn(c.name)).map((c) => c.name);
  const from = quotedIdentifier(table);
  if (probs.length === 2) {
    // A binary model logs P(class 1), so the second probability is what the log side has.
    return { relation: `(SELECT ${quotedIdentifier(probs[1]!)}::DOUBLE AS x FROM ${from})`, kind: "value", classNames: probs.map((p) => p.slice(5)) };
  }
  if (probs.length > 2) {
    const names = probs.map((p) => p.slice(5));
    const list = `[${probs.map(quotedIdentifier).join(", ")}]`;
    return {
      relation: `(SELECT list_extract([${names.map(quotedString).join(", ")}], list_position(${list}, list_max(${list}))) AS x FROM ${from})`,
      kind: "class",
      classNames: names,
    };
  }
  const single = columns.find((c) => c.name === PREDICTION_COLUMN);
  if (!single) return null;
  const numeric = /^(DOUBLE|FLOAT|REAL|DECIMAL.*)$/i.test(single.type);
  return numeric
    ? { relation: `(SELECT ${quotedIdentifier(single.name)}::DOUBLE AS x FROM ${from})`, kind: "value" }
    : { relation: `(SELECT ${quotedIdentifier(single.name)}::VARCHAR AS x FROM ${from})`, kind: "class" };
}

/**
 * A prediction log as a table: one row per scored row, one VARCHAR column per logged input, and
 * the row's predicted class (index mapped through `classNames` when known) and numeric output.
 */
async function loadLogSide(duck: Duck, table: string, dir: string, spec: string, classNames?: string[]): Promise<DriftSide> {
  const log = await predictionLogSql(dir);
  if (log === null) throw new LarderError("RESOURCE_DOES_NOT_EXIST", `The prediction log folder ${spec} holds no records`);
  await duck.run(`CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(`${table}_log_rows`)} AS SELECT * FROM ${predictionRowsSql(log)}`);
  const rows = quotedIdentifier(`${table}_log_rows`);
  const lists = await duck.all<{ input_columns: string[] }>(`SELECT DISTINCT input_columns FROM ${rows} WHERE input_columns IS NOT NULL`);
  const names: string[] = [];
  for (const { input_columns } of lists) for (const c of input_columns) if (!names.includes(c)) names.push(c);
  const classSql = namedClassSql(classNames && classNames.length > 0 ? `[${classNames.map(quotedString).join(", ")}]` : null);
  const selects = [
    ...names.map((n) => `${loggedInputSql(n)} AS ${quotedIdentifier(n)}`),
    `${classSql} AS __predicted_class`,
    `${predictedValueSql} AS __predicted_value`,
  ];
  await duck.run(`CREATE OR REPLACE TABLE ${quotedIdentifier(table)} AS SELECT ${selects.join(", ")} FROM ${rows}`);
  const counts = (await duck.all<{ values: bigint }>(`SELECT count(__predicted_value) AS values FROM ${quotedIdentifier(table)}`))[0]!;
  const from = quotedIdentifier(table);
  const prediction: SidePrediction =
    Number(counts.values) > 0
      ? { relation: `(SELECT __predicted_value AS x FROM ${from})`, kind: "value" }
      : { relation: `(SELECT __predicted_class AS x FROM ${from})`, kind: "class" };
  const columns = (await describeTable(duck, table)).filter((c) => !c.name.startsWith("__predicted_"));
  return { description: spec, table, columns, defaultFeatures: names, prediction };
}
