/**
 * The inner loops of prediction over row-major `Float64Array` rows. Raw scores are summed per
 * class in tree order starting from 0, which is LightGBM's order, so results are bit-identical.
 *
 * Batches walk four rows through the same tree in lockstep: the four walks are independent, so
 * the CPU overlaps their loads and mispredictions instead of waiting on one chain of nodes.
 */
import {
  categoricalChild,
  generalNumericalChild,
  NODE_NUMERICAL_GENERAL,
  type FlatForest,
} from "./flatForest.js";

const ROWS_PER_BLOCK = 256;

/** Trees `firstTree..endTree-1` (whole iterations) applied to `numRows` rows. */
export interface TreeWindow {
  firstTree: number;
  endTree: number;
  perIteration: number;
}

/**
 * The child of internal node `node` for feature value `x`. Numerical kinds 0 (NaN right) and
 * 1 (NaN left) go right when `x > threshold`, or when `x` is NaN and the kind is 0.
 */
function step(forest: FlatForest, node: number, x: number): number {
  const kind = forest.nodeKind[node]!;
  if (kind < NODE_NUMERICAL_GENERAL) {
    const right = +(x > forest.nodeThreshold[node]!) | (+(x !== x) & (1 - kind));
    return forest.nodeChildren[2 * node + right]!;
  }
  return kind === NODE_NUMERICAL_GENERAL ? generalNumericalChild(forest, node, x) : categoricalChild(forest, node, x);
}

/** Model-wide leaf index reached by the row at `data[base..]` in tree `t`. */
export function leafIn(forest: FlatForest, t: number, data: Float64Array, base: number): number {
  const feature = forest.nodeFeature;
  let node = forest.treeRoot[t]!;
  while (node >= 0) node = step(forest, node, data[base + feature[node]!]!);
  return ~node;
}

/**
 * Model-wide leaves of four rows (bases `b0..b3`) in tree `t`, written to `leaves[0..3]`.
 * Rows that reach a leaf early wait for the others.
 */
function leavesOfFour(
  forest: FlatForest,
  t: number,
  data: Float64Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  leaves: Int32Array,
): void {
  const feature = forest.nodeFeature;
  const kind = forest.nodeKind;
  const threshold = forest.nodeThreshold;
  const children = forest.nodeChildren;
  let n0 = forest.treeRoot[t]!;
  let n1 = n0;
  let n2 = n0;
  let n3 = n0;
  // The sign bit of the AND is set only once all four are leaves (negative).
  while ((n0 & n1 & n2 & n3) >= 0) {
    if (n0 >= 0) {
      const x = data[b0 + feature[n0]!]!;
      const k = kind[n0]!;
      n0 = k < NODE_NUMERICAL_GENERAL ? children[2 * n0 + (+(x > threshold[n0]!) | (+(x !== x) & (1 - k)))]! : step(forest, n0, x);
    }
    if (n1 >= 0) {
      const x = data[b1 + feature[n1]!]!;
      const k = kind[n1]!;
      n1 = k < NODE_NUMERICAL_GENERAL ? children[2 * n1 + (+(x > threshold[n1]!) | (+(x !== x) & (1 - k)))]! : step(forest, n1, x);
    }
    if (n2 >= 0) {
      const x = data[b2 + feature[n2]!]!;
      const k = kind[n2]!;
      n2 = k < NODE_NUMERICAL_GENERAL ? children[2 * n2 + (+(x > threshold[n2]!) | (+(x !== x) & (1 - k)))]! : step(forest, n2, x);
    }
    if (n3 >= 0) {
      const x = data[b3 + feature[n3]!]!;
      const k = kind[n3]!;
      n3 = k < NODE_NUMERICAL_GENERAL ? children[2 * n3 + (+(x > threshold[n3]!) | (+(x !== x) & (1 - k)))]! : step(forest, n3, x);
    }
  }
  leaves[0] = ~n0;
  leaves[1] = ~n1;
  leaves[2] = ~n2;
  leaves[3] = ~n3;
}

/** Writes the raw scores of the window's trees into `out` (row-major, `perIteration` per row). */
export function computeRaw(
  forest: FlatForest,
  data: Float64Array,
  numRows: number,
  stride: number,
  window: TreeWindow,
  out: Float64Array,
): void {
  const { firstTree, endTree, perIteration } = window;
  const leafValue = forest.leafValue;
  out.fill(0, 0, numRows * perIteration);
  const leaves = new Int32Array(4);
  const fullRows = numRows - (numRows % 4);
  // Blocks of rows go through one tree at a time, so the tree's nodes stay in L1 cache.
  for (let blockStart = 0; blockStart < fullRows; blockStart += ROWS_PER_BLOCK) {
    const blockEnd = Math.min(blockStart + ROWS_PER_BLOCK, fullRows);
    for (let t = firstTree; t < endTree; t++) {
      const k = t % perIteration;
      for (let r = blockStart; r < blockEnd; r += 4) {
        const b0 = r * stride;
        leavesOfFour(forest, t, data, b0, b0 + stride, b0 + 2 * stride, b0 + 3 * stride, leaves);
        const o = r * perIteration + k;
        out[o] += leafValue[leaves[0]!]!;
        out[o + perIteration] += leafValue[leaves[1]!]!;
        out[o + 2 * perIteration] += leafValue[leaves[2]!]!;
        out[o + 3 * perIteration] += leafValue[leaves[3]!]!;
      }
    }
  }
  let r = fullRows;
  for (; r < numRows; r++) {
    const base = r * stride;
    const outBase = r * perIteration;
    for (let t = firstTree; t < endTree; t++) {
      out[outBase + (t % perIteration)] += leafValue[leafIn(forest, t, data, base)]!;
    }
  }
}

/** Leaf index within its tree, per row and tree of the window (row-major). */
export function fillLeafIndices(
  forest: FlatForest,
  data: Float64Array,
  numRows: number,
  stride: number,
  window: TreeWindow,
  out: Int32Array | Float64Array,
): void {
  const { firstTree, endTree } = window;
  const width = endTree - firstTree;
  for (let r = 0; r < numRows; r++) {
    for (let t = firstTree; t < endTree; t++) {
      out[r * width + t - firstTree] = leafIn(forest, t, data, r * stride) - forest.treeLeafOffset[t]!;
    }
  }
}
