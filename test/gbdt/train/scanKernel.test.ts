import { describe, expect, it } from "vitest";
import { createHistogramStorage } from "../../../src/gbdt/train/histogramStorage.js";
import type { FeatureMeta } from "../../../src/gbdt/train/featureMeta.js";
import { SCAN_RESULT } from "../../../src/gbdt/train/scanKernel.js";
import { type SplitConfig, scanSequential } from "../../../src/gbdt/train/splitFinder.js";
import { lcg } from "./syntheticData.js";

const MAX_BINS = 300;

const baseConfig: SplitConfig = {
  minDataInLeaf: 20, minSumHessianInLeaf: 1e-3, lambdaL1: 0, lambdaL2: 0, maxDeltaStep: 0, minGainToSplit: 0,
  maxCatToOnehot: 4, catSmooth: 10, catL2: 10, maxCatThreshold: 32, minDataPerGroup: 100, pathSmooth: 0,
};

describe("wasm threshold scans", () => {
  it("find the same candidate with the same sums as the JavaScript scan on seeded random histograms", () => {
    const storage = createHistogramStorage(1, 1, MAX_BINS, 1, false, true);
    const kernels = storage.kernels!;
    expect(kernels).not.toBeNull();
    const hist = storage.pool;
    const rnd = lcg(2026);
    const jsResult = new Float64Array(SCAN_RESULT.length);
    let splittableCount = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const numBin = 2 + Math.floor(rnd() * (MAX_BINS - 2));
      const offset = rnd() < 0.5 ? 1 : 0;
      const emptyShare = rnd() * 0.8;
      const hessianScale = rnd() < 0.5 ? 0.25 : 1;
      let sumGradient = 0;
      let sumHessian = 0;
      let numData = 0;
      hist.fill(0);
      for (let b = 0; b < numBin; b++) {
        if (rnd() < emptyShare) continue;
        const rows = 1 + Math.floor(rnd() * 60);
        const g = (rnd() - 0.45) * rows;
        const h = hessianScale * rows * (rnd() < 0.1 ? 1e-4 : 1);
        sumGradient += g;
        sumHessian += h;
        numData += rows;
        if (b < offset) continue; // bin 0 is not stored when the offset is 1
        hist[2 * (b - offset)] = g;
        hist[2 * (b - offset) + 1] = h;
      }
      const meta: FeatureMeta = {
        feature: 0, numBin, missingType: 0, defaultBin: Math.floor(rnd() * numBin), mostFreqBin: 0, offset,
        categorical: false, histStart: -offset, monotoneType: 0, penalty: 1, // the scan reads from (histStart + offset) = 0
      };
      const config: SplitConfig = {
        ...baseConfig,
        minDataInLeaf: [0, 1, 20, 200][Math.floor(rnd() * 4)]!,
        minSumHessianInLeaf: [0, 1e-3, 5][Math.floor(rnd() * 3)]!,
        lambdaL2: [0, 1, 0.1][Math.floor(rnd() * 3)]!,
      };
      const paddedHessian = sumHessian + 2 * Math.fround(1e-15);
      const minGainShift = rnd() < 0.5 ? 0 : (sumGradient * sumGradient) / (paddedHessian + config.lambdaL2);
      const reverse = rnd() < 0.5;
      const skipDefaultBin = rnd() < 0.3;
      const naAsMissing = !skipDefaultBin && rnd() < 0.5;
      const jsSplittable = scanSequential(
        meta, hist, sumGradient, paddedHessian, numData, minGainShift, config, reverse, skipDefaultBin, naAsMissing, jsResult,
      );
      const kernel = reverse ? kernels.kernels.scanReverse : kernels.kernels.scanForward;
      const wasmSplittable = kernel(
        hist.byteOffset, numBin, offset, meta.defaultBin, skipDefaultBin ? 1 : 0, naAsMissing ? 1 : 0, sumGradient,
        paddedHessian, numData, minGainShift, config.minDataInLeaf, config.minSumHessianInLeaf, config.lambdaL2,
        kernels.scanResultAt,
      );
      const context = { trial, numBin, offset, reverse, skipDefaultBin, naAsMissing };
      expect({ ...context, splittable: wasmSplittable === 1 }).toEqual({ ...context, splittable: jsSplittable });
      if (jsSplittable) {
        splittableCount++;
        expect({ ...context, result: Array.from(kernels.scanResult) }).toEqual({ ...context, result: Array.from(jsResult) });
      }
    }
    // The generator must exercise both outcomes.
    expect(splittableCount).toBeGreaterThan(1000);
    expect(splittableCount).toBeLessThan(3900);
  });
});
