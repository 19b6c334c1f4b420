import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Duck } from "../core/duckdb.js";
import { quotedIdentifier } from "../core/sql.js";
import { LarderError } from "../errors.js";
import { tableReader } from "./predictFile.js";

/** Feature columns ready for the booster: numbers as doubles (null → NaN), strings as category codes. */
export interface TrainingTable {
  path: string;
  sha256: string;
  rows: number;
  featureNames: string[];
  columns: Float64Array[];
  /** Per categorical feature index: its categories; a value's code is its position. */
  categories: Map<number, string[]>;
  /** The label column's raw values. */
  labels: unknown[];
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL.*|BOOLEAN)$/;
const TEXT = /^(VARCHAR|ENUM.*)$/;

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * The columns a model trains on when none are named: every numeric or text column except the
 * label, timestamps, and identifiers (`id`, `*_id`), which would let a model memorise rows.
 */
export function defaultFeatureColumns(schema: ReadonlyArray<{ name: string; type: string }>, label: string): string[] {
  return schema
    .filter((c) => c.name !== label && (NUMERIC.test(c.type) || TEXT.test(c.type)))
    .filter((c) => c.name !== "id" && !c.name.endsWith("_id"))
    .map((c) => c.name);
}

export interface ReadTrainingOptions {
  label: string;
  features?: string[];
  /** Category lists to reuse (a validation file takes the training file's codes). */
  categories?: Map<number, string[]>;
}

/** Reads a CSV or Parquet training file through DuckDB into typed feature columns and labels. */
export async function readTrainingTable(path: string, options: ReadTrainingOptions): Promise<TrainingTable> {
  const duck = await Duck.open();
  try {
    await duck.run(`CREATE VIEW data AS SELECT * FROM ${tableReader(path)}`).catch((err: Error) => {
      throw new LarderError("IO_ERROR", `Could not read ${path}: ${err.message.split("\n")[0]}`);
    });
    const schema = (await duck.all<{ column_name: string; column_type: string }>("DESCRIBE data")).map((c) => ({ name: c.column_name, type: c.column_type }));
    const types = new Map(schema.map((c) => [c.name, c.type]));
    if (!types.has(options.label)) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `${path} has no label column '${options.label}'`, {
        hint: `Columns: ${schema.map((c) => c.name).join(", ")}.`,
      });
    }
    const featureNames = options.features ?? defaultFeatureColumns(schema, options.label);
    const missing = featureNames.filter((f) => !types.has(f));
    if (missing.length > 0) throw new LarderError("INVALID_PARAMETER_VALUE", `${path} is missing feature column(s): ${missing.join(", ")}`);
    if (featureNames.includes(options.label)) throw new LarderError("INVALID_PARAMETER_VALUE", `The label '${options.label}' cannot also be a feature`);
    const unusable = featureNames.filter((f) => !NUMERIC.test(types.get(f)!) && !TEXT.test(types.get(f)!));
    if (unusable.length > 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Feature column(s) ${unusable.map((f) => `${f} (${types.get(f)})`).join(", ")} are neither numbers nor text`, {
        hint: "Drop timestamps and nested columns from --features, or derive numbers from them first.",
      });
    }
    if (featureNames.length === 0) throw new LarderError("INVALID_PARAMETER_VALUE", `${path} has no usable feature columns`);
    const select = [...featureNames, options.label].map((c) => {
      const type = types.get(c)!;
      return type === "BOOLEAN" || /INT/.test(type) || /^DECIMAL/.test(type) ? `${quotedIdentifier(c)}::DOUBLE` : quotedIdentifier(c);
    });
    const reader = await duck.connection.runAndReadAll(`SELECT ${select.join(", ")} FROM data`);
    const raw = reader.getColumnsJS() as unknown[][];
    const rows = raw[0]?.length ?? 0;
    const categories = new Map(options.categories ?? []);
    const columns = featureNames.map((name, j) => {
      const values = raw[j]!;
      const out = new Float64Array(rows);
      if (TEXT.test(types.get(name)!)) {
        let list = categories.get(j);
        if (!list) {
          list = [...new Set(values.filter((v): v is string => typeof v === "string"))].sort();
          categories.set(j, list);
        }
        const code = new Map(list.map((c, i) => [c, i]));
        for (let r = 0; r < rows; r++) out[r] = code.get(values[r] as string) ?? NaN;
      } else {
        for (let r = 0; r < rows; r++) {
          const v = values[r];
          out[r] = v === null || v === undefined ? NaN : Number(v);
        }
      }
      return out;
    });
    return { path, sha256: await fileSha256(path), rows, featureNames, columns, categories, labels: raw[featureNames.length]! };
  } finally {
    duck.close();
  }
}

/** Class names in a stable order (numbers numerically, text alphabetically) and each row's class index. */
export function encodeLabels(values: readonly unknown[], classes?: readonly string[]): { classes: string[]; codes: Int32Array } {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length !== values.length) {
    throw new LarderError("DATA_ERROR", `The label column has ${values.length - present.length} missing value(s)`, { hint: "Drop unlabelled rows before training." });
  }
  const names: string[] =
    classes?.slice() ??
    (present.every((v) => typeof v === "number")
      ? [...new Set(present as number[])].sort((a, b) => a - b).map(String)
      : [...new Set(present.map(String))].sort());
  const index = new Map(names.map((n, i) => [n, i]));
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    const code = index.get(String(v));
    if (code === undefined) throw new LarderError("DATA_ERROR", `Label '${String(v)}' does not occur in the training data`, { hint: `Known classes: ${names.join(", ")}.` });
    codes[i] = code;
  });
  return { classes: names, codes };
}
