/**
 * Best split of one categorical feature, as LightGBM's `FindBestThresholdCategoricalInner`: one
 * category against the rest for few categories (`max_cat_to_onehot`), else categories sorted by
 * their gradient/hessian ratio and scanned from both ends in groups (`min_data_per_group`,
 * `max_cat_threshold`) with the extra `cat_l2` and `cat_smooth` regularisation.
 */
import type { LcgRandom } from "../dataset/lcgRandom.js";
import { K_EPSILON } from "../dataset/numeric.js";
import type { FeatureMeta } from "./featureMeta.js";
import { type OutputBounds, type Smoothing, gainGivenOutput, leafGain, splitGain, writeSplitSides } from "./leafMath.js";
import type { SplitConfig } from "./splitFinder.js";
import type { SplitInfo } from "./splitInfo.js";

export function findCategorical(
  meta: FeatureMeta,
  hist: Float64Array,
  sumGradient: number,
  sumHessian: number,
  numData: number,
  config: SplitConfig,
  out: SplitInfo,
  smoothing: Smoothing | null,
  bounds: OutputBounds | null,
  random: LcgRandom | null = null,
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
    // Extra trees: one drawn category is the only candidate.
    const randThreshold = random === null ? -1 : binEnd - binStart > 0 ? random.nextInt(binStart, binEnd) : 0;
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
      if (randThreshold >= 0 && t !== randThreshold) continue;
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
    const maxThreshold = Math.max(Math.min(maxNumCat, used) - 1, 0);
    const randThreshold = random === null ? -1 : maxThreshold > 0 ? random.nextInt(0, maxThreshold) : 0;
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
        if (randThreshold >= 0 && i !== randThreshold) continue;
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
    writeSplitSides(
      out, sumGradient, sumHessian, numData, bestLeftGradient, bestLeftHessian, bestLeftCount, bestGain - minGainShift,
      l1, l2, mds, smoothing, bounds,
    );
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
