/** Adding a new tree's outputs to the running scores, and L1's leaf-output renewal. */
import type { LearnedTree } from "./learnedTree.js";
import { percentile, weightedPercentile } from "./percentile.js";
import type { TreeLearner } from "./treeLearner.js";

export function addConstant(scores: Float64Array, offset: number, count: number, value: number): void {
  for (let i = 0; i < count; i++) scores[offset + i] += value;
}

/** Rows not in the (sorted) bag. */
export function complementRows(bag: Int32Array, n: number): Int32Array {
  const inBag = new Uint8Array(n);
  for (const r of bag) inBag[r] = 1;
  const out = new Int32Array(n - bag.length);
  let j = 0;
  for (let i = 0; i < n; i++) if (!inBag[i]) out[j++] = i;
  return out;
}

/** Training rows in the bag take their leaf's value through the learner's partition. */
export function addLeafValuesByPartition(tree: LearnedTree, learner: TreeLearner, scores: Float64Array, offset: number): void {
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
    const value = tree.leafValue[leaf]!;
    const begin = learner.leafBegin[leaf]!;
    const end = begin + learner.leafCount[leaf]!;
    for (let i = begin; i < end; i++) scores[offset + learner.rows[i]!] += value;
  }
}

/**
 * L1 objective: each leaf's output becomes the median residual (label − score) of its rows,
 * weighted by the rows' weights when the training set has them.
 */
export function renewLeafOutputs(
  tree: LearnedTree,
  learner: TreeLearner,
  labels: Float32Array,
  weights: Float32Array | null,
  scores: Float64Array,
  offset: number,
): void {
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
    const begin = learner.leafBegin[leaf]!;
    const count = learner.leafCount[leaf]!;
    if (count <= 0) continue;
    const residuals = new Float64Array(count);
    const leafWeights = weights === null ? null : new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const row = learner.rows[begin + i]!;
      residuals[i] = labels[row]! - scores[offset + row]!;
      if (leafWeights !== null) leafWeights[i] = weights![row]!;
    }
    tree.leafValue[leaf] = leafWeights === null ? percentile(residuals, 0.5) : weightedPercentile(residuals, leafWeights, 0.5);
  }
}
