/**
 * LightGBM's unweighted `PercentileFun` (regression_objective.hpp): interpolates between the
 * order statistics around position (n−1)·(1−α) counted from the largest value. `float32` says
 * the values are float32 (labels), whose difference C++ rounds to float before interpolating.
 */
export function percentile(values: Float64Array, alpha: number, float32 = false): number {
  const n = values.length;
  if (n <= 1) return values[0]!;
  const floatPos = (n - 1) * (1 - alpha);
  const pos = Math.trunc(floatPos) + 1;
  const descending = Float64Array.from(values).sort().reverse();
  if (pos < 1) return descending[0]!;
  if (pos >= n) return descending[n - 1]!;
  const bias = floatPos - (pos - 1);
  const v1 = descending[pos - 1]!;
  const v2 = descending[pos]!;
  return v1 - differenceOf(v1, v2, float32) * bias;
}

/**
 * LightGBM's `WeightedPercentileFun` as of 4.7 (lightgbm-org/LightGBM#7224): values stably sorted
 * ascending, their weights accumulated in double; α·total falls between two cumulative weights,
 * and the result interpolates between their values when that step of weight is at least 1, else
 * takes the lower one. The first and last positions take their value as is.
 */
export function weightedPercentile(values: Float64Array, weights: ArrayLike<number>, alpha: number, float32 = false): number {
  const n = values.length;
  if (n <= 1) return values[0]!;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a]! < values[b]! ? -1 : values[b]! < values[a]! ? 1 : 0));
  const cdf = new Float64Array(n);
  cdf[0] = weights[order[0]!]!;
  for (let i = 1; i < n; i++) cdf[i] = cdf[i - 1]! + weights[order[i]!]!;
  const threshold = cdf[n - 1]! * alpha;
  let pos = upperBound(cdf, threshold);
  pos = Math.min(pos, n - 1);
  if (pos === 0 || pos === n - 1) return values[order[pos]!]!;
  const v1 = values[order[pos - 1]!]!;
  const v2 = values[order[pos]!]!;
  const step = cdf[pos]! - cdf[pos - 1]!;
  return step >= 1 ? ((threshold - cdf[pos - 1]!) / step) * differenceOf(v2, v1, float32) + v1 : v1;
}

/** The first index whose value is greater than `x` (`std::upper_bound` on an ascending array). */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `a - b` in the values' own precision. */
function differenceOf(a: number, b: number, float32: boolean): number {
  return float32 ? Math.fround(a - b) : a - b;
}
