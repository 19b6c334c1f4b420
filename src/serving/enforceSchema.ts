import type { CellValue } from "../gbdt/index.js";
import { describeColumns, isColumnSpecs, type ColumnSpec, type LoadedModel } from "../models/index.js";
import type { TabularInput } from "./parseInvocation.js";
import { ScoringError } from "./scoringError.js";

/** Python's `float()` of a string: decimal or exponent forms, `nan`, `inf`, `infinity`, surrounding spaces. */
function pythonFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase().replaceAll("_", "");
  if (/^[+-]?(nan)$/.test(t)) return NaN;
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t);
  return undefined;
}

function notConvertible(column: string, dtype: string, value: unknown): ScoringError {
  const shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  return ScoringError.badRequest(
    `Invalid input. Data is not compatible with model signature. Failed to convert column ${column} to type '${dtype}'. Error: 'ValueError("could not convert string to float: ${shown}")'`,
  );
}

function convertCell(value: unknown, spec: ColumnSpec, column: string): CellValue {
  switch (spec.type) {
    case "double":
    case "float": {
      if (value === null || value === undefined) return NaN;
      if (typeof value === "number") return value;
      if (typeof value === "boolean") return value ? 1 : 0;
      if (typeof value === "string") {
        const n = pythonFloat(value);
        if (n === undefined) throw notConvertible(column, spec.type === "double" ? "float64" : "float32", value);
        return n;
      }
      throw notConvertible(column, "float64", value);
    }
    case "integer":
    case "long": {
      const n = typeof value === "string" ? pythonFloat(value) : typeof value === "boolean" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n)) {
        throw ScoringError.invalidParameter(
          `Incompatible input types for column ${column}. Can not safely convert ${value === null || value === undefined ? "a missing value" : JSON.stringify(value)} to ${spec.type === "long" ? "int64" : "int32"}.`,
        );
      }
      return n;
    }
    case "boolean":
      if (typeof value === "boolean") return value ? 1 : 0;
      if (value === 0 || value === 1) return value;
      throw ScoringError.invalidParameter(`Incompatible input types for column ${column}. Can not safely convert ${JSON.stringify(value)} to bool.`);
    case "string":
      return value === null || value === undefined ? null : typeof value === "object" ? JSON.stringify(value) : (value as string | number | boolean);
    default:
      throw ScoringError.invalidParameter(`Column ${column} has type ${spec.type}, which Larder's LightGBM models cannot take.`);
  }
}

/** The columns a model expects: its signature's named inputs, else its feature names as doubles. */
export function expectedColumns(model: LoadedModel): ColumnSpec[] {
  const inputs = model.signature?.inputs ?? null;
  if (isColumnSpecs(inputs) && inputs.every((c) => c.name !== null)) return inputs;
  return model.featureNames.map((name) => ({ name, type: "double", required: true }));
}

/** A model's expected columns and the source positions for the column list last sent to it. */
interface SchemaPlan {
  specs: ColumnSpec[];
  lastColumns: readonly string[] | null;
  lastSourceIndex: number[];
}

// A served model and its signature never change, and clients send the same column list request
// after request, so both the specs and the column matching are worked out once, not per request.
const plans = new WeakMap<LoadedModel, SchemaPlan>();

function planOf(model: LoadedModel): SchemaPlan {
  let plan = plans.get(model);
  if (plan === undefined) {
    plan = { specs: expectedColumns(model), lastColumns: null, lastSourceIndex: [] };
    plans.set(model, plan);
  }
  return plan;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where each expected column is in the named input (-1: absent), or MLflow's error for a missing required one. */
function namedSourceIndex(plan: SchemaPlan, columns: string[]): number[] {
  if (plan.lastColumns !== null && sameColumns(plan.lastColumns, columns)) return plan.lastSourceIndex;
  const specs = plan.specs;
  const position = new Map(columns.map((c, i) => [c, i]));
  const missing = specs.filter((s) => s.required && !position.has(s.name!)).map((s) => `'${s.name}'`);
  if (missing.length > 0) {
    throw ScoringError.invalidParameter(
      `Failed to predict data. \nError: Failed to enforce schema of data with schema '${describeColumns(specs)}'. Error: Model is missing inputs [${missing.join(", ")}].`,
    );
  }
  const sourceIndex = specs.map((s) => position.get(s.name!) ?? -1);
  plan.lastColumns = columns.slice();
  plan.lastSourceIndex = sourceIndex;
  return sourceIndex;
}

/**
 * Turns request data into model rows as MLflow's schema enforcement does: columns matched by name
 * and put in signature order, extra columns dropped, missing required ones refused, values cast
 * to the declared types. Unnamed input is taken positionally when its width matches.
 */
export function enforceSchema(model: LoadedModel, input: TabularInput): CellValue[][] {
  const plan = planOf(model);
  const specs = plan.specs;
  let sourceIndex: number[];
  if (input.columns === null) {
    const width = input.rows[0]?.length ?? specs.length;
    if (width !== specs.length) {
      throw ScoringError.invalidParameter(
        `Failed to enforce schema of data with schema '${describeColumns(specs)}'. Error: the input has ${width} unnamed columns; the model takes ${specs.length}. Name the columns (dataframe_split with 'columns', or dataframe_records).`,
      );
    }
    sourceIndex = specs.map((_, i) => i);
  } else {
    sourceIndex = namedSourceIndex(plan, input.columns);
  }
  const out: CellValue[][] = new Array(input.rows.length);
  for (let r = 0; r < input.rows.length; r++) {
    const row = input.rows[r]!;
    const cells: CellValue[] = new Array(specs.length);
    for (let j = 0; j < specs.length; j++) {
      const i = sourceIndex[j]!;
      const spec = specs[j]!;
      cells[j] = convertCell(i < 0 ? null : row[i], spec, spec.name ?? String(j));
    }
    out[r] = cells;
  }
  return out;
}
