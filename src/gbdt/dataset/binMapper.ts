/**
 * Per-feature value→bin mapping, built from the binning sample exactly as LightGBM's
 * `BinMapper::FindBin` (src/io/bin.cpp) does, so that bin indices, thresholds and
 * `feature_infos` agree with LightGBM's.
 */
import { MISSING_TYPE_NAN, MISSING_TYPE_NONE, MISSING_TYPE_ZERO } from "../tree.js";
import { distinctWithZero, findBinWithZeroAsOneBin } from "./binBounds.js";
import { K_ZERO_THRESHOLD, formatG17, roundInt } from "./numeric.js";

/** LightGBM's `kSparseThreshold`: below this share the most frequent bin falls back to the zero bin. */
const SPARSE_THRESHOLD = 0.7;

export interface BinningOptions {
  maxBin: number;
  minDataInBin: number;
  /** Minimum rows on each side for a feature to survive `feature_pre_filter`. */
  minSplitData: number;
  featurePreFilter: boolean;
  useMissing: boolean;
  zeroAsMissing: boolean;
}

export interface BinMapper {
  categorical: boolean;
  numBin: number;
  /** 0 None, 1 Zero, 2 NaN (the decision-type encoding). */
  missingType: number;
  /** Constant or unsplittable feature: not used for training, `none` in `feature_infos`. */
  isTrivial: boolean;
  /** Bin of the value 0.0. */
  defaultBin: number;
  /** Bin whose histogram entry is derived as "leaf total − other bins". */
  mostFreqBin: number;
  minValue: number;
  maxValue: number;
  /** Numerical: upper bound of each bin (last is +inf, or NaN for the NaN bin). */
  upperBounds: Float64Array;
  /** Categorical: category of each bin (bin 0 is -1, the NaN/other bin). */
  binToCategory: Int32Array;
  categoryToBin: Map<number, number>;
}

/**
 * `sampleNonZero` holds the sampled values with `|v| > 1e-35f` or NaN; zeros are implied by
 * `totalSampleCount`. The array is sorted in place.
 */
export function findBin(
  sampleNonZero: Float64Array,
  totalSampleCount: number,
  categorical: boolean,
  options: BinningOptions,
): BinMapper {
  let nonNaN = 0;
  for (let i = 0; i < sampleNonZero.length; i++) if (!Number.isNaN(sampleNonZero[i]!)) nonNaN++;
  const values = new Float64Array(nonNaN);
  for (let i = 0, j = 0; i < sampleNonZero.length; i++) {
    const v = sampleNonZero[i]!;
    if (!Number.isNaN(v)) values[j++] = v;
  }
  values.sort();
  let missingType: number;
  let naCount = 0;
  if (!options.useMissing) missingType = MISSING_TYPE_NONE;
  else if (options.zeroAsMissing) missingType = MISSING_TYPE_ZERO;
  else if (nonNaN === sampleNonZero.length) missingType = MISSING_TYPE_NONE;
  else {
    missingType = MISSING_TYPE_NAN;
    naCount = sampleNonZero.length - nonNaN;
  }
  const zeroCount = totalSampleCount - nonNaN - naCount;
  const distinct = distinctWithZero(values, zeroCount);
  const mapper: BinMapper = {
    categorical,
    numBin: 0,
    missingType,
    isTrivial: false,
    defaultBin: 0,
    mostFreqBin: 0,
    minValue: distinct.values[0]!,
    maxValue: distinct.values[distinct.values.length - 1]!,
    upperBounds: new Float64Array(0),
    binToCategory: new Int32Array(0),
    categoryToBin: new Map(),
  };
  const countInBin = categorical
    ? buildCategoricalBins(mapper, distinct.values, distinct.counts, naCount, totalSampleCount, options)
    : buildNumericalBins(mapper, distinct.values, distinct.counts, naCount, totalSampleCount, options);

  mapper.isTrivial = mapper.numBin <= 1;
  if (!mapper.isTrivial && options.featurePreFilter && needsFilter(countInBin, totalSampleCount, options.minSplitData, categorical)) {
    mapper.isTrivial = true;
  }
  if (!mapper.isTrivial) {
    mapper.defaultBin = valueToBin(mapper, 0);
    let mostFreq = 0;
    for (let i = 1; i < countInBin.length; i++) if (countInBin[i]! > countInBin[mostFreq]!) mostFreq = i;
    if (mostFreq !== mapper.defaultBin && countInBin[mostFreq]! / totalSampleCount < SPARSE_THRESHOLD) {
      mostFreq = mapper.defaultBin;
    }
    mapper.mostFreqBin = mostFreq;
  }
  return mapper;
}

