import { describe, expect, it } from "vitest";
import { LarderError } from "../../src/errors.js";
import { correctlyRoundedExp as exp } from "../../src/gbdt/correctlyRoundedExp.js";
import { Booster } from "../../src/gbdt/index.js";
import {
  GOLDEN_MISSING_MESSAGE,
  goldenAvailable,
  goldenFixtureNames,
  readGoldenCsv,
  readGoldenText,
} from "../helpers/goldenCsv.js";
import { randomModel, randomRows } from "./randomTrees.js";
import { densify, referenceLeaf, referenceRaw } from "./referencePredictor.js";

if (!goldenAvailable) console.warn(GOLDEN_MISSING_MESSAGE);

/** Distance in units in the last place between two doubles of the same sign. */
function ulpDistance(a: number, b: number): number {
  if (a === b) return 0;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Math.abs(Number(view.getBigInt64(0) - view.getBigInt64(8)));
}

describe.skipIf(!goldenAvailable)("predict against the golden LightGBM 4.7.0 fixtures", () => {
  for (const name of goldenFixtureNames()) {
    describe(name, () => {
      const booster = Booster.fromString(readGoldenText(name, "model.txt"));
      const input = readGoldenCsv(name, "input.csv");

      it("raw scores are bit-identical", () => {
        const expected = readGoldenCsv(name, "expected_raw.csv");
        const raw = booster.predict(input.values, { rawScore: true });
        expect(raw.length).toBe(expected.values.length);
        const mismatches = [...raw].filter((v, i) => !Object.is(v, expected.values[i])).length;
        expect(mismatches).toBe(0);
      });

      it("leaf indices are identical", () => {
        const expected = readGoldenCsv(name, "expected_leaf.csv");
        const leaves = booster.predict(input.values, { predLeaf: true });
        expect(leaves).toEqual(expected.values);
        expect(Float64Array.from(booster.predictLeaf(input.values))).toEqual(expected.values);
      });

      // LightGBM's glibc exp misrounds about 1 input in 1,500 (its error bound is ~0.5 ulp), where
      // Larder's correctly rounded exp is 1 ulp away; everywhere else the outputs are identical.
      it("transformed outputs are within 1 ulp, and identical for at least 99.5% of values", () => {
        const expected = readGoldenCsv(name, "expected_prob.csv");
        const prob = booster.predict(input.values);
        expect(prob.length).toBe(expected.values.length);
        let worst = 0;
        let differing = 0;
        prob.forEach((v, i) => {
          const distance = ulpDistance(v, expected.values[i]!);
          worst = Math.max(worst, distance);
          if (distance > 0) differing++;
        });
        expect(worst).toBeLessThanOrEqual(1);
        expect(differing).toBeLessThanOrEqual(prob.length * 0.005);
      });

      it("row arrays, columns and the single-row path agree with the flat path", () => {
        const width = input.header.length;
        const rows = Array.from({ length: input.numRows }, (_, r) => Array.from(input.values.subarray(r * width, (r + 1) * width)));
        const columns = Array.from({ length: width }, (_, j) => Float64Array.from(rows, (row) => row[j]!));
        const flat = booster.predict(input.values);
        expect(booster.predict(rows)).toEqual(flat);
        const float32 = Float32Array.from(input.values);
        expect(booster.predict(float32)).toEqual(booster.predict(Float64Array.from(float32)));
        expect(booster.predictColumns(columns)).toEqual(flat);
        const perRow = rows.flatMap((row) => [...booster.predictRow(row)]);
        expect(Float64Array.from(perRow)).toEqual(flat);
      });
    });
  }
});

