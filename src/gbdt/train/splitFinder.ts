/**
 * Best threshold of one feature from its leaf histogram, following LightGBM's
 * `FindBestThresholdSequentially` (categorical features: `categoricalSplit.ts`): ε-padded hessian
 * sums, row counts estimated from hessians, one or two scan directions depending on the missing
 * type, and first-best-wins tie breaking. Histograms hold (Σg, Σh) pairs per bin.
 */
import { MISSING_TYPE_NAN, MISSING_TYPE_NONE, MISSING_TYPE_ZERO } from "../tree.js";
import type { LcgRandom } from "../dataset/lcgRandom.js";
import { K_EPSILON } from "../dataset/numeric.js";
import type { FeatureMeta } from "./featureMeta.js";
import { SCAN_RESULT } from "./scanKernel.js";
import { findCategorical } from "./categoricalSplit.js";
import { type OutputBounds, type Smoothing, gainOf, splitGain, writeSplitSides } from "./leafMath.js";
import type { SplitInfo } from "./splitInfo.js";
import type { ScanKernel } from "./trainKernels.js";

export interface SplitConfig {
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  lambdaL1: number;
  lambdaL2: number;
  maxDeltaStep: number;
  minGainToSplit: number;
  maxCatToOnehot: number;
  catSmooth: number;
  catL2: number;
  maxCatThreshold: number;
  minDataPerGroup: number;
  /** `path_smooth`: leaf outputs shrink toward the parent's, more for leaves with fewer rows. */
  pathSmooth: number;
}

/** The wasm scans and where they write their result (see `scanKernel.ts`). */
export interface NumericalScanner {
  readonly kernels: { readonly scanReverse: ScanKernel; readonly scanForward: ScanKernel };
  readonly scanResultAt: number;
  readonly scanResult: Float64Array;
}

/**
 * Search one feature. `sumHessian` is the leaf's hessian sum without padding. Writes `out` when
 * this feature beats what it already holds for this feature (callers pass a fresh SplitInfo) and
 * returns whether any valid candidate existed (LightGBM's `is_splittable`).
 */
export function findBestThreshold(
  meta: FeatureMeta,
  hist: Float64Array,
  sumGradient: number,
  sumHessian: number,
  numData: number,
  config: SplitConfig,
  out: SplitInfo,
  scanner: NumericalScanner | null = null,
  parentOutput = 0,
  bounds: OutputBounds | null = null,
  random: LcgRandom | null = null,
): boolean {
  const paddedHessian = sumHessian + 2 * K_EPSILON;
  out.feature = meta.feature;
  // LightGBM smooths when path_smooth > kEpsilon; the searched leaf's output is the "parent".
  const smoothing = config.pathSmooth > K_EPSILON ? { factor: config.pathSmooth, parentOutput } : null;
  if (meta.categorical) return findCategorical(meta, hist, sumGradient, paddedHessian, numData, config, out, smoothing, bounds, random);
  // Extremely randomized trees (`random` is the feature's generator): one drawn threshold is the
  // only candidate, in either scan direction.
  const randThreshold = random === null ? -1 : meta.numBin - 2 > 0 ? random.nextInt(0, meta.numBin - 2) : 0;
  out.monotoneType = meta.monotoneType;
  const minGainShift =
    gainOf(sumGradient, paddedHessian, config.lambdaL1, config.lambdaL2, config.maxDeltaStep, numData, smoothing) + config.minGainToSplit;
  let splittable = false;
  if (meta.numBin > 2 && meta.missingType !== MISSING_TYPE_NONE) {
    const zero = meta.missingType === MISSING_TYPE_ZERO;
    splittable = scan(meta, hist, sumGradient, paddedHessian, numData, minGainShift, config, out, true, zero, !zero, scanner, smoothing, bounds, randThreshold) || splittable;
    splittable = scan(meta, hist, sumGradient, paddedHessian, numData, minGainShift, config, out, false, zero, !zero, scanner, smoothing, bounds, randThreshold) || splittable;
  } else {
    splittable = scan(meta, hist, sumGradient, paddedHessian, numData, minGainShift, config, out, true, false, false, scanner, smoothing, bounds, randThreshold);
    if (meta.missingType === MISSING_TYPE_NAN) out.defaultLeft = false;
  }
  return splittable;
}

