import { describe, expect, it } from "vitest";
import { fillColumnSlots, fixHistogram, subtractHistogram } from "../../../src/gbdt/train/histogram.js";
import { createHistogramStorage } from "../../../src/gbdt/train/histogramStorage.js";
import type { FeatureMeta } from "../../../src/gbdt/train/featureMeta.js";
import { lcg } from "./syntheticData.js";

const NUM_ROWS = 3000;
const NUM_FEATURES = 7;
const BINS = 50;

/** A storage filled with the same random slots, row order and per-row gradients. */
function filledStorage(allowWasm: boolean, forThreads: boolean) {
  const storage = createHistogramStorage(NUM_ROWS, NUM_FEATURES, NUM_FEATURES * BINS, 2, forThreads, allowWasm);
  const rnd = lcg(5);
  for (let r = 0; r < NUM_ROWS; r++) {
    for (let f = 0; f < NUM_FEATURES; f++) storage.slots[r * NUM_FEATURES + f] = f * BINS + Math.floor(rnd() * BINS);
  }
  if (storage.columnSlots !== null) fillColumnSlots(storage.columnSlots, storage.slots, NUM_FEATURES, NUM_ROWS);
  for (let i = 0; i < NUM_ROWS; i++) {
    storage.rows[i] = NUM_ROWS - 1 - i;
    storage.gradients[i] = Math.fround(rnd() - 0.5);
    storage.hessians[i] = Math.fround(rnd());
  }
  return storage;
}

/** Sum two feature ranges of rows[100..2600) into histogram 1; return it. */
function sumWith(allowWasm: boolean, forThreads: boolean): Float64Array {
  const storage = filledStorage(allowWasm, forThreads);
  storage.pool.fill(123); // stale values must be cleared by accumulate
  const stride = 2 * NUM_FEATURES * BINS;
  storage.accumulate(0, 3, 0, 3 * BINS, 100, 2500, stride);
  storage.accumulate(3, NUM_FEATURES, 3 * BINS, NUM_FEATURES * BINS, 100, 2500, stride);
  return storage.pool.slice(stride);
}

const meta = (f: number, mostFreqBin: number): FeatureMeta => ({
  feature: f, numBin: BINS, missingType: 0, defaultBin: 0, mostFreqBin, offset: mostFreqBin === 0 ? 1 : 0, categorical: false, histStart: f * BINS, monotoneType: 0, penalty: 1,
});

describe("histogram kernels", () => {
  it("the wasm kernel and the JavaScript loop give bit-identical sums", () => {
    const js = sumWith(false, false);
    expect(js.some((v) => v !== 0)).toBe(true);
    expect(js.every((v) => v !== 123)).toBe(true);
    expect(Array.from(sumWith(true, false))).toEqual(Array.from(js));
    expect(Array.from(sumWith(false, true))).toEqual(Array.from(js));
  });

  it("sums every feature count the same way, including counts below the kernel's unrolling", () => {
    for (const numFeatures of [1, 2, 3, 4, 5, 9]) {
      const sums = [true, false].map((allowWasm) => {
        const storage = createHistogramStorage(200, numFeatures, numFeatures * BINS, 1, false, allowWasm);
        const rnd = lcg(numFeatures);
        for (let i = 0; i < 200 * numFeatures; i++) storage.slots[i] = (i % numFeatures) * BINS + Math.floor(rnd() * BINS);
        for (let i = 0; i < 200; i++) {
          storage.rows[i] = i;
          storage.gradients[i] = Math.fround(rnd() - 0.5);
          storage.hessians[i] = Math.fround(rnd());
        }
        storage.accumulate(0, numFeatures, 0, numFeatures * BINS, 0, 200, 0);
        return Array.from(storage.pool);
      });
      expect(sums[0]!.filter((v) => v !== 0).length).toBeGreaterThan(numFeatures * 20);
      expect(sums[0]).toEqual(sums[1]);
    }
  });

  it("matches a direct per-bin sum in row order", () => {
    const pool = sumWith(false, false);
    const storage = filledStorage(false, false);
    const expected = new Float64Array(2 * BINS);
    for (let i = 100; i < 2600; i++) {
      const row = storage.rows[i]!;
      const bin = storage.slots[row * NUM_FEATURES]!;
      expected[2 * bin] += storage.gradients[row]!;
      expected[2 * bin + 1] += storage.hessians[row]!;
    }
    expect(Array.from(pool.subarray(0, 2 * BINS))).toEqual(Array.from(expected));
  });

  it("subtraction and the most-frequent-bin fix-up equal their JavaScript twins", () => {
    const wasm = filledStorage(true, false);
    const js = filledStorage(false, false);
    expect(wasm.kernels).not.toBeNull();
    const stride = 2 * NUM_FEATURES * BINS;
    for (const storage of [wasm, js]) {
      storage.accumulate(0, NUM_FEATURES, 0, NUM_FEATURES * BINS, 0, NUM_ROWS, 0);
      storage.accumulate(0, NUM_FEATURES, 0, NUM_FEATURES * BINS, 0, 1234, stride);
    }
    const [sumG, sumH] = [0.75, 812.5];
    for (let f = 0; f < NUM_FEATURES; f++) {
      const m = meta(f, f % 3 === 0 ? 0 : 7 * f);
      subtractHistogram(js.pool.subarray(0, stride), js.pool.subarray(stride), m);
      wasm.kernels!.subtract(2 * m.histStart, stride + 2 * m.histStart, 2 * m.numBin);
      fixHistogram(js.pool.subarray(stride), m, sumG, sumH);
      if (m.mostFreqBin > 0) wasm.kernels!.fix(stride + 2 * m.histStart, m.numBin, m.mostFreqBin, sumG, sumH);
    }
    expect(Array.from(wasm.pool)).toEqual(Array.from(js.pool));
  });

  it("the wasm partition keeps both sides in order, as the plain partition does", () => {
    const storage = filledStorage(true, false);
    const rnd = lcg(11);
    for (let trial = 0; trial < 20; trial++) {
      const f = trial % NUM_FEATURES;
      const goesLeft = Uint8Array.from({ length: BINS }, () => (rnd() < 0.4 ? 1 : 0));
      const begin = Math.floor(rnd() * 500);
      const count = Math.floor(rnd() * 2000);
      const before = Array.from(storage.rows);
      const leaf = before.slice(begin, begin + count);
      const goes = (row: number): boolean => goesLeft[storage.slots[row * NUM_FEATURES + f]! - f * BINS] === 1;
      const expected = [...before.slice(0, begin), ...leaf.filter(goes), ...leaf.filter((r) => !goes(r)), ...before.slice(begin + count)];
      const leftCount = storage.kernels!.partition(f, f * BINS, begin, count, goesLeft);
      expect(leftCount).toBe(leaf.filter(goes).length);
      expect(Array.from(storage.rows)).toEqual(expected);
    }
  });
});
