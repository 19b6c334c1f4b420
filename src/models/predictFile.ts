import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { appendColumns, type ColumnSpec as AppendColumn } from "../core/appendColumns.js";
import { Duck } from "../core/duckdb.js";
import { quotedIdentifier, quotedString } from "../core/sql.js";
import { LarderError } from "../errors.js";
import type { CellValue } from "../gbdt/index.js";
import type { LoadedModel } from "./loadModel.js";

export type PredictionKind = "probability" | "raw" | "leaf" | "contrib";

export interface PredictFileOptions {
  model: LoadedModel;
  /** Rows with the model's feature columns; or, with `featureRepo`, entity rows to join features to. */
  input: string;
  output: string;
  kind?: PredictionKind;
  /** Input columns copied to the output, before the predictions (default with `featureRepo`: every entity column). */
  keep?: string[];
  /** Join the model's feature service point-in-time to the entity rows in `input` first. */
  featureRepo?: string;
  /** The feature service to join (default: the one recorded with the model at training). */
  featureService?: string;
  /** Rows predicted at a time; only this many are held in memory (default 65,536). */
  chunkRows?: number;
  onProgress?: (done: number, total: number) => void;
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
      return model.task === "regression" ? perClass("prob") : classes.map((c) => `prob_${c}`);
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
 * Predictions for a chunk of rows, laid out `width` per row; binary probabilities get both classes.
 * `rows` is either cells (strings allowed, for pandas categorical features) or, for all-numeric
 * inputs, the rows already packed row-major, which skips per-cell conversion.
 */
function predictChunk(model: LoadedModel, kind: PredictionKind, rows: CellValue[][] | Float64Array, n: number): { values: Float64Array; width: number } {
  const encoded = rows instanceof Float64Array ? rows : model.booster.encodeRows(rows);
  if (kind === "leaf") {
    const leaves = Float64Array.from(model.booster.predictLeaf(encoded));
    return { values: leaves, width: n === 0 ? 0 : leaves.length / n };
  }
  if (kind === "contrib") {
    const values = model.booster.predictContrib(encoded);
    return { values, width: model.booster.outputWidth({ predContrib: true }) };
  }
  const values = model.booster.predict(encoded, { rawScore: kind === "raw" });
  if (kind === "probability" && model.task === "binary") {
    // LightGBM gives P(class 1); both class columns are clearer to read.
    const both = new Float64Array(n * 2);
    for (let r = 0; r < n; r++) {
      both[2 * r] = 1 - values[r]!;
      both[2 * r + 1] = values[r]!;
    }
    return { values: both, width: 2 };
  }
  return { values, width: model.booster.outputWidth({ rawScore: kind === "raw" }) };
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL.*|BOOLEAN)$/;

/** The model's feature service joined point-in-time to the entity rows, written to `output`. */
async function joinFeatures(model: LoadedModel, opts: PredictFileOptions, output: string): Promise<void> {
  const recorded = model.mlmodel?.metadata?.feature_service;
  const featureService = opts.featureService ?? (typeof recorded === "string" ? recorded : undefined);
  if (!featureService) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "The model records no feature service to join", { hint: "Pass --feature-service NAME." });
  }
  const { writeHistoricalFeatures } = await import("../featurestore/index.js");
  await writeHistoricalFeatures(opts.featureRepo!, { featureService, entities: opts.input }, output);
}

/**
 * Predicts every row of a CSV or Parquet file and writes one output row per input row, in input
 * order. Rows go through in chunks from a DuckDB table that spills to disk, so inputs larger than
 * memory work. Feature columns are matched by name; a missing one is an error naming it.
 */
