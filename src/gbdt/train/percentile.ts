/**
 * LightGBM's unweighted `PercentileFun` (regression_objective.hpp): interpolates between the
 * order statistics around position (n−1)·(1−α) counted from the largest value.
 */
export function percentile(values: Float64Array, alpha: number): number {
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
  return v1 - (v1 - v2) * bias;
}
