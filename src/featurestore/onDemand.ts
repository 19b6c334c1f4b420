import { LarderError } from "../errors.js";
import type { Columns, OnDemandTransform } from "./definitions/OnDemandFeatureView.js";
import type { SelectedOnDemandView } from "./featureRefs.js";

/**
 * Runs each on-demand view's transform over fetched columns (offline after the join, online after the
 * read) and returns its requested outputs by output name. The transform sees each input as both
 * `feature` and `view__feature`; int64 inputs arrive as numbers so ordinary arithmetic works.
 */
export function applyOnDemand(
  selections: readonly SelectedOnDemandView[],
  fetched: Columns,
  rowCount: number,
  transforms: ReadonlyMap<string, OnDemandTransform>,
): Columns {
  const result: Columns = {};
  for (const selected of selections) {
    const name = selected.odfv.name;
    const transform = transforms.get(name);
    if (transform === undefined) {
      throw new LarderError("INVALID_STATE", `The transform of on demand feature view ${name} is not loaded`, {
        hint: "Its function comes from features.ts; run from the feature repo, or run larder fs apply",
      });
    }
    const inputs: Columns = {};
    for (const input of selected.inputs) {
      const values = (fetched[input.alias] ?? new Array(rowCount).fill(null)).map(plainNumber);
      inputs[input.feature] = values;
      inputs[`${input.view}__${input.feature}`] = values;
    }
    let outputs: Columns;
    try {
      outputs = transform(inputs);
    } catch (err) {
      throw new LarderError("DATA_ERROR", `The transform of on demand feature view ${name} failed: ${(err as Error).message}`, { cause: err });
    }
    for (const output of selected.outputs) {
      const values = outputs?.[output.feature];
      if (!Array.isArray(values) || values.length !== rowCount) {
        throw new LarderError(
          "DATA_ERROR",
          `The transform of on demand feature view ${name} must return ${output.feature} as an array of ${rowCount} values`,
        );
      }
      result[output.alias] = values.map((v) => (v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : v));
    }
  }
  return result;
}

function plainNumber(value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}
