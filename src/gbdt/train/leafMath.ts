/**
 * Leaf outputs and gains exactly as LightGBM computes them (feature_histogram.hpp): no ½ factor,
 * L1 soft-thresholding of the gradient sum, optional clipping by `max_delta_step`, path smoothing
 * toward the parent's output and, under monotone constraints, outputs clamped into the leaf's
 * bounds with gains computed from those outputs.
 */

/** A leaf's output bounds under monotone constraints (LightGBM's basic method). */
import { K_EPSILON } from "../dataset/numeric.js";
import type { SplitInfo } from "./splitInfo.js";

export interface OutputBounds {
  min: number;
  max: number;
}

/** Path smoothing in effect for one leaf search: the factor and the leaf's current output. */
export interface Smoothing {
  factor: number;
  parentOutput: number;
}

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
export function outputOf(
  sumGradient: number, sumHessian: number, l1: number, l2: number, mds: number, count: number, smoothing: Smoothing | null,
): number {
  const output = leafOutput(sumGradient, sumHessian, l1, l2, mds);
  if (smoothing === null) return output;
  const weight = count / smoothing.factor;
  return (output * weight) / (weight + 1) + smoothing.parentOutput / (weight + 1);
}

/** A leaf's gain; with path smoothing, the gain of its smoothed output. */
export function gainOf(
  sumGradient: number, sumHessian: number, l1: number, l2: number, mds: number, count: number, smoothing: Smoothing | null,
): number {
  if (smoothing === null) return leafGain(sumGradient, sumHessian, l1, l2, mds);
  return gainGivenOutput(sumGradient, sumHessian, l1, l2, outputOf(sumGradient, sumHessian, l1, l2, mds, count, smoothing));
}

/** The split's gain; under monotone constraints from the bounded outputs, 0 when they break the direction. */
export function splitGain(
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
export function boundedOutputOf(
  sumGradient: number, sumHessian: number, l1: number, l2: number, mds: number, count: number, smoothing: Smoothing | null,
  bounds: OutputBounds | null,
): number {
  const output = outputOf(sumGradient, sumHessian, l1, l2, mds, count, smoothing);
  if (bounds === null) return output;
  return output < bounds.min ? bounds.min : output > bounds.max ? bounds.max : output;
}

/**
 * Fill a split's two sides from the best left sums (ε-padded hessian) and the leaf totals, as
 * both LightGBM finders do: outputs, counts, unpadded sums, and the gain over the shift.
 */
export function writeSplitSides(
  out: SplitInfo, sumGradient: number, sumHessian: number, numData: number,
  bestLeftGradient: number, bestLeftHessian: number, bestLeftCount: number, gain: number,
  l1: number, l2: number, mds: number, smoothing: Smoothing | null, bounds: OutputBounds | null,
): void {
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
  out.gain = gain;
}
