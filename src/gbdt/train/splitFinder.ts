/**
 * Best threshold of one feature from its leaf histogram, following LightGBM's
 * `FindBestThresholdSequentially` and `FindBestThresholdCategoricalInner`: ε-padded hessian sums,
 * row counts estimated from hessians, one or two scan directions depending on the missing type,
 * and first-best-wins tie breaking. Histograms hold (Σg, Σh) pairs per bin.
 */
import { MISSING_TYPE_NAN, MISSING_TYPE_NONE, MISSING_TYPE_ZERO } from "../tree.js";
import { K_EPSILON } from "../dataset/numeric.js";
import type { FeatureMeta } from "./featureMeta.js";
import { SCAN_RESULT } from "./scanKernel.js";
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

/** A leaf's output bounds under monotone constraints (LightGBM's basic method). */
export interface OutputBounds {
  min: number;
  max: number;
}

/** Path smoothing in effect for one leaf search: the factor and the leaf's current output. */
interface Smoothing {
  factor: number;
  parentOutput: number;
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
): boolean {
  const paddedHessian = sumHessian + 2 * K_EPSILON;
  out.feature = meta.feature;
  // LightGBM smooths when path_smooth > kEpsilon; the searched leaf's output is the "parent".
  const smoothing = config.pathSmooth > K_EPSILON ? { factor: config.pathSmooth, parentOutput } : null;
  if (meta.categorical) return findCategorical(meta, hist, sumGradient, paddedHessian, numData, config, out, smoothing, bounds);
  out.monotoneType = meta.monotoneType;
  const minGainShift =
    gainOf(sumGradient, paddedHessian, config.lambdaL1, config.lambdaL2, config.maxDeltaStep, numData, smoothing) + config.minGainToSplit;
  let splittable = false;
  if (meta.numBin > 2 && meta.missingType !== MISSING_TYPE_NONE) {
    const zero = meta.missingType === MISSING_TYPE_ZERO;
    splittable = scan(meta, hist, sumGradient, paddedHessian, numData, minGainShift, config, out, true, zero, !zero, scanner, smoothing, bounds) || splittable;
    splittable = scan(meta, hist, sumGradient, paddedHessian, numData, minGainShift, config, out, false, zero, !zero, scanner, smoothing, bounds) || splittable;
  } else {
    splittable = scan(meta, hist, sumGradient, paddedHessian, numData, minGainShift, config, out, true, false, false, scanner, smoothing, bounds);
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
): boolean {
  const { lambdaL1: l1, lambdaL2: l2, maxDeltaStep: mds } = config;
  let result: Float64Array;
  let splittable: boolean;
  if (scanner !== null && l1 === 0 && mds <= 0 && smoothing === null && bounds === null) {
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
      meta, hist, sumGradient, sumHessian, numData, minGainShift, config, reverse, skipDefaultBin, naAsMissing, result, smoothing, bounds,
    );
  }
  const bestGain = result[SCAN_RESULT.gain]!;
  if (splittable && bestGain > out.gain + minGainShift) {
    const bestLeftGradient = result[SCAN_RESULT.leftGradient]!;
    const bestLeftHessian = result[SCAN_RESULT.leftHessian]!;
    const bestLeftCount = result[SCAN_RESULT.leftCount]!;
    const rightGradient = sumGradient - bestLeftGradient;
    const rightHessian = sumHessian - bestLeftHessian;
    out.thresholdBin = result[SCAN_RESULT.threshold]!;
    out.categoricalBins = null;
    out.leftOutput = boundedOutputOf(bestLeftGradient, bestLeftHessian, l1, l2, mds, bestLeftCount, smoothing, bounds);
    out.rightOutput = boundedOutputOf(rightGradient, rightHessian, l1, l2, mds, numData - bestLeftCount, smoothing, bounds);
    out.leftCount = bestLeftCount;
    out.rightCount = numData - bestLeftCount;
    out.leftSumGradient = bestLeftGradient;
    out.leftSumHessian = bestLeftHessian - K_EPSILON;
    out.rightSumGradient = rightGradient;
    out.rightSumHessian = rightHessian - K_EPSILON;
    out.gain = bestGain - minGainShift;
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
      if (h === 0 && g === 0 && evaluated) continue;
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
        if (h === 0 && g === 0 && evaluated) continue;
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

function findCategorical(
  meta: FeatureMeta,
  hist: Float64Array,
  sumGradient: number,
  sumHessian: number,
  numData: number,
  config: SplitConfig,
  out: SplitInfo,
  smoothing: Smoothing | null,
  bounds: OutputBounds | null,
): boolean {
  const { offset } = meta;
  const base = 2 * (meta.histStart + offset);
  const { minDataInLeaf, minSumHessianInLeaf, lambdaL1: l1, maxDeltaStep: mds } = config;
  out.defaultLeft = false;
  // The parent score keeps plain lambda_l2 even when the children use lambda_l2 + cat_l2.
  // With smoothing, LightGBM measures the unsplit leaf at its current output instead.
  const minGainShift =
    (smoothing === null
      ? leafGain(sumGradient, sumHessian, l1, config.lambdaL2, mds)
      : gainGivenOutput(sumGradient, sumHessian, l1, config.lambdaL2, smoothing.parentOutput)) + config.minGainToSplit;
  const binStart = 1 - offset;
  const binEnd = meta.numBin - offset;
  const cntFactor = numData / sumHessian;
  const useOnehot = meta.numBin <= config.maxCatToOnehot;
  const plain = l1 === 0 && mds <= 0 && smoothing === null && bounds === null;
  let l2 = config.lambdaL2;
  let bestGain = -Infinity;
  let bestThreshold = -1;
  let bestDirection = 1;
  let bestLeftGradient = 0;
  let bestLeftHessian = 0;
  let bestLeftCount = 0;
  let splittable = false;
  const sorted: number[] = [];
  if (useOnehot) {
    for (let t = binStart; t < binEnd; t++) {
      const g = hist[base + 2 * t]!;
      const h = hist[base + 2 * t + 1]!;
      const count = Math.trunc(h * cntFactor + 0.5);
      if (count < minDataInLeaf || h < minSumHessianInLeaf) continue;
      const otherCount = numData - count;
      if (otherCount < minDataInLeaf) continue;
      const otherHessian = sumHessian - h - K_EPSILON;
      if (otherHessian < minSumHessianInLeaf) continue;
      const otherGradient = sumGradient - g;
      const gain = splitGain(otherGradient, otherHessian, g, h + K_EPSILON, l1, l2, mds, otherCount, count, smoothing, bounds, 0);
      if (gain <= minGainShift) continue;
      splittable = true;
      if (gain > bestGain) {
        bestThreshold = t;
        bestLeftGradient = g;
        bestLeftHessian = h + K_EPSILON;
        bestLeftCount = count;
        bestGain = gain;
      }
    }
  } else {
    for (let t = binStart; t < binEnd; t++) {
      if (Math.trunc(hist[base + 2 * t + 1]! * cntFactor + 0.5) >= config.catSmooth) sorted.push(t);
    }
    const used = sorted.length;
    l2 += config.catL2;
    const catSmooth = config.catSmooth;
    const ratio = (t: number): number => hist[base + 2 * t]! / (hist[base + 2 * t + 1]! + catSmooth);
    sorted.sort((a, b) => {
      const ra = ratio(a);
      const rb = ratio(b);
      return ra < rb ? -1 : rb < ra ? 1 : 0;
    });
    const maxNumCat = Math.min(config.maxCatThreshold, Math.trunc((used + 1) / 2));
    const minDataPerGroup = config.minDataPerGroup;
    for (const direction of [1, -1]) {
      let position = direction === 1 ? 0 : used - 1;
      let groupCount = 0;
      let leftGradient = 0;
      let leftHessian = K_EPSILON;
      let leftCount = 0;
      for (let i = 0; i < used && i < maxNumCat; i++) {
        const t = sorted[position]!;
        position += direction;
        const h = hist[base + 2 * t + 1]!;
        const count = Math.trunc(h * cntFactor + 0.5);
        leftGradient += hist[base + 2 * t]!;
        leftHessian += h;
        leftCount += count;
        groupCount += count;
        if (leftCount < minDataInLeaf || leftHessian < minSumHessianInLeaf) continue;
        const rightCount = numData - leftCount;
        if (rightCount < minDataInLeaf || rightCount < minDataPerGroup) break;
        const rightHessian = sumHessian - leftHessian;
        if (rightHessian < minSumHessianInLeaf) break;
        if (groupCount < minDataPerGroup) continue;
        groupCount = 0;
        const rightGradient = sumGradient - leftGradient;
        const gain = plain
        ? (leftGradient * leftGradient) / (leftHessian + l2) + (rightGradient * rightGradient) / (rightHessian + l2)
        : splitGain(leftGradient, leftHessian, rightGradient, rightHessian, l1, l2, mds, leftCount, rightCount, smoothing, bounds, 0);
        if (gain <= minGainShift) continue;
        splittable = true;
        if (gain > bestGain) {
          bestLeftCount = leftCount;
          bestLeftGradient = leftGradient;
          bestLeftHessian = leftHessian;
          bestThreshold = i;
          bestGain = gain;
          bestDirection = direction;
        }
      }
    }
  }
  if (splittable) {
    const rightGradient = sumGradient - bestLeftGradient;
    const rightHessian = sumHessian - bestLeftHessian;
    out.leftOutput = boundedOutputOf(bestLeftGradient, bestLeftHessian, l1, l2, mds, bestLeftCount, smoothing, bounds);
    out.rightOutput = boundedOutputOf(rightGradient, rightHessian, l1, l2, mds, numData - bestLeftCount, smoothing, bounds);
    out.leftCount = bestLeftCount;
    out.rightCount = numData - bestLeftCount;
    out.leftSumGradient = bestLeftGradient;
    out.leftSumHessian = bestLeftHessian - K_EPSILON;
    out.rightSumGradient = rightGradient;
    out.rightSumHessian = rightHessian - K_EPSILON;
    out.gain = bestGain - minGainShift;
    if (useOnehot) {
      out.categoricalBins = [bestThreshold + offset];
    } else {
      const bins: number[] = [];
      for (let i = 0; i <= bestThreshold; i++) {
        bins.push((bestDirection === 1 ? sorted[i]! : sorted[sorted.length - 1 - i]!) + offset);
      }
      out.categoricalBins = bins;
    }
  }
  return splittable;
}

/*
 * Leaf outputs and gains exactly as LightGBM computes them (feature_histogram.hpp): no ½ factor,
 * L1 soft-thresholding of the gradient sum, optional clipping by `max_delta_step`. Kept in this
 * module so the scan loops call them without crossing a module boundary.
 */
export function thresholdL1(sumGradient: number, l1: number): number {
  const reduced = Math.max(0, Math.abs(sumGradient) - l1);
  return sumGradient > 0 ? reduced : sumGradient < 0 ? -reduced : 0;
}

export function leafOutput(sumGradient: number, sumHessian: number, l1: number, l2: number, maxDeltaStep: number): number {
  const g = l1 > 0 ? thresholdL1(sumGradient, l1) : sumGradient;
  let out = -g / (sumHessian + l2);
  if (maxDeltaStep > 0 && Math.abs(out) > maxDeltaStep) out = Math.sign(out) * maxDeltaStep;
  return out;
}

export function leafGain(sumGradient: number, sumHessian: number, l1: number, l2: number, maxDeltaStep: number): number {
  const g = l1 > 0 ? thresholdL1(sumGradient, l1) : sumGradient;
  if (maxDeltaStep <= 0) return (g * g) / (sumHessian + l2);
  const out = leafOutput(sumGradient, sumHessian, l1, l2, maxDeltaStep);
  return -(2 * g * out + (sumHessian + l2) * out * out);
}

/** `GetLeafGainGivenOutput`: the gain of a leaf holding `output`. */
export function gainGivenOutput(sumGradient: number, sumHessian: number, l1: number, l2: number, output: number): number {
  const g = l1 > 0 ? thresholdL1(sumGradient, l1) : sumGradient;
  return -(2 * g * output + (sumHessian + l2) * output * output);
}

/** A leaf's output, smoothed toward the parent's by its row count when path smoothing is on. */
function outputOf(
  sumGradient: number, sumHessian: number, l1: number, l2: number, mds: number, count: number, smoothing: Smoothing | null,
): number {
  const output = leafOutput(sumGradient, sumHessian, l1, l2, mds);
  if (smoothing === null) return output;
  const weight = count / smoothing.factor;
  return (output * weight) / (weight + 1) + smoothing.parentOutput / (weight + 1);
}

/** A leaf's gain; with path smoothing, the gain of its smoothed output. */
function gainOf(
  sumGradient: number, sumHessian: number, l1: number, l2: number, mds: number, count: number, smoothing: Smoothing | null,
): number {
  if (smoothing === null) return leafGain(sumGradient, sumHessian, l1, l2, mds);
  return gainGivenOutput(sumGradient, sumHessian, l1, l2, outputOf(sumGradient, sumHessian, l1, l2, mds, count, smoothing));
}

/** The split's gain; under monotone constraints from the bounded outputs, 0 when they break the direction. */
function splitGain(
  leftGradient: number, leftHessian: number, rightGradient: number, rightHessian: number, l1: number, l2: number, mds: number,
  leftCount: number, rightCount: number, smoothing: Smoothing | null, bounds: OutputBounds | null, monotone: number,
): number {
  if (bounds === null) {
    return gainOf(leftGradient, leftHessian, l1, l2, mds, leftCount, smoothing) + gainOf(rightGradient, rightHessian, l1, l2, mds, rightCount, smoothing);
  }
  const left = boundedOutputOf(leftGradient, leftHessian, l1, l2, mds, leftCount, smoothing, bounds);
  const right = boundedOutputOf(rightGradient, rightHessian, l1, l2, mds, rightCount, smoothing, bounds);
  if ((monotone > 0 && left > right) || (monotone < 0 && left < right)) return 0;
  return gainGivenOutput(leftGradient, leftHessian, l1, l2, left) + gainGivenOutput(rightGradient, rightHessian, l1, l2, right);
}

/** `outputOf`, clamped into the leaf's bounds when there are any. */
function boundedOutputOf(
  sumGradient: number, sumHessian: number, l1: number, l2: number, mds: number, count: number, smoothing: Smoothing | null,
  bounds: OutputBounds | null,
): number {
  const output = outputOf(sumGradient, sumHessian, l1, l2, mds, count, smoothing);
  if (bounds === null) return output;
  return output < bounds.min ? bounds.min : output > bounds.max ? bounds.max : output;
}
