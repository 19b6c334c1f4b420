import type { CellValue } from "../gbdt/index.js";
import type { LoadedModel } from "../models/index.js";

// `predictCells` encodes every cell through the model's pandas category lists, rebuilding those
// lookups on each call. A cell that is already a number comes out of that encoding unchanged
// unless some pandas column has numeric categories (then a number is looked up as a category),
// so for the other models rows of numbers can go to the booster as they are.
const takesNumbersAsIs = new WeakMap<LoadedModel, boolean>();

function numbersPassUnchanged(model: LoadedModel): boolean {
  let known = takesNumbersAsIs.get(model);
  if (known === undefined) {
    try {
      // Validates the category trailer once; a model whose trailer is broken keeps failing the general way.
      model.booster.encodeRows([]);
      const lists = model.booster.pandasCategorical;
      known = lists === null || lists === undefined || (Array.isArray(lists) && lists.every((l) => Array.isArray(l) && !l.some((c) => typeof c === "number")));
    } catch {
      known = false;
    }
    takesNumbersAsIs.set(model, known);
  }
  return known;
}

/** `model.predictCells(rows)`, with the same outputs and errors, skipping the encoding when every cell is a number. */
export function predictRows(model: LoadedModel, rows: readonly (readonly CellValue[])[]): Float64Array {
  if (!numbersPassUnchanged(model)) return model.predictCells(rows);
  const width = model.featureNames.length;
  const data = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== width) return model.predictCells(rows);
    for (let j = 0; j < width; j++) {
      const cell = row[j];
      if (typeof cell !== "number") return model.predictCells(rows);
      data[r * width + j] = cell;
    }
  }
  return model.booster.predict(data);
}
