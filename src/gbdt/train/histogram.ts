/**
 * Leaf histograms: for every used feature and bin, (Σ gradient, Σ hessian) in double, summed in
 * row order. Laid out as one Float64Array of interleaved pairs, feature after feature.
 */
import type { BinColumn } from "../dataset/dataset.js";
import type { FeatureMeta } from "./featureMeta.js";

/**
 * Write the used features' histogram slots row by row (`slots[row * numFeatures + f]` = the
 * feature's first slot + the row's bin): building a leaf's histogram then reads one short
 * contiguous run per row instead of one byte from every column, with no offset arithmetic.
 */
export function fillRowMajorSlots(
  slots: Uint16Array | Int32Array,
  metas: readonly FeatureMeta[],
  columns: readonly BinColumn[],
  numRows: number,
): void {
  const numFeatures = metas.length;
  metas.forEach((meta, f) => {
    const column = columns[meta.feature]!;
    const start = meta.histStart;
    for (let row = 0; row < numRows; row++) slots[row * numFeatures + f] = start + column[row]!;
  });
}

/** The same slots column by column: `columnSlots[f * numRows + row]`. */
export function fillColumnSlots(columnSlots: Uint16Array, rowMajor: Uint16Array | Int32Array, numFeatures: number, numRows: number): void {
  for (let f = 0; f < numFeatures; f++) {
    const start = f * numRows;
    for (let row = 0; row < numRows; row++) columnSlots[start + row] = rowMajor[row * numFeatures + f]!;
  }
}

/**
 * Sum rows[begin..begin+count) into the features [featureStart, featureEnd) of the histogram at
 * `histOffset`, after zeroing those features' slots [slotStart, slotEnd). Gradients and hessians
 * are float32 by row id. Self-contained (no outer references) because worker threads run it from
 * its source text.
 */
export function accumulateFeatureRange(
  slots: Uint16Array | Int32Array,
  numFeatures: number,
  featureStart: number,
  featureEnd: number,
  slotStart: number,
  slotEnd: number,
  rows: Int32Array,
  begin: number,
  count: number,
  gradients: Float32Array,
  hessians: Float32Array,
  hist: Float64Array,
  histOffset: number,
): void {
  hist.fill(0, histOffset + 2 * slotStart, histOffset + 2 * slotEnd);
  for (let i = 0; i < count; i++) {
    const row = rows[begin + i]!;
    const g = gradients[row]!;
    const h = hessians[row]!;
    const first = row * numFeatures;
    const end = first + featureEnd;
    for (let j = first + featureStart; j < end; j++) {
      const slot = histOffset + (slots[j]! << 1);
      hist[slot] += g;
      hist[slot + 1] += h;
    }
  }
}

/**
 * LightGBM's `FixHistogram`: the most frequent bin is not summed directly; its entry is the leaf
 * total minus every other bin, subtracted in bin order.
 */
export function fixHistogram(hist: Float64Array, meta: FeatureMeta, sumGradient: number, sumHessian: number): void {
  const mostFreq = meta.mostFreqBin;
  if (mostFreq <= 0) return;
  const start = 2 * meta.histStart;
  let g = sumGradient;
  let h = sumHessian;
  for (let b = 0; b < meta.numBin; b++) {
    if (b === mostFreq) continue;
    g -= hist[start + 2 * b]!;
    h -= hist[start + 2 * b + 1]!;
  }
  hist[start + 2 * mostFreq] = g;
  hist[start + 2 * mostFreq + 1] = h;
}

/** `larger = parent − smaller` for one feature, in place on the parent's histogram. */
export function subtractHistogram(parent: Float64Array, smaller: Float64Array, meta: FeatureMeta): void {
  const start = 2 * meta.histStart;
  const end = start + 2 * meta.numBin;
  for (let i = start; i < end; i++) parent[i] -= smaller[i]!;
}
