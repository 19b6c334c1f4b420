import { describe, expect, it } from "vitest";
import { Booster, type TreeData } from "../../src/gbdt/index.js";
import { constantTreeData } from "../../src/gbdt/tree.js";
import {
  GOLDEN_MISSING_MESSAGE,
  goldenAvailable,
  goldenFixtureNames,
  readGoldenCsv,
  readGoldenText,
} from "../helpers/goldenCsv.js";
import { randomModel, randomRows } from "./randomTrees.js";
import { bruteForceShapley } from "./referencePredictor.js";

if (!goldenAvailable) console.warn(GOLDEN_MISSING_MESSAGE);

function constantTree(value: number): TreeData {
  return constantTreeData(value, 100);
}

function closeTo(actual: number, expected: number, scale: number): boolean {
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(scale));
}

/** Brute-force contributions of a whole model: per class, the sum over its trees. */
function bruteForceModel(booster: Booster, row: Float64Array): number[] {
  const perIteration = booster.numTreePerIteration;
  const block = booster.numFeatures + 1;
  const out = new Array<number>(perIteration * block).fill(0);
  booster.trees.forEach((tree, t) => {
    const phi = bruteForceShapley(tree, row, booster.numFeatures);
    phi.forEach((v, j) => (out[(t % perIteration) * block + j] += v));
  });
  return out;
}

describe.skipIf(!goldenAvailable)("predictContrib on the golden fixtures", () => {
  for (const name of goldenFixtureNames()) {
    describe(name, () => {
      const booster = Booster.fromString(readGoldenText(name, "model.txt"));
      const input = readGoldenCsv(name, "input.csv");
      const expectedRaw = readGoldenCsv(name, "expected_raw.csv").values;
      const perIteration = booster.numTreePerIteration;
      const block = booster.numFeatures + 1;

      it("contributions plus the expected value sum to the raw score", () => {
        const contrib = booster.predictContrib(input.values);
        expect(contrib.length).toBe(input.numRows * perIteration * block);
        let bad = 0;
        for (let r = 0; r < input.numRows; r++) {
          for (let k = 0; k < perIteration; k++) {
            let sum = 0;
            for (let j = 0; j < block; j++) sum += contrib[(r * perIteration + k) * block + j]!;
            const raw = expectedRaw[r * perIteration + k]!;
            if (!closeTo(sum, raw, raw)) bad++;
          }
        }
        expect(bad).toBe(0);
      });

      it("matches exact Shapley values by subset enumeration (first 12 rows)", () => {
        const width = booster.numFeatures;
        const rows = input.values.subarray(0, 12 * width);
        const contrib = booster.predictContrib(rows);
        let bad = 0;
        for (let r = 0; r < 12; r++) {
          const expected = bruteForceModel(booster, rows.subarray(r * width, (r + 1) * width));
          expected.forEach((v, i) => (bad += closeTo(contrib[r * expected.length + i]!, v, v) ? 0 : 1));
        }
        expect(bad).toBe(0);
      });
    });
  }
});

describe("predictContrib on seeded random trees", () => {
  const cases = [
    { seed: 21, numFeatures: 4, numTrees: 12, maxLeaves: 12, categoricalFeatures: [2], perIteration: 1 },
    { seed: 22, numFeatures: 3, numTrees: 6, maxLeaves: 20, categoricalFeatures: [] as number[], perIteration: 2 },
    { seed: 23, numFeatures: 6, numTrees: 8, maxLeaves: 9, categoricalFeatures: [0, 5], perIteration: 1 },
  ];
  for (const { seed, perIteration, ...options } of cases) {
    it(`seed ${seed}: equals brute-force Shapley values, including 1-leaf trees and repeated features`, () => {
      const { meta, trees } = randomModel(seed, { ...options, perIteration });
      // one more iteration of constant trees, as LightGBM makes for an absent class
      for (let k = 0; k < perIteration; k++) trees.push(constantTree(0.25 + k));
      const booster = Booster.fromTrees(meta, trees);
      const rows = randomRows(seed + 1, 40, options.numFeatures, options.categoricalFeatures);
      const contrib = booster.predictContrib(rows);
      const raw = booster.predict(rows, { rawScore: true });
      const block = options.numFeatures + 1;
      let bad = 0;
      for (let r = 0; r < 40; r++) {
        const expected = bruteForceModel(booster, rows.subarray(r * options.numFeatures, (r + 1) * options.numFeatures));
        expected.forEach((v, i) => (bad += closeTo(contrib[r * expected.length + i]!, v, v) ? 0 : 1));
        for (let k = 0; k < perIteration; k++) {
          let sum = 0;
          for (let j = 0; j < block; j++) sum += contrib[(r * perIteration + k) * block + j]!;
          bad += closeTo(sum, raw[r * perIteration + k]!, raw[r * perIteration + k]!) ? 0 : 1;
        }
      }
      expect(bad).toBe(0);
    });
  }

  it("predict with predContrib and a window uses only the window's trees", () => {
    const { meta, trees } = randomModel(31, { numFeatures: 3, numTrees: 6, maxLeaves: 6 });
    const booster = Booster.fromTrees(meta, trees);
    const windowed = Booster.fromTrees(meta, trees.slice(2, 5));
    const rows = randomRows(32, 20, 3);
    expect(booster.predict(rows, { predContrib: true, startIteration: 2, numIteration: 3 })).toEqual(windowed.predictContrib(rows));
  });
});
