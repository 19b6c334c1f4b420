import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Booster } from "../../src/gbdt/index.js";

/**
 * Models LightGBM 4.7.0 trained with linear_tree=true (fixtures/lightgbm/linear, made by
 * scripts/fixtures/lightgbm_models.py) and its own predictions on 300 rows, among them a missing
 * leaf feature and values within 1e-35 of zero.
 */
const DIR = path.resolve(import.meta.dirname, "../../fixtures/lightgbm/linear");
const fixture = JSON.parse(readFileSync(path.join(DIR, "predictions.json"), "utf8")) as {
  rows: (number | null)[][];
  models: Record<string, { raw: number[]; output: number[]; leaf: number[] }>;
};
const rows = Float64Array.from(fixture.rows.flat(), (v) => (v === null ? NaN : v));

describe("models with linear trees (LightGBM's linear_tree)", () => {
  for (const [name, expected] of Object.entries(fixture.models)) {
    const text = readFileSync(path.join(DIR, `${name}_model.txt`), "utf8");

    it(`${name}: reads and writes the model text byte for byte`, () => {
      const booster = Booster.fromString(text);
      expect(booster.trees.some((tree) => tree.isLinear && tree.linear!.leafCoeff.some((c) => c.length > 0))).toBe(true);
      expect(booster.toString()).toBe(text);
    });

    it(`${name}: raw scores and leaves equal LightGBM's, outputs within an ulp`, () => {
      const booster = Booster.fromString(text);
      expect(Array.from(booster.predict(rows, { rawScore: true }))).toEqual(expected.raw);
      expect(Array.from(booster.predictLeaf(rows))).toEqual(expected.leaf);
      const output = booster.predict(rows);
      output.forEach((value, i) => expect(Math.abs(value - expected.output[i]!)).toBeLessThanOrEqual(Math.abs(expected.output[i]!) * 2.3e-16));
      // One row at a time takes the same path.
      const numFeatures = booster.numFeatures;
      for (const r of [0, 1, 2, 57]) {
        const one = booster.predictRow(rows.subarray(r * numFeatures, (r + 1) * numFeatures), { rawScore: true });
        expect(Array.from(one)).toEqual(expected.raw.slice(r * one.length, (r + 1) * one.length));
      }
    });
  }

  it("refuses SHAP contributions, as LightGBM does", () => {
    const booster = Booster.fromString(readFileSync(path.join(DIR, "linear_regression_model.txt"), "utf8"));
    expect(() => booster.predictContrib(rows.subarray(0, booster.numFeatures))).toThrow(/linear trees/);
  });
});
