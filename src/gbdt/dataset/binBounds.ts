/**
 * Bin upper bounds for numerical features, as LightGBM's `GreedyFindBin` and
 * `FindBinWithZeroAsOneBin` (src/io/bin.cpp) compute them. Every bound is a midpoint nudged one
 * ulp up, which is why model thresholds compare with `<=`.
 */
import { K_ZERO_THRESHOLD, equalOrAdjacent, nextUp } from "./numeric.js";

/** Sorted distinct values of a feature with their sample counts. */
export interface DistinctValues {
  values: Float64Array;
  counts: Float64Array;
}

function pushBound(bounds: number[], v: number): void {
  if (bounds.length === 0 || !equalOrAdjacent(bounds[bounds.length - 1]!, v)) bounds.push(v);
}

export function greedyFindBin(
  values: ArrayLike<number>,
  counts: ArrayLike<number>,
  maxBinIn: number,
  totalCount: number,
  minDataInBin: number,
): number[] {
  const n = values.length;
  const bounds: number[] = [];
  if (n <= maxBinIn) {
    let current = 0;
    for (let i = 0; i < n - 1; i++) {
      current += counts[i]!;
      if (current >= minDataInBin) {
        const v = nextUp((values[i]! + values[i + 1]!) / 2);
        if (bounds.length === 0 || !equalOrAdjacent(bounds[bounds.length - 1]!, v)) {
          bounds.push(v);
          current = 0;
        }
      }
    }
    bounds.push(Infinity);
    return bounds;
  }
  let maxBin = maxBinIn;
  if (minDataInBin > 0) maxBin = Math.max(Math.min(maxBin, Math.trunc(totalCount / minDataInBin)), 1);
  let meanBinSize = totalCount / maxBin;
  let restBinCount = maxBin;
  let restSampleCount = totalCount;
  const isBig = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (counts[i]! >= meanBinSize) {
      isBig[i] = 1;
      restBinCount--;
      restSampleCount -= counts[i]!;
    }
  }
  meanBinSize = restSampleCount / restBinCount;
  const upper = new Array<number>(maxBin).fill(Infinity);
  const lower = new Array<number>(maxBin).fill(Infinity);
  let binCount = 0;
  lower[0] = values[0]!;
  let current = 0;
  for (let i = 0; i < n - 1; i++) {
    if (!isBig[i]) restSampleCount -= counts[i]!;
    current += counts[i]!;
    if (isBig[i] || current >= meanBinSize || (isBig[i + 1] && current >= Math.max(1, meanBinSize * 0.5))) {
      upper[binCount] = values[i]!;
      binCount++;
      lower[binCount] = values[i + 1]!;
      if (binCount >= maxBin - 1) break;
      current = 0;
      if (!isBig[i]) {
        restBinCount--;
        meanBinSize = restSampleCount / restBinCount;
      }
    }
  }
  binCount++;
  for (let i = 0; i < binCount - 1; i++) pushBound(bounds, nextUp((upper[i]! + lower[i + 1]!) / 2));
  bounds.push(Infinity);
  return bounds;
}

/**
 * Bounds with a dedicated zero bin `(-1e-35f, 1e-35f]`: negatives and positives are binned
 * separately, with the negative side's budget proportional to its share of non-zero rows.
 */
export function findBinWithZeroAsOneBin(
  distinct: DistinctValues,
  maxBin: number,
  totalCount: number,
  minDataInBin: number,
): number[] {
  const { values, counts } = distinct;
  let leftData = 0;
  let rightData = 0;
  let zeroCount = 0;
  let leftEnd = values.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v <= -K_ZERO_THRESHOLD) leftData += counts[i]!;
    else if (v > K_ZERO_THRESHOLD) rightData += counts[i]!;
    else zeroCount += counts[i]!;
    if (leftEnd === values.length && v > -K_ZERO_THRESHOLD) leftEnd = i;
  }
  let bounds: number[] = [];
  if (leftEnd > 0 && maxBin > 1) {
    const leftMaxBin = Math.max(1, Math.trunc((leftData / (totalCount - zeroCount)) * (maxBin - 1)));
    bounds = greedyFindBin(values.slice(0, leftEnd), counts.slice(0, leftEnd), leftMaxBin, leftData, minDataInBin);
    if (bounds.length > 0) bounds[bounds.length - 1] = -K_ZERO_THRESHOLD;
  }
  let rightStart = -1;
  for (let i = leftEnd; i < values.length; i++) {
    if (values[i]! > K_ZERO_THRESHOLD) {
      rightStart = i;
      break;
    }
  }
  const rightMaxBin = maxBin - 1 - bounds.length;
  if (rightStart >= 0 && rightMaxBin > 0) {
    const right = greedyFindBin(values.slice(rightStart), counts.slice(rightStart), rightMaxBin, rightData, minDataInBin);
    bounds.push(K_ZERO_THRESHOLD, ...right);
  } else {
    bounds.push(Infinity);
  }
  return bounds;
}

/**
 * Distinct sorted values of the sampled non-zero, non-NaN values, with 0.0 inserted to carry the
 * implied zero count (between negatives and positives even when that count is 0).
 */
export function distinctWithZero(nonZeroSorted: Float64Array, zeroCount: number): DistinctValues {
  const n = nonZeroSorted.length;
  // At most every value plus the zero entry; filled in place (binning runs this on every column).
  const values = new Float64Array(n + 1);
  const counts = new Float64Array(n + 1);
  let size = 0;
  const append = (value: number, count: number): void => {
    values[size] = value;
    counts[size] = count;
    size++;
  };
  if (n === 0 || (nonZeroSorted[0]! > 0 && zeroCount > 0)) append(0, zeroCount);
  if (n > 0) append(nonZeroSorted[0]!, 1);
  for (let i = 1; i < n; i++) {
    const prev = nonZeroSorted[i - 1]!;
    const cur = nonZeroSorted[i]!;
    if (!equalOrAdjacent(prev, cur)) {
      if (prev < 0 && cur > 0) append(0, zeroCount);
      append(cur, 1);
    } else {
      values[size - 1] = cur;
      counts[size - 1]! += 1;
    }
  }
  if (n > 0 && nonZeroSorted[n - 1]! < 0 && zeroCount > 0) append(0, zeroCount);
  return { values: values.subarray(0, size), counts: counts.subarray(0, size) };
}