export async function predictFile(opts: PredictFileOptions): Promise<PredictFileResult> {
  const { model } = opts;
  const kind = opts.kind ?? "probability";
  const chunkRows = opts.chunkRows ?? 65_536;
  const writeOptions = tableWriterOptions(opts.output);
  const scratch = await mkdtemp(join(tmpdir(), "larder-predict-"));
  try {
    let source = opts.input;
    let keep = opts.keep ?? [];
    if (opts.featureRepo) {
      source = join(scratch, "features.parquet");
      await joinFeatures(model, opts, source);
      if (opts.keep === undefined) {
        keep = await Duck.with(async (duck) => (await duck.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${tableReader(opts.input)}`)).map((c) => c.column_name));
      }
    }
    // In memory, spilling to the scratch folder when the input outgrows memory: larger-than-memory
    // inputs still work, and small ones are not written to disk first.
    const duck = await Duck.open();
    try {
      await duck.run(`SET temp_directory = ${quotedString(join(scratch, "spill"))}`);
      await duck.run(`CREATE TABLE input AS SELECT * FROM ${tableReader(source)}`).catch((err: Error) => {
        throw new LarderError("IO_ERROR", `Could not read ${opts.input}: ${err.message.split("\n")[0]}`);
      });
      const types = new Map((await duck.all<{ column_name: string; column_type: string }>("DESCRIBE input")).map((c) => [c.column_name, c.column_type]));
      const missing = model.featureNames.filter((f) => !types.has(f));
      if (missing.length > 0) {
        throw new LarderError("INVALID_PARAMETER_VALUE", `${opts.input} is missing the model's feature column(s): ${missing.join(", ")}`, {
          hint: `The model takes ${model.featureNames.join(", ")}.`,
        });
      }
      const unknownKeep = keep.filter((k) => !types.has(k));
      if (unknownKeep.length > 0) throw new LarderError("INVALID_PARAMETER_VALUE", `--keep names column(s) not in ${opts.input}: ${unknownKeep.join(", ")}`);
      const [{ n: total } = { n: 0n }] = await duck.all<{ n: bigint }>("SELECT count(*) AS n FROM input");
      const totalRows = Number(total);

      const features = model.featureNames.map((f) => (NUMERIC.test(types.get(f)!) ? `${quotedIdentifier(f)}::DOUBLE` : quotedIdentifier(f)));
      const result = await duck.connection.stream(`SELECT rowid AS __row, ${features.join(", ")} FROM input ORDER BY rowid`);
      let names: string[] | null = null;
      let done = 0;
      // Numeric inputs for a model without pandas categories are packed straight into a row-major
      // buffer; anything else goes through cells so strings can be mapped to category codes.
      const numFeatures = model.featureNames.length;
      const packed = model.booster.pandasCategorical == null && model.featureNames.every((f) => NUMERIC.test(types.get(f)!));
      const buffer = packed ? new Float64Array(chunkRows * numFeatures) : null;
      let pendingCells: CellValue[][] = [];
      let pendingIds: number[] = [];
      const flush = async () => {
        const count = pendingIds.length;
        if (count === 0) return;
        const { values, width } = predictChunk(model, kind, buffer ? buffer.subarray(0, count * numFeatures) : pendingCells, count);
        const firstChunk = names === null;
        names ??= predictionColumns(model, kind, width);
        const columns: AppendColumn[] = [{ name: "__row", type: "DOUBLE", values: Float64Array.from(pendingIds) }];
        names.forEach((name, k) => {
          const column = new Float64Array(count);
          for (let r = 0; r < count; r++) column[r] = values[r * width + k]!;
          columns.push({ name, type: "DOUBLE", values: column });
        });
        await appendColumns(duck, "predictions", columns, { create: firstChunk });
        done += count;
        opts.onProgress?.(done, totalRows);
        pendingCells = [];
        pendingIds = [];
      };
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const cols = chunk.getColumns();
        for (let r = 0; r < chunk.rowCount; r++) {
          const slot = pendingIds.length;
          pendingIds.push(Number(cols[0]![r] as bigint));
          if (buffer) {
            for (let j = 0; j < numFeatures; j++) {
              const v = cols[j + 1]![r];
              buffer[slot * numFeatures + j] = v === null ? NaN : (v as number);
            }
          } else {
            pendingCells.push(cols.slice(1).map((c) => {
              const v = c[r];
              return typeof v === "bigint" ? Number(v) : (v as CellValue);
            }));
          }
          if (pendingIds.length >= chunkRows) await flush();
        }
      }
      await flush();
      const outputNames: string[] = names ?? predictionColumns(model, kind, model.booster.outputWidth({ rawScore: kind === "raw", predLeaf: kind === "leaf", predContrib: kind === "contrib" }));
      if (names === null) {
        await duck.run(`CREATE TABLE predictions (__row DOUBLE, ${outputNames.map((n) => `${quotedIdentifier(n)} DOUBLE`).join(", ")})`);
      }
      const keepSql = keep.map((k) => `i.${quotedIdentifier(k)}`);
      const predSql = outputNames.map((n) => (kind === "leaf" ? `p.${quotedIdentifier(n)}::INTEGER AS ${quotedIdentifier(n)}` : `p.${quotedIdentifier(n)}`));
      await duck.run(
        `COPY (SELECT ${[...keepSql, ...predSql].join(", ")}
               FROM (SELECT *, rowid::DOUBLE AS __row FROM input) i
               JOIN predictions p USING (__row) ORDER BY __row)
         TO ${quotedString(opts.output)} (${writeOptions})`,
      );
      return { rows: totalRows, output: opts.output, columns: [...keep, ...outputNames] };
    } finally {
      duck.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