describe("the flat predictor equals the plain reference on seeded random models", () => {
  const cases = [
    { seed: 1, numFeatures: 5, numTrees: 40, maxLeaves: 31, categoricalFeatures: [] as number[], perIteration: 1 },
    { seed: 2, numFeatures: 6, numTrees: 30, maxLeaves: 15, categoricalFeatures: [1, 4], perIteration: 1 },
    { seed: 3, numFeatures: 4, numTrees: 10, maxLeaves: 8, categoricalFeatures: [0], perIteration: 3 },
    { seed: 4, numFeatures: 3, numTrees: 20, maxLeaves: 2, categoricalFeatures: [2], perIteration: 1 },
  ];
  for (const { seed, perIteration, ...options } of cases) {
    it(`seed ${seed}: raw scores and leaves match exactly`, () => {
      const { meta, trees } = randomModel(seed, { ...options, perIteration });
      const booster = Booster.fromTrees(meta, trees);
      const rows = randomRows(seed + 100, 2000, options.numFeatures, options.categoricalFeatures);
      const raw = booster.predict(rows, { rawScore: true });
      const leaves = booster.predictLeaf(rows);
      let rawMismatches = 0;
      let leafMismatches = 0;
      for (let r = 0; r < 2000; r++) {
        const row = rows.subarray(r * options.numFeatures, (r + 1) * options.numFeatures);
        const expected = referenceRaw(trees, perIteration, row);
        expected.forEach((v, k) => (rawMismatches += Object.is(v, raw[r * perIteration + k]) ? 0 : 1));
        const dense = densify(row);
        trees.forEach((tree, t) => (leafMismatches += referenceLeaf(tree, dense) === leaves[r * trees.length + t] ? 0 : 1));
      }
      expect(rawMismatches).toBe(0);
      expect(leafMismatches).toBe(0);
    });
  }

  it("startIteration / numIteration select whole iterations as LightGBM does", () => {
    const { meta, trees } = randomModel(9, { numFeatures: 4, numTrees: 6, maxLeaves: 6, perIteration: 2 });
    const booster = Booster.fromTrees(meta, trees);
    const rows = randomRows(10, 50, 4);
    const part = booster.predict(rows, { rawScore: true, startIteration: 2, numIteration: 3 });
    const tail = booster.predict(rows, { rawScore: true, startIteration: 4 });
    const beyond = booster.predict(rows, { rawScore: true, startIteration: 99 });
    for (let r = 0; r < 50; r++) {
      const row = rows.subarray(r * 4, r * 4 + 4);
      expect([...part.subarray(r * 2, r * 2 + 2)]).toEqual(referenceRaw(trees.slice(4, 10), 2, row));
      expect([...tail.subarray(r * 2, r * 2 + 2)]).toEqual(referenceRaw(trees.slice(8), 2, row));
    }
    expect([...beyond]).toEqual(new Array(100).fill(0));
    expect(booster.predictLeaf(rows, { startIteration: 1, numIteration: 1 }).length).toBe(50 * 2);
  });

  it("treats null in untyped rows as a missing value (NaN), not 0", () => {
    const { meta, trees } = randomModel(11, { numFeatures: 3, numTrees: 5, maxLeaves: 8 });
    const booster = Booster.fromTrees(meta, trees);
    const withNull = [[0.5, null, 1]] as unknown as number[][];
    const expected = booster.predict([[0.5, NaN, 1]]);
    expect(booster.predict([[0.5, 0, 1]])).not.toEqual(expected); // so the check below can fail
    expect(booster.predict(withNull)).toEqual(expected);
    expect(booster.predictRow(withNull[0]!)).toEqual(expected);
    expect(booster.predictColumns([[0.5], [null], [1]] as unknown as number[][])).toEqual(expected);
  });

  it("rejects rows of the wrong width with an actionable error", () => {
    const { meta, trees } = randomModel(5, { numFeatures: 3, numTrees: 2, maxLeaves: 4 });
    const booster = Booster.fromTrees(meta, trees);
    expect(() => booster.predict([[1, 2]])).toThrow(/row 0 has 2 values but the model has 3 features/);
    expect(() => booster.predict(new Float64Array(4))).toThrow(/not a whole number of rows/);
    expect(() => booster.predictRow([1, 2, 3, 4])).toThrow(LarderError);
  });
});

describe.skipIf(!goldenAvailable)("pandas categorical strings", () => {
  it("input_raw.csv strings encode to the codes of input.csv and predict the same", () => {
    const booster = Booster.fromString(readGoldenText("pandas_categorical", "model.txt"));
    const rawTable = readGoldenCsv("pandas_categorical", "input_raw.csv");
    const cells = rawTable.cells.map((row) => row.map((cell, j) => (j === 0 ? Number(cell) : cell === "" ? null : cell)));
    const encoded = booster.encodeRows(cells);
    const codes = readGoldenCsv("pandas_categorical", "input.csv").values;
    expect([...encoded]).toEqual([...codes]);
    const expected = readGoldenCsv("pandas_categorical", "expected_raw.csv").values;
    expect(booster.predict(encoded, { rawScore: true })).toEqual(expected);
  });

  it("unseen and missing categories become NaN and go right", () => {
    const booster = Booster.fromString(readGoldenText("pandas_categorical", "model.txt"));
    const encoded = booster.encodeRows([
      [10, "purple", undefined],
      [10, "teal", "XL"],
      [10, 3, "M"],
    ]);
    expect([...encoded.subarray(0, 3)]).toEqual([10, NaN, NaN]);
    expect([...encoded.subarray(3, 6)]).toEqual([10, 6, NaN]);
    expect([...encoded.subarray(6, 9)]).toEqual([10, 3, 1]);
    expect(() => booster.encodeRows([["ten", "red", "S"]])).toThrow(/'ten' is not a number/);
  });
});

