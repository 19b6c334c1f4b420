import { afterAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { childFor, flattenForest, singleComparisonRule } from "../../src/gbdt/flatForest.js";
import { Booster } from "../../src/gbdt/index.js";
import { WasmForest } from "../../src/gbdt/wasmForest.js";
import { chainTree, randomModel, randomRows } from "./randomTrees.js";
import { referenceRaw } from "./referencePredictor.js";

const NONE_OR_NAN = [0, 2];
const opened: WasmForest[] = [];
afterAll(() => opened.forEach((forest) => forest.close()));

function build(...args: Parameters<typeof WasmForest.build>): WasmForest {
  const forest = WasmForest.build(...args);
  expect(forest).not.toBeNull();
  opened.push(forest!);
  return forest!;
}

describe("single-comparison rule", () => {
  it("sends every edge value where LightGBM's full rule does", () => {
    const { trees } = randomModel(71, { numFeatures: 3, numTrees: 200, maxLeaves: 16, missingTypes: NONE_OR_NAN });
    const forest = flattenForest(trees);
    const values = randomRows(72, 2000, 1);
    let checked = 0;
    const mismatches: string[] = [];
    for (let node = 0; node < forest.nodeFeature.length; node++) {
      const rule = singleComparisonRule(forest, node);
      if (rule === null) throw new Error(`node ${node} has no single-comparison rule`);
      for (const x of values) {
        const right = x > rule.threshold || (x !== x && rule.nanRight);
        if ((right ? forest.nodeRight[node] : forest.nodeLeft[node]) !== childFor(forest, node, x)) mismatches.push(`node ${node}, x ${x}`);
        checked++;
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(100_000);
  });

  it("has no single comparison for categorical nodes or missing type Zero", () => {
    const categorical = flattenForest(randomModel(73, { numFeatures: 2, numTrees: 20, maxLeaves: 8, categoricalFeatures: [0, 1] }).trees);
    const zero = flattenForest(randomModel(74, { numFeatures: 2, numTrees: 20, maxLeaves: 8, missingTypes: [1] }).trees);
    expect(WasmForest.build(categorical, 2, 1, 1)).toBeNull();
    expect(WasmForest.build(zero, 2, 1, 1)).toBeNull();
  });
});

describe("wasm forest equals the plain reference bit for bit", () => {
  const cases = [
    { seed: 81, numFeatures: 6, numTrees: 40, maxLeaves: 31, perIteration: 1 },
    { seed: 82, numFeatures: 4, numTrees: 12, maxLeaves: 64, perIteration: 3 },
  ];
  for (const { seed, perIteration, ...options } of cases) {
    it(`seed ${seed}: ${perIteration} tree(s) per iteration, several chunks, rows with and without NaN, 1 and 3 threads`, () => {
      const { trees } = randomModel(seed, { ...options, perIteration, missingTypes: NONE_OR_NAN });
      trees.push(...Array.from({ length: perIteration }, () => chainTree(300)));
      const numRows = 9_003;
      const rows = randomRows(seed + 1, numRows, options.numFeatures);
      // The last chunk holds no NaN, so the NaN-free kernel runs too.
      for (let i = 8192 * options.numFeatures; i < rows.length; i++) if (rows[i] !== rows[i]) rows[i] = 0.5;
      const wasm = build(flattenForest(trees), options.numFeatures, perIteration, 3);
      const window = { firstTree: 0, endTree: trees.length, perIteration };
      const single = new Float64Array(numRows * perIteration).fill(9);
      wasm.computeRaw(rows, numRows, window, single, 1);
      const threaded = new Float64Array(numRows * perIteration).fill(9);
      wasm.computeRaw(rows, numRows, window, threaded, 3);
      let mismatches = 0;
      for (let r = 0; r < numRows; r++) {
        const expected = referenceRaw(trees, perIteration, rows.subarray(r * options.numFeatures, (r + 1) * options.numFeatures));
        expected.forEach((value, k) => {
          if (!Object.is(value, single[r * perIteration + k])) mismatches++;
        });
      }
      expect(mismatches).toBe(0);
      expect(Buffer.from(threaded.buffer).equals(Buffer.from(single.buffer))).toBe(true);
      // The one-row kernel (trees as lanes; this forest's tree count is not a multiple of 8).
      const rowByRow = new Float64Array(numRows * perIteration).fill(9);
      wasm.computeRawRowByRow(rows, numRows, window, rowByRow);
      expect(Buffer.from(rowByRow.buffer).equals(Buffer.from(single.buffer))).toBe(true);
    });
  }

  it("a window of iterations uses only its trees, and 1-leaf trees add their value", () => {
    const { trees } = randomModel(83, { numFeatures: 3, numTrees: 8, maxLeaves: 8, perIteration: 2, missingTypes: NONE_OR_NAN });
    trees[4] = { ...chainTree(2), numLeaves: 1, splitFeature: new Int32Array(0), threshold: new Float64Array(0), decisionType: new Uint8Array(0), leftChild: new Int32Array(0), rightChild: new Int32Array(0), leafValue: Float64Array.of(0.25) };
    const rows = randomRows(84, 37, 3);
    const wasm = build(flattenForest(trees), 3, 2, 1);
    const out = new Float64Array(37 * 2);
    wasm.computeRaw(rows, 37, { firstTree: 4, endTree: 12, perIteration: 2 }, out);
    const rowByRow = new Float64Array(37 * 2);
    wasm.computeRawRowByRow(rows, 37, { firstTree: 4, endTree: 12, perIteration: 2 }, rowByRow);
    for (let r = 0; r < 37; r++) {
      const expected = referenceRaw(trees.slice(4, 12), 2, rows.subarray(r * 3, r * 3 + 3));
      expect([...out.subarray(r * 2, r * 2 + 2)]).toEqual(expected);
      expect([...rowByRow.subarray(r * 2, r * 2 + 2)]).toEqual(expected);
    }
  });

  it("random row counts around the group and chunk sizes", () => {
    const random = new SeededRandom(85);
    const { trees } = randomModel(86, { numFeatures: 5, numTrees: 10, maxLeaves: 20, missingTypes: NONE_OR_NAN });
    const wasm = build(flattenForest(trees), 5, 1, 2);
    for (const numRows of [1, 2, 3, 4, 5, 4095, 4096, 4097, 8191, 8193, 1 + Math.floor(random.next() * 20_000)]) {
      const rows = randomRows(numRows, numRows, 5);
      const out = new Float64Array(numRows);
      wasm.computeRaw(rows, numRows, { firstTree: 0, endTree: trees.length, perIteration: 1 }, out, 2);
      for (let r = 0; r < numRows; r += 1 + Math.floor(numRows / 200)) {
        expect(out[r]).toBe(referenceRaw(trees, 1, rows.subarray(r * 5, r * 5 + 5))[0]);
      }
    }
  });
});

describe("wide rows", () => {
  it("a 3,000-feature forest takes smaller chunks and still equals the reference on two threads", () => {
    const { trees } = randomModel(89, { numFeatures: 3000, numTrees: 6, maxLeaves: 40, missingTypes: NONE_OR_NAN });
    const numRows = 1_000;
    const rows = randomRows(90, numRows, 3000);
    const wasm = build(flattenForest(trees), 3000, 1, 2);
    const out = new Float64Array(numRows);
    wasm.computeRaw(rows, numRows, { firstTree: 0, endTree: trees.length, perIteration: 1 }, out, 2);
    let mismatches = 0;
    for (let r = 0; r < numRows; r++) if (!Object.is(out[r], referenceRaw(trees, 1, rows.subarray(r * 3000, (r + 1) * 3000))[0])) mismatches++;
    expect(mismatches).toBe(0);
  });
});

describe("Booster.predict on large batches", () => {
  it("gives the same bytes on one thread, on every core, and through the JavaScript walk", () => {
    const { meta, trees } = randomModel(87, { numFeatures: 4, numTrees: 25, maxLeaves: 31, missingTypes: NONE_OR_NAN });
    const booster = Booster.fromTrees(meta, trees);
    const numRows = 70_000;
    const rows = randomRows(88, numRows, 4);
    const single = booster.predict(rows, { numThreads: 1 });
    const parallel = booster.predict(rows);
    booster.close();
    expect(Buffer.from(parallel.buffer).equals(Buffer.from(single.buffer))).toBe(true);
    // Rows one at a time take the JavaScript walk.
    for (let r = 0; r < numRows; r += 997) {
      expect(booster.predictRow(rows.subarray(r * 4, r * 4 + 4))[0]).toBe(single[r]);
    }
  });
});