function buildNumericalBins(
  mapper: BinMapper,
  values: Float64Array,
  counts: Float64Array,
  naCount: number,
  totalSampleCount: number,
  options: BinningOptions,
): number[] {
  let bounds: number[];
  if (mapper.missingType === MISSING_TYPE_NAN) {
    bounds = findBinWithZeroAsOneBin({ values, counts }, options.maxBin - 1, totalSampleCount - naCount, options.minDataInBin);
    bounds.push(NaN);
  } else {
    bounds = findBinWithZeroAsOneBin({ values, counts }, options.maxBin, totalSampleCount, options.minDataInBin);
    // A zero-as-missing feature with a single real split point cannot also route zeros separately.
    if (mapper.missingType === MISSING_TYPE_ZERO && bounds.length === 2) mapper.missingType = MISSING_TYPE_NONE;
  }
  mapper.numBin = bounds.length;
  mapper.upperBounds = Float64Array.from(bounds);
  const countInBin = new Array<number>(mapper.numBin).fill(0);
  let bin = 0;
  for (let i = 0; i < values.length; i++) {
    while (values[i]! > bounds[bin]! && bin < mapper.numBin - 1) bin++;
    countInBin[bin]! += counts[i]!;
  }
  if (mapper.missingType === MISSING_TYPE_NAN) countInBin[mapper.numBin - 1] = naCount;
  return countInBin;
}

function buildCategoricalBins(
  mapper: BinMapper,
  values: Float64Array,
  counts: Float64Array,
  naCountIn: number,
  totalSampleCount: number,
  options: BinningOptions,
): number[] {
  let naCount = naCountIn;
  const categories: number[] = [];
  const categoryCounts: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const c = Math.trunc(values[i]!);
    if (c < 0) naCount += counts[i]!;
    else if (categories.length === 0 || c !== categories[categories.length - 1]) {
      categories.push(c);
      categoryCounts.push(counts[i]!);
    } else {
      categoryCounts[categoryCounts.length - 1]! += counts[i]!;
    }
  }
  const restCount = totalSampleCount - naCount;
  const countInBin: number[] = [];
  if (restCount <= 0) return countInBin;
  // Most frequent first; equal counts keep ascending category order.
  const order = categories.map((_, i) => i).sort((a, b) => categoryCounts[b]! - categoryCounts[a]! || a - b);
  const cutCount = roundInt(Math.fround(Math.fround(restCount) * Math.fround(0.99)));
  const distinctCount = categories.length + (naCount > 0 ? 1 : 0);
  const maxBin = Math.min(distinctCount, options.maxBin);
  const binToCategory: number[] = [-1];
  countInBin.push(0);
  let used = 0;
  let next = 0;
  while (next < order.length && (used < cutCount || binToCategory.length < maxBin)) {
    const count = categoryCounts[order[next]!]!;
    if (count < options.minDataInBin && next > 1) break;
    const category = categories[order[next]!]!;
    mapper.categoryToBin.set(category, binToCategory.length);
    binToCategory.push(category);
    used += count;
    countInBin.push(count);
    next++;
  }
  mapper.missingType = next === categories.length && naCount === 0 ? MISSING_TYPE_NONE : MISSING_TYPE_NAN;
  countInBin[0] = totalSampleCount - used;
  mapper.numBin = binToCategory.length;
  mapper.binToCategory = Int32Array.from(binToCategory);
  return countInBin;
}

function needsFilter(countInBin: number[], total: number, filterCount: number, categorical: boolean): boolean {
  if (!categorical) {
    let left = 0;
    for (let i = 0; i < countInBin.length - 1; i++) {
      left += countInBin[i]!;
      if (left >= filterCount && total - left >= filterCount) return false;
    }
    return true;
  }
  if (countInBin.length > 2) return false;
  for (let i = 0; i < countInBin.length - 1; i++) {
    const left = countInBin[i]!;
    if (left >= filterCount && total - left >= filterCount) return false;
  }
  return true;
}

export function valueToBin(mapper: BinMapper, valueIn: number): number {
  let value = valueIn;
  if (Number.isNaN(value)) {
    if (mapper.categorical) return 0;
    if (mapper.missingType === MISSING_TYPE_NAN) return mapper.numBin - 1;
    value = 0;
  }
  if (!mapper.categorical) {
    const bounds = mapper.upperBounds;
    let lo = 0;
    let hi = mapper.numBin - 1 - (mapper.missingType === MISSING_TYPE_NAN ? 1 : 0);
    while (lo < hi) {
      const mid = (lo + hi - 1) >> 1;
      if (value <= bounds[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  const category = Math.trunc(value);
  if (category < 0) return 0;
  return mapper.categoryToBin.get(category) ?? 0;
}

/** The value a split "bin <= t" stores as its threshold: bin t's upper bound. */
export function binToThreshold(mapper: BinMapper, bin: number): number {
  return mapper.upperBounds[bin]!;
}

/** This feature's token in the model's `feature_infos` line. */
export function featureInfo(mapper: BinMapper): string {
  if (mapper.isTrivial) return "none";
  if (mapper.categorical) return Array.from(mapper.binToCategory, String).join(":");
  return `[${formatG17(mapper.minValue)}:${formatG17(mapper.maxValue)}]`;
}

/** Whether a value is stored in the binning sample (LightGBM keeps only non-zeros and NaNs). */
export function isSampledNonZero(v: number): boolean {
  return Number.isNaN(v) || Math.abs(v) > K_ZERO_THRESHOLD;
}
