/**
 * The order in which LightGBM numbers a dataset's used features ("inner" indices). LightGBM
 * bundles features into groups (exclusive feature bundling: `FastFeatureBundling` and
 * `FindGroups` in src/io/dataset.cpp), shuffles the groups with `Random(num_data)`, and numbers
 * the features group by group. Larder keeps each feature's own bins, so only this order is
 * needed: extra trees seed each feature's generator with `extra_seed` + its inner index.
 */
import type { BinMapper } from "./binMapper.js";
import { valueToBin } from "./binMapper.js";
import { LcgRandom } from "./lcgRandom.js";

/** One used feature's sample: the sample positions of its non-zero values, and those values. */
export interface FeatureSample {
  positions: Int32Array;
  values: Float64Array;
}

/** Per original feature, its inner index (-1 for trivial features). */
export function innerFeatureIndices(
  mappers: readonly BinMapper[],
  samples: readonly (FeatureSample | null)[],
  totalSamples: number,
  numRows: number,
): Int32Array {
  const used = mappers.flatMap((m, f) => (m.isTrivial ? [] : [f]));
  const indices: Int32Array[] = [];
  const counts: number[] = [];
  const rawCounts: number[] = [];
  for (let f = 0; f < mappers.length; f++) {
    const sample = samples[f];
    const positions = sample?.positions ?? new Int32Array(0);
    rawCounts[f] = positions.length;
    const fixed = mappers[f]!.isTrivial ? [] : rowsOffMostFrequentBin(mappers[f]!, sample, totalSamples);
    indices[f] = fixed.length > 0 ? Int32Array.from(fixed) : positions;
    counts[f] = indices[f]!.length;
  }
  // Denser features first, ties in feature order.
  const byCount = [...used].sort((a, b) => rawCounts[b]! - rawCounts[a]! || a - b);
  let groups = findGroups(used, indices, counts, totalSamples, numRows);
  const groupsByCount = findGroups(byCount, indices, counts, totalSamples, numRows);
  if (groups.length > groupsByCount.length) groups = groupsByCount;
  const random = new LcgRandom(numRows);
  for (let i = 0; i < groups.length - 1; i++) {
    const j = random.nextShort(i + 1, groups.length);
    [groups[i], groups[j]] = [groups[j]!, groups[i]!];
  }
  const inner = new Int32Array(mappers.length).fill(-1);
  let next = 0;
  for (const group of groups) for (const f of group) inner[f] = next++;
  return inner;
}

/**
 * LightGBM's `FixSampleIndices`: when zero is not the most frequent bin, the sample positions
 * whose bin is not the most frequent one (zeros included); empty otherwise.
 */
function rowsOffMostFrequentBin(mapper: BinMapper, sample: FeatureSample | null | undefined, totalSamples: number): number[] {
  if (mapper.defaultBin === mapper.mostFreqBin) return [];
  const positions = sample?.positions ?? new Int32Array(0);
  const values = sample?.values ?? new Float64Array(0);
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < totalSamples; ) {
    if (j < positions.length && positions[j]! < i) {
      j++;
    } else if (j < positions.length && positions[j] === i) {
      if (valueToBin(mapper, values[j]!) !== mapper.mostFreqBin) out.push(i);
      i++;
    } else {
      out.push(i++);
    }
  }
  return out;
}

/** `GetConflictCount`: how many of `indices` are marked, or -1 once that exceeds `max`. */
function conflictCount(mark: Uint8Array, indices: Int32Array, max: number): number {
  let count = 0;
  for (let i = 0; i < indices.length; i++) {
    if (mark[indices[i]!]) count++;
    if (count > max) return -1;
  }
  return count;
}

const MAX_SEARCH_GROUP = 100;
const DENSE_THRESHOLD = 0.4;

/** `FindGroups` on the CPU with sparse features allowed: greedy bundling, then sparse groups merged. */
function findGroups(
  order: readonly number[],
  indices: readonly Int32Array[],
  counts: readonly number[],
  totalSamples: number,
  numRows: number,
): number[][] {
  const maxConflict = Math.trunc(totalSamples / 10000);
  const random = new LcgRandom(numRows);
  const groups: number[][] = [];
  const marks: Uint8Array[] = [];
  const usedRows: number[] = [];
  const totalData: number[] = [];
  for (const f of order) {
    const nonZero = counts[f]!;
    const available: number[] = [];
    for (let g = 0; g < groups.length; g++) if (totalData[g]! + nonZero <= totalSamples + maxConflict) available.push(g);
    const search: number[] = [];
    if (available.length > 0) {
      const last = available.length - 1;
      const picks = random.sample(last, Math.min(last, MAX_SEARCH_GROUP - 1));
      search.push(available[last]!);
      for (const i of picks) search.push(available[i]!);
    }
    let best = -1;
    let bestConflict = -1;
    for (const g of search) {
      const restMax = maxConflict - totalData[g]! + usedRows[g]!;
      const conflicts = conflictCount(marks[g]!, indices[f]!, restMax);
      if (conflicts >= 0 && conflicts <= restMax && conflicts <= Math.trunc(nonZero / 2)) {
        best = g;
        bestConflict = conflicts;
        break;
      }
    }
    if (best >= 0) {
      groups[best]!.push(f);
      totalData[best]! += nonZero;
      usedRows[best]! += nonZero - bestConflict;
      for (const i of indices[f]!) marks[best]![i] = 1;
    } else {
      const mark = new Uint8Array(totalSamples);
      for (const i of indices[f]!) mark[i] = 1;
      groups.push([f]);
      marks.push(mark);
      totalData.push(nonZero);
      usedRows.push(nonZero);
    }
  }
  // Groups used by less than 40% of the sampled rows are pooled into one last (multi-value) group.
  const dense: number[][] = [];
  const sparse: number[] = [];
  groups.forEach((group, g) => {
    if (usedRows[g]! / totalSamples >= DENSE_THRESHOLD) dense.push(group);
    else sparse.push(...group);
  });
  if (sparse.length > 0) dense.push(sparse);
  return dense;
}