/**
 * One scan direction; keeps `out` when it already holds a better candidate. The wasm scanner
 * takes the plain-gain case; the JavaScript scan below is the reference it is tested against.
 */
function scan(
  meta: FeatureMeta,
  hist: Float64Array,
  sumGradient: number,
  sumHessian: number,
  numData: number,
  minGainShift: number,
  config: SplitConfig,
  out: SplitInfo,
  reverse: boolean,
  skipDefaultBin: boolean,
  naAsMissing: boolean,
  scanner: NumericalScanner | null,
  smoothing: Smoothing | null,
  bounds: OutputBounds | null,
  randThreshold: number,
): boolean {
  const { lambdaL1: l1, lambdaL2: l2, maxDeltaStep: mds } = config;
  let result: Float64Array;
  let splittable: boolean;
  if (scanner !== null && l1 === 0 && mds <= 0 && smoothing === null && bounds === null && randThreshold < 0) {
    const kernel = reverse ? scanner.kernels.scanReverse : scanner.kernels.scanForward;
    splittable =
      kernel(
        hist.byteOffset + 16 * (meta.histStart + meta.offset), meta.numBin, meta.offset, meta.defaultBin,
        skipDefaultBin ? 1 : 0, naAsMissing ? 1 : 0, sumGradient, sumHessian, numData, minGainShift,
        config.minDataInLeaf, config.minSumHessianInLeaf, l2, scanner.scanResultAt,
      ) !== 0;
    result = scanner.scanResult;
  } else {
    result = jsScanResult;
    splittable = scanSequential(
      meta, hist, sumGradient, sumHessian, numData, minGainShift, config, reverse, skipDefaultBin, naAsMissing, result, smoothing, bounds, randThreshold,
    );
  }
  const bestGain = result[SCAN_RESULT.gain]!;
  if (splittable && bestGain > out.gain + minGainShift) {
    out.thresholdBin = result[SCAN_RESULT.threshold]!;
    out.categoricalBins = null;
    writeSplitSides(
      out, sumGradient, sumHessian, numData, result[SCAN_RESULT.leftGradient]!, result[SCAN_RESULT.leftHessian]!,
      result[SCAN_RESULT.leftCount]!, bestGain - minGainShift, l1, l2, mds, smoothing, bounds,
    );
    out.defaultLeft = reverse;
  }
  return splittable;
}

const jsScanResult = new Float64Array(SCAN_RESULT.length);

/**
 * LightGBM's `FindBestThresholdSequentially` for one direction: writes the best candidate to
 * `result` (`SCAN_RESULT` layout) and returns whether any candidate passed the constraints.
 */
