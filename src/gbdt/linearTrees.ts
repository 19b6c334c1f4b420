/**
 * Raw scores of models with linear trees (LightGBM's `linear_tree`): a row still reaches its leaf
 * by the splits, then the leaf's linear model of the raw feature values gives the tree's output.
 * As LightGBM's predictor, values within 1e-35 of zero count as zero, and a missing (NaN) value
 * of a leaf feature falls back to the leaf's constant value.
 */
import { K_ZERO_THRESHOLD } from "./dataset/numeric.js";
import type { FlatForest } from "./flatForest.js";
import { leafIn, type TreeWindow } from "./predictKernel.js";
import type { TreeData } from "./tree.js";

/** The output of leaf `leaf` of `tree` for the row at `data[offset..]`. */
export function linearLeafOutput(tree: TreeData, leaf: number, data: Float64Array, offset: number): number {
  const linear = tree.linear;
  if (!tree.isLinear || linear === undefined) return tree.leafValue[leaf]!;
  const features = linear.leafFeatures[leaf]!;
  const coeff = linear.leafCoeff[leaf]!;
  let output = linear.leafConst[leaf]!;
  for (let i = 0; i < features.length; i++) {
    const value = data[offset + features[i]!]!;
    if (Number.isNaN(value)) return tree.leafValue[leaf]!;
    output += coeff[i]! * (Math.abs(value) > K_ZERO_THRESHOLD ? value : 0);
  }
  return output;
}

/** Adds every tree of the window to `out` (`perIteration` raw scores per row), in model order. */
export function computeRawLinear(
  forest: FlatForest,
  trees: readonly TreeData[],
  data: Float64Array,
  numRows: number,
  stride: number,
  window: TreeWindow,
  out: Float64Array,
): void {
  const { firstTree, endTree, perIteration } = window;
  for (let r = 0; r < numRows; r++) {
    const offset = r * stride;
    for (let t = firstTree; t < endTree; t++) {
      const leaf = leafIn(forest, t, data, offset) - forest.treeLeafOffset[t]!;
      out[r * perIteration + (t % perIteration)] += linearLeafOutput(trees[t]!, leaf, data, offset);
    }
  }
}