describe("output transforms by objective", () => {
  const { meta, trees } = randomModel(51, { numFeatures: 3, numTrees: 5, maxLeaves: 6 });
  const rows = randomRows(52, 100, 3);
  const rawOf = (objective: string) => Booster.fromTrees({ ...meta, objective }, trees).predict(rows, { rawScore: true });
  const outOf = (objective: string) => Booster.fromTrees({ ...meta, objective }, trees).predict(rows);
  const raw = rawOf("regression");
  const cases: Array<[string, (r: number) => number]> = [
    ["regression", (r) => r],
    ["regression_l1", (r) => r],
    ["huber", (r) => r],
    ["fair", (r) => r],
    ["quantile", (r) => r],
    ["mape", (r) => r],
    ["regression sqrt", (r) => Math.sign(r) * r * r],
    ["poisson", (r) => exp(r)],
    ["gamma", (r) => exp(r)],
    ["tweedie", (r) => exp(r)],
    ["binary sigmoid:2", (r) => 1 / (1 + exp(-2 * r))],
    ["cross_entropy", (r) => 1 / (1 + exp(-r))],
    ["xentropy", (r) => 1 / (1 + exp(-r))],
    ["cross_entropy_lambda", (r) => Math.log1p(exp(r))],
    ["lambdarank", (r) => r],
    ["", (r) => r],
  ];
  for (const [objective, transform] of cases) {
    it(`'${objective || "(none)"}'`, () => {
      expect(rawOf(objective)).toEqual(raw);
      expect([...outOf(objective)]).toEqual([...raw].map(transform));
    });
  }

  it("multiclass is a max-subtracted softmax; multiclassova an independent sigmoid per class", () => {
    const multi = randomModel(53, { numFeatures: 3, numTrees: 4, maxLeaves: 6, perIteration: 3 });
    const softmax = Booster.fromTrees({ ...multi.meta, objective: "multiclass num_class:3" }, multi.trees);
    const ova = Booster.fromTrees({ ...multi.meta, objective: "multiclassova num_class:3 sigmoid:1.5" }, multi.trees);
    const raw3 = softmax.predict(rows, { rawScore: true });
    const p = softmax.predict(rows);
    const q = ova.predict(rows);
    for (let r = 0; r < 100; r++) {
      const z = [...raw3.subarray(r * 3, r * 3 + 3)];
      const m = Math.max(...z);
      const e = z.map((v) => exp(v - m));
      const s = e[0]! + e[1]! + e[2]!;
      expect([...p.subarray(r * 3, r * 3 + 3)]).toEqual(e.map((v) => v / s));
      expect([...q.subarray(r * 3, r * 3 + 3)]).toEqual(z.map((v) => 1 / (1 + exp(-1.5 * v))));
    }
  });

  it("average_output divides by the number of iterations used (not raw scores, as in LightGBM)", () => {
    const averaged = Booster.fromTrees({ ...meta, objective: "regression", averageOutput: true }, trees);
    const sums = Booster.fromTrees({ ...meta, objective: "regression" }, trees);
    expect([...averaged.predict(rows)]).toEqual([...sums.predict(rows)].map((v) => v / 5));
    expect([...averaged.predict(rows, { numIteration: 2 })]).toEqual([...sums.predict(rows, { numIteration: 2 })].map((v) => v / 2));
    expect(averaged.predict(rows, { rawScore: true })).toEqual(sums.predict(rows, { rawScore: true }));
    expect(averaged.toString()).toMatch(/\nobjective=regression\naverage_output\nfeature_names=/);
  });

  it("an unknown objective still gives raw scores and names itself otherwise", () => {
    const booster = Booster.fromTrees({ ...meta, objective: "mystery k:1" }, trees);
    expect(booster.predict(rows, { rawScore: true })).toEqual(raw);
    expect(() => booster.predict(rows)).toThrow(/unknown objective 'mystery'/);
  });
});
