/**
 * Prediction inputs, normalized to one shape: row-major `Float64Array` with one slot per model
 * feature. Accepts a flat row-major `Float64Array`, an array of rows, or (through
 * `columnsToRowMajor`) one array per feature.
 */
import { LarderError } from "../errors.js";

/**
 * A flat row-major `Float64Array` or `Float32Array` (`numFeatures` values per row), or one
 * array-like per row.
 */
export type RowsInput = Float64Array | Float32Array | readonly ArrayLike<number>[];

export interface RowMajor {
  data: Float64Array;
  numRows: number;
}

function shapeError(message: string): LarderError {
  return new LarderError("INVALID_PARAMETER_VALUE", message, {
    hint: "pass one value per model feature, in the order of booster.featureNames",
  });
}

/**
 * Untyped callers (JSON bodies) pass null for a missing value; a typed array would store it as 0,
 * so it is mapped to NaN, as numpy does with None.
 */
export function numberOrNaN(value: number | null | undefined): number {
  return value === null || value === undefined ? NaN : value;
}

export function toRowMajor(rows: RowsInput, numFeatures: number): RowMajor {
  if (rows instanceof Float64Array || rows instanceof Float32Array) {
    if (numFeatures === 0 ? rows.length !== 0 : rows.length % numFeatures !== 0) {
      throw shapeError(`a flat input of ${rows.length} values is not a whole number of rows of ${numFeatures} features`);
    }
    // float32 values widen to double exactly, as numpy's float32 input does in LightGBM
    const data = rows instanceof Float64Array ? rows : Float64Array.from(rows);
    return { data, numRows: numFeatures === 0 ? 0 : rows.length / numFeatures };
  }
  const numRows = rows.length;
  const data = new Float64Array(numRows * numFeatures);
  for (let r = 0; r < numRows; r++) {
    const row = rows[r]!;
    if (row.length !== numFeatures) {
      throw shapeError(`row ${r} has ${row.length} values but the model has ${numFeatures} features`);
    }
    for (let j = 0; j < numFeatures; j++) data[r * numFeatures + j] = numberOrNaN(row[j]);
  }
  return { data, numRows };
}

/** One array-like per feature (all the same length) to row-major. */
export function columnsToRowMajor(columns: readonly ArrayLike<number>[], numFeatures: number): RowMajor {
  if (columns.length !== numFeatures) {
    throw shapeError(`got ${columns.length} columns but the model has ${numFeatures} features`);
  }
  const numRows = numFeatures === 0 ? 0 : columns[0]!.length;
  const data = new Float64Array(numRows * numFeatures);
  for (let j = 0; j < numFeatures; j++) {
    const column = columns[j]!;
    if (column.length !== numRows) {
      throw shapeError(`column ${j} has ${column.length} values but column 0 has ${numRows}`);
    }
    for (let r = 0; r < numRows; r++) data[r * numFeatures + j] = numberOrNaN(column[r]);
  }
  return { data, numRows };
}
