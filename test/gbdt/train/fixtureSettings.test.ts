import { describe, expect, it } from "vitest";
import { Booster } from "../../../src/gbdt/index.js";
import { train } from "../../../src/gbdt/train/index.js";
import { HAVE_FIXTURES, SKIP_REASON, readCsv, readManifest } from "./helpers.js";

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

/** Labels for the prediction fixtures, which ship no labels: the model's own predictions. */
function labelsFrom(fixture: string, objective: string): Float64Array {
  const prob = readCsv(fixture, objective === "regression" ? "expected_raw.csv" : "expected_prob.csv");
  const n = prob.numRows;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (objective === "regression") out[i] = prob.columns[0]![i]!;
    else if (objective === "binary") out[i] = prob.columns[0]![i]! > 0.5 ? 1 : 0;
    else out[i] = prob.columns.reduce((best, col, k) => (col[i]! > prob.columns[best]![i]! ? k : best), 0);
  }
  return out;
}

const FIXTURES: Record<string, number[] | undefined> = {
  binary_cat_nan: undefined,
  multiclass3: undefined,
  multiclassova3: undefined,
  regression: undefined,
  regression_zero_as_missing: undefined,
  // Trained from pandas categoricals in Python; here the codes are passed with categorical_feature.
  pandas_categorical: [1, 2],
};

describe.skipIf(!HAVE_FIXTURES)("training with the other fixtures' settings", () => {
  for (const [fixture, categorical] of Object.entries(FIXTURES)) {
    it(`${fixture}: trains, and the model survives a text round trip`, () => {
      const { params } = readManifest(fixture);
      const { num_boost_round: rounds, num_threads: _t, verbosity: _v, ...rest } = params as Record<string, never>;
      const input = readCsv(fixture, "input.csv");
      const labels = labelsFrom(fixture, String(params.objective));
      const result = train(
        { ...rest, num_iterations: rounds, ...(categorical ? { categorical_feature: categorical } : {}) },
        { columns: input.columns, labels, featureNames: input.header },
      );
      expect(result.trees.length).toBeGreaterThan(0);
      expect(result.trees.length % result.meta.numTreePerIteration).toBe(0);
      const reloaded = Booster.fromString(result.booster.toString());
      const raw = result.booster.predictColumns(input.columns, { rawScore: true });
      expect(Array.from(reloaded.predictColumns(input.columns, { rawScore: true }))).toEqual(Array.from(raw));
      if (params.zero_as_missing) {
        const types = new Set(result.trees.flatMap((t) => Array.from(t.decisionType, (d) => (d >> 2) & 3)));
        expect(types.has(1)).toBe(true);
      }
      if (categorical || params.categorical_feature) expect(result.trees.some((t) => t.numCat > 0)).toBe(true);
    });
  }
});
