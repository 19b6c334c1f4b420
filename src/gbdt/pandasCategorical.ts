/**
 * String categories in, LightGBM category codes out, as Python's LightGBM does for pandas
 * `category` columns: the model's `pandas_categorical` trailer lists, per categorical column in
 * column order, the training categories; a value's code is its position in that list, and
 * missing or unseen values become NaN (which every categorical split sends right).
 */
import { LarderError } from "../errors.js";
import type { ModelMeta } from "./tree.js";

export type CellValue = number | string | boolean | null | undefined;

/** Indices of the categorical features, from `[categorical_feature: …]` or else `feature_infos`. */
export function categoricalFeatureIndices(meta: ModelMeta): number[] {
  const line = meta.parameters?.find((p) => p.startsWith("[categorical_feature: "));
  if (line !== undefined) {
    const list = line.slice("[categorical_feature: ".length, -1).trim();
    if (list.length > 0) {
      const byIndex = list.split(",").map((token) => Number(token));
      if (byIndex.every((j) => Number.isInteger(j) && j >= 0 && j < meta.featureNames.length)) return byIndex;
      const byName = list.split(",").map((name) => meta.featureNames.indexOf(name.replace(/^name:/, "")));
      if (byName.every((j) => j >= 0)) return byName;
    }
  }
  const indices: number[] = [];
  meta.featureInfos.forEach((info, j) => {
    if (info.includes(":") && !info.startsWith("[")) indices.push(j);
  });
  return indices;
}

/** Per feature: the category → code lookup for a pandas categorical feature, else null. */
export function pandasCategoryMaps(meta: ModelMeta): Array<Map<unknown, number> | null> {
  const maps: Array<Map<unknown, number> | null> = meta.featureNames.map(() => null);
  const lists = meta.pandasCategorical;
  if (lists === null || lists === undefined) return maps;
  if (!Array.isArray(lists) || !lists.every(Array.isArray)) {
    throw new LarderError("DATA_ERROR", "the model's pandas_categorical trailer is not a list of category lists");
  }
  const features = categoricalFeatureIndices(meta);
  if (features.length !== lists.length) {
    throw new LarderError(
      "DATA_ERROR",
      `the model lists categories for ${lists.length} pandas columns but has ${features.length} categorical features`,
      { hint: "encode the categorical columns to codes yourself and pass numbers" },
    );
  }
  lists.forEach((categories: unknown[], i) => {
    maps[features[i]!] = new Map(categories.map((category, code) => [category, code]));
  });
  return maps;
}

function hasNumericCategory(codes: Map<unknown, number>): boolean {
  for (const category of codes.keys()) if (typeof category === "number") return true;
  return false;
}

function numericCell(value: CellValue, feature: string, row: number): number {
  if (value === null || value === undefined || value === "") return NaN;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const parsed = Number(value);
  if (Number.isNaN(parsed) && !/^[+-]?nan$/i.test(value.trim())) {
    throw new LarderError("DATA_ERROR", `row ${row}, feature '${feature}': '${value}' is not a number`, {
      hint: "only pandas categorical features (listed in the model's pandas_categorical) take strings",
    });
  }
  return parsed;
}

/**
 * Rows of mixed cells to row-major numbers: categorical cells through the pandas category lists
 * (a number on a string-category feature is taken as an already-encoded code), other cells as
 * numbers, empty or null as NaN.
 */
export function encodeRows(meta: ModelMeta, rows: readonly (readonly CellValue[])[]): Float64Array {
  const maps = pandasCategoryMaps(meta);
  const takesCodes = maps.map((codes) => codes !== null && !hasNumericCategory(codes));
  const numFeatures = meta.featureNames.length;
  const out = new Float64Array(rows.length * numFeatures);
  rows.forEach((row, r) => {
    if (row.length !== numFeatures) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `row ${r} has ${row.length} values but the model has ${numFeatures} features`);
    }
    for (let j = 0; j < numFeatures; j++) {
      const value = row[j];
      const codes = maps[j];
      let encoded: number;
      if (codes === null || codes === undefined) encoded = numericCell(value, meta.featureNames[j]!, r);
      else if (value === null || value === undefined || value === "") encoded = NaN;
      else if (codes.has(value)) encoded = codes.get(value)!;
      else if (typeof value === "number" && takesCodes[j]) encoded = value;
      else encoded = NaN;
      out[r * numFeatures + j] = encoded;
    }
  });
  return out;
}
