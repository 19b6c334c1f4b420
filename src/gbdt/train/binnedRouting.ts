/** Routing binned rows through a learned tree: for out-of-bag training rows and validation sets. */
import type { BinnedDataset } from "../dataset/dataset.js";
import type { LearnedTree } from "./learnedTree.js";

export function leafOfBinnedRow(tree: LearnedTree, dataset: BinnedDataset, row: number): number {
  if (tree.numLeaves <= 1) return 0;
  let node = 0;
  while (node >= 0) {
    const bin = dataset.bins[tree.splitFeature[node]!]![row]!;
    node = tree.binGoesLeft[node]![bin] === 1 ? tree.leftChild[node]! : tree.rightChild[node]!;
  }
  return ~node;
}

/** Add `leafValues` of the tree's leaves to `scores[offset + row]` for every row of `dataset`. */
export function addTreeToScores(
  tree: LearnedTree,
  leafValues: ArrayLike<number>,
  dataset: BinnedDataset,
  scores: Float64Array,
  offset: number,
  rows?: Int32Array,
): void {
  if (rows) {
    for (let i = 0; i < rows.length; i++) scores[offset + rows[i]!] += leafValues[leafOfBinnedRow(tree, dataset, rows[i]!)]!;
    return;
  }
  for (let row = 0; row < dataset.numRows; row++) scores[offset + row] += leafValues[leafOfBinnedRow(tree, dataset, row)]!;
}
