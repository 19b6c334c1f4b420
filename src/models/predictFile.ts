import { extname } from "node:path";
import { appendColumns, type ColumnSpec as AppendColumn } from "../core/appendColumns.js";
import { Duck } from "../core/duckdb.js";
import { quotedIdentifier, quotedString } from "../core/sql.js";
import { LarderError } from "../errors.js";
import type { CellValue } from "../gbdt/index.js";
import type { LoadedModel } from "./loadModel.js";

export type PredictionKind = "probability" | "raw" | "leaf" | "contrib";

export interface PredictFileOptions {
  model: LoadedModel;
  input: string;
  output: string;
  kind?: PredictionKind;
  /** Input columns copied to the output, before the predictions. */
  keep?: string[];
}

export interface PredictFileResult {
  rows: number;
  output: string;
  columns: string[];
}

export function tableReader(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet" || ext === ".pq") return `read_parquet(${quotedString(path)})`;
  if (ext === ".csv" || ext === ".tsv" || ext === ".txt") return `read_csv(${quotedString(path)}, header = true)`;
  throw new LarderError("INVALID_PARAMETER_VALUE", `Cannot tell the format of ${path} from its extension`, {
    hint: "Use a .parquet or .csv file.",
  });
}

export function tableWriterOptions(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet" || ext === ".pq") return "FORMAT PARQUET";
  if (ext === ".csv") return "FORMAT CSV, HEADER TRUE";
  throw new LarderError("INVALID_PARAMETER_VALUE", `Cannot write ${path}: the output must end in .parquet or .csv`);
}

/** Output column names per prediction kind, as `larder predict` documents them. */
export function predictionColumns(model: LoadedModel, kind: PredictionKind, width: number): string[] {
  const classes = model.classNames;
  const perClass = (prefix: string): string[] =>
    width === 1 ? [prefix === "prob" ? "prediction" : `${prefix}_score`] : classes.map((c) => `${prefix}_${c}`);
  switch (kind) {
    case "probability":
      if (model.task === "binary") return classes.map((c) => `prob_${c}`);
      return model.task === "multiclass" ? classes.map((c) => `prob_${c}`) : perClass("prob");
    case "raw":
      return perClass("raw");
    case "leaf":
      return Array.from({ length: width }, (_, t) => `leaf_${t}`);
    case "contrib": {
      const names = [...model.featureNames, "expected_value"].map((f) => `contrib_${f}`);
      if (width === names.length) return names;
      return classes.flatMap((c) => names.map((n) => `${n}_${c}`));
    }
  }
}

/**
 * Predicts every row of a CSV or Parquet file and writes one output row per input row. Feature
 * columns are matched by name; a missing one is an error naming it.
 */
export async function predictFile(opts: PredictFileOptions): Promise<PredictFileResult> {
  const { model } = opts;
  const kind = opts.kind ?? "probability";
  const writeOptions = tableWriterOptions(opts.output);
  const duck = await Duck.open();
  try {
    await duck.run(`CREATE TABLE input AS SELECT * FROM ${tableReader(opts.input)}`).catch((err: Error) => {
      throw new LarderError("IO_ERROR", `Could not read ${opts.input}: ${err.message.split("\n")[0]}`);
    });
    const available = new Set((await duck.all<{ column_name: string }>("DESCRIBE input")).map((c) => c.column_name));
    const missing = model.featureNames.filter((f) => !available.has(f));
    if (missing.length > 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `${opts.input} is missing the model's feature column(s): ${missing.join(", ")}`, {
        hint: `The model takes ${model.featureNames.join(", ")}.`,
      });
    }
    const keep = opts.keep ?? [];
    const unknownKeep = keep.filter((k) => !available.has(k));
    if (unknownKeep.length > 0) throw new LarderError("INVALID_PARAMETER_VALUE", `--keep names column(s) not in ${opts.input}: ${unknownKeep.join(", ")}`);

    const reader = await duck.connection.runAndReadAll(`SELECT ${model.featureNames.map(quotedIdentifier).join(", ")} FROM input ORDER BY rowid`);
    const columns = reader.getColumnsJS() as unknown[][];
    const numRows = columns[0]?.length ?? 0;
    const rows: CellValue[][] = Array.from({ length: numRows }, (_, r) =>
      columns.map((col) => {
        const v = col[r];
        return typeof v === "bigint" ? Number(v) : (v as CellValue);
      }),
    );
    const encoded = model.booster.encodeRows(rows);
    const values =
      kind === "leaf"
        ? Float64Array.from(model.booster.predictLeaf(encoded))
        : kind === "contrib"
          ? model.booster.predictContrib(encoded)
          : model.booster.predict(encoded, { rawScore: kind === "raw" });
    let width = numRows === 0 ? model.booster.outputWidth({ rawScore: kind === "raw", predLeaf: kind === "leaf", predContrib: kind === "contrib" }) : values.length / numRows;
    let outValues = values;
    if (kind === "probability" && model.task === "binary") {
      // LightGBM gives P(class 1); both class columns are clearer to read.
      outValues = new Float64Array(numRows * 2);
      for (let r = 0; r < numRows; r++) {
        outValues[2 * r] = 1 - values[r]!;
        outValues[2 * r + 1] = values[r]!;
      }
      width = 2;
    }
    const names = predictionColumns(model, kind, width);
    const predictionTable: AppendColumn[] = [{ name: "__row", type: "INTEGER", values: Int32Array.from({ length: numRows }, (_, r) => r) }];
    names.forEach((name, k) => {
      const column = new Float64Array(numRows);
      for (let r = 0; r < numRows; r++) column[r] = outValues[r * width + k]!;
      predictionTable.push({ name, type: "DOUBLE", values: column });
    });
    await appendColumns(duck, "predictions", predictionTable);
    const keepSql = keep.map((k) => `i.${quotedIdentifier(k)}`);
    const predSql = names.map((n) => (kind === "leaf" ? `p.${quotedIdentifier(n)}::INTEGER AS ${quotedIdentifier(n)}` : `p.${quotedIdentifier(n)}`));
    await duck.run(
      `COPY (SELECT ${[...keepSql, ...predSql].join(", ")}
             FROM (SELECT *, rowid::INTEGER AS __row FROM input) i
             JOIN predictions p USING (__row) ORDER BY __row)
       TO ${quotedString(opts.output)} (${writeOptions})`,
    );
    return { rows: numRows, output: opts.output, columns: [...keep, ...names] };
  } finally {
    duck.close();
  }
}
