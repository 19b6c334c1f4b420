import { describe, expect, it } from "vitest";
import { createHistogramStorage } from "../../../src/gbdt/train/histogramStorage.js";
import { lcg } from "./syntheticData.js";

/** Fill a storage with the same random slots, rows and gradients, sum two feature ranges, return the pool. */
function sumWith(allowWasm: boolean, forThreads: boolean): Float64Array {
  const numRows = 3000;
  const numFeatures = 7;
  const binsPerFeature = 50;
  const storage = createHistogramStorage(numRows, numFeatures, numFeatures * binsPerFeature, 2, forThreads, allowWasm);
  const rnd = lcg(5);
  for (let r = 0; r < numRows; r++) {
    for (let f = 0; f < numFeatures; f++) storage.slots[r * numFeatures + f] = f * binsPerFeature + Math.floor(rnd() * binsPerFeature);
  }
  for (let i = 0; i < numRows; i++) {
    storage.rows[i] = numRows - 1 - i;
    storage.orderedGradients[i] = Math.fround(rnd() - 0.5);
    storage.orderedHessians[i] = Math.fround(rnd());
  }
  storage.pool.fill(123); // stale values must be cleared by accumulate
  const stride = 2 * numFeatures * binsPerFeature;
  storage.accumulate(0, 3, 0, 3 * binsPerFeature, 100, 2500, stride);
  storage.accumulate(3, numFeatures, 3 * binsPerFeature, numFeatures * binsPerFeature, 100, 2500, stride);
  return storage.pool.slice(stride);
}

describe("histogram kernels", () => {
  it("the wasm kernel and the JavaScript loop give bit-identical sums", () => {
    const js = sumWith(false, false);
    expect(js.some((v) => v !== 0)).toBe(true);
    expect(js.every((v) => v !== 123)).toBe(true);
    expect(Array.from(sumWith(true, false))).toEqual(Array.from(js));
    expect(Array.from(sumWith(false, true))).toEqual(Array.from(js));
  });

  it("matches a direct per-bin sum in row order", () => {
    const pool = sumWith(false, false);
    // Recompute bin (feature 0, bin 0..49) sums directly.
    const rnd = lcg(5);
    const numRows = 3000;
    const slots: number[] = [];
    for (let r = 0; r < numRows; r++) for (let f = 0; f < 7; f++) slots.push(f * 50 + Math.floor(rnd() * 50));
    const g: number[] = [];
    for (let i = 0; i < numRows; i++) {
      g.push(Math.fround(rnd() - 0.5));
      rnd();
    }
    const expected = new Float64Array(50);
    // Ordered gradients are indexed from the leaf's start: value i belongs to rows[begin + i].
    for (let i = 0; i < 2500; i++) {
      const row = numRows - 1 - (100 + i);
      expected[slots[row * 7]!] += g[i]!;
    }
    for (let b = 0; b < 50; b++) expect(pool[2 * b]).toBe(expected[b]);
  });
});