export function scanSequential(
  meta: FeatureMeta,
  hist: Float64Array,
  sumGradient: number,
  sumHessian: number,
  numData: number,
  minGainShift: number,
  config: SplitConfig,
  reverse: boolean,
  skipDefaultBin: boolean,
  naAsMissing: boolean,
  result: Float64Array,
  smoothing: Smoothing | null = null,
  bounds: OutputBounds | null = null,
  randThreshold = -1,
): boolean {
  const { offset, numBin, defaultBin } = meta;
  const monotone = meta.monotoneType;
  const base = 2 * (meta.histStart + offset);
  const { minDataInLeaf, minSumHessianInLeaf, lambdaL1: l1, lambdaL2: l2, maxDeltaStep: mds } = config;
  const cntFactor = numData / sumHessian;
  // Without L1, output clipping or smoothing the gain is plain G²/(H+λ); inlined because this loop is hot.
  const plain = l1 === 0 && mds <= 0 && smoothing === null && bounds === null;
  const epsilon = K_EPSILON;
  let bestGain = -Infinity;
  let bestLeftGradient = NaN;
  let bestLeftHessian = NaN;
  let bestLeftCount = 0;
  let bestThreshold = numBin;
  let splittable = false;
  if (reverse) {
    let rightGradient = 0;
    let rightHessian = epsilon;
    let rightCount = 0;
    const tEnd = 1 - offset;
    // An empty bin leaves the sums, and so the candidate, as they were at the last evaluated
    // bin: skipping it cannot change the result (ties need a strictly larger gain).
    let evaluated = false;
    for (let t = numBin - 1 - offset - (naAsMissing ? 1 : 0); t >= tEnd; t--) {
      if (skipDefaultBin && t + offset === defaultBin) continue;
      const g = hist[base + 2 * t]!;
      const h = hist[base + 2 * t + 1]!;
      if (h === 0 && g === 0 && evaluated && randThreshold < 0) continue;
      evaluated = true;
      rightGradient += g;
      rightHessian += h;
      rightCount += Math.trunc(h * cntFactor + 0.5);
      if (rightCount < minDataInLeaf || rightHessian < minSumHessianInLeaf) continue;
      const leftCount = numData - rightCount;
      if (leftCount < minDataInLeaf) break;
      const leftHessian = sumHessian - rightHessian;
      if (leftHessian < minSumHessianInLeaf) break;
      const leftGradient = sumGradient - rightGradient;
      if (randThreshold >= 0 && t - 1 + offset !== randThreshold) continue;
      const gain = plain
        ? (leftGradient * leftGradient) / (leftHessian + l2) + (rightGradient * rightGradient) / (rightHessian + l2)
        : splitGain(leftGradient, leftHessian, rightGradient, rightHessian, l1, l2, mds, leftCount, rightCount, smoothing, bounds, monotone);
      if (gain <= minGainShift) continue;
      splittable = true;
      // A leaf whose bounds cross cannot take any split (only LightGBM's other methods make that happen).
      if (gain > bestGain && !(bounds !== null && bounds.min > bounds.max)) {
        bestLeftCount = leftCount;
        bestLeftGradient = leftGradient;
        bestLeftHessian = leftHessian;
        bestThreshold = t - 1 + offset;
        bestGain = gain;
      }
    }
  } else {
    let leftGradient = 0;
    let leftHessian = epsilon;
    let leftCount = 0;
    let t = 0;
    const tEnd = numBin - 2 - offset;
    if (naAsMissing && offset === 1) {
      // Bin 0 is not stored: start from "everything" and remove the stored bins, so the
      // first candidate has exactly bin 0 (plus nothing else) on the left.
      leftGradient = sumGradient;
      leftHessian = sumHessian - epsilon;
      leftCount = numData;
      for (let i = 0; i < numBin - offset; i++) {
        const h = hist[base + 2 * i + 1]!;
        leftGradient -= hist[base + 2 * i]!;
        leftHessian -= h;
        leftCount -= Math.trunc(h * cntFactor + 0.5);
      }
      t = -1;
    }
    let evaluated = false;
    for (; t <= tEnd; t++) {
      if (skipDefaultBin && t + offset === defaultBin) continue;
      if (t >= 0) {
        const g = hist[base + 2 * t]!;
        const h = hist[base + 2 * t + 1]!;
        if (h === 0 && g === 0 && evaluated && randThreshold < 0) continue;
        leftGradient += g;
        leftHessian += h;
        leftCount += Math.trunc(h * cntFactor + 0.5);
      }
      evaluated = true;
      if (leftCount < minDataInLeaf || leftHessian < minSumHessianInLeaf) continue;
      const rightCount = numData - leftCount;
      if (rightCount < minDataInLeaf) break;
      const rightHessian = sumHessian - leftHessian;
      if (rightHessian < minSumHessianInLeaf) break;
      const rightGradient = sumGradient - leftGradient;
      if (randThreshold >= 0 && t + offset !== randThreshold) continue;
      const gain = plain
        ? (leftGradient * leftGradient) / (leftHessian + l2) + (rightGradient * rightGradient) / (rightHessian + l2)
        : splitGain(leftGradient, leftHessian, rightGradient, rightHessian, l1, l2, mds, leftCount, rightCount, smoothing, bounds, monotone);
      if (gain <= minGainShift) continue;
      splittable = true;
      // A leaf whose bounds cross cannot take any split (only LightGBM's other methods make that happen).
      if (gain > bestGain && !(bounds !== null && bounds.min > bounds.max)) {
        bestLeftCount = leftCount;
        bestLeftGradient = leftGradient;
        bestLeftHessian = leftHessian;
        bestThreshold = t + offset;
        bestGain = gain;
      }
    }
  }
  result[SCAN_RESULT.gain] = bestGain;
  result[SCAN_RESULT.leftGradient] = bestLeftGradient;
  result[SCAN_RESULT.leftHessian] = bestLeftHessian;
  result[SCAN_RESULT.leftCount] = bestLeftCount;
  result[SCAN_RESULT.threshold] = bestThreshold;
  return splittable;
}
