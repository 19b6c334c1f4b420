/**
 * Exact TreeSHAP (Lundberg, Erion & Lee, "Consistent Individualized Feature Attribution for
 * Tree Ensembles", Algorithm 2), as LightGBM's `pred_contrib` computes it: the cover of a node is
 * its training row count, the row follows the model's own decision rules, and the bias column is
 * the count-weighted mean leaf value of each tree.
 *
 * The "unique path" of the algorithm lives in preallocated typed arrays; each recursion level
 * works on its own copy, stacked one after another, so no objects are made per node.
 */
import { childFor, type FlatForest } from "./flatForest.js";

class UniquePaths {
  readonly feature: Int32Array;
  readonly zeroFraction: Float64Array;
  readonly oneFraction: Float64Array;
  readonly weight: Float64Array;

  constructor(maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zeroFraction = new Float64Array(size);
    this.oneFraction = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Paths are short (tree depth), where a plain loop beats four `copyWithin` calls. */
  copy(from: number, to: number, length: number): void {
    const { feature, zeroFraction, oneFraction, weight } = this;
    for (let i = 0; i < length; i++) {
      feature[to + i] = feature[from + i]!;
      zeroFraction[to + i] = zeroFraction[from + i]!;
      oneFraction[to + i] = oneFraction[from + i]!;
      weight[to + i] = weight[from + i]!;
    }
  }

  /** Appends an element at `depth` and updates the permutation weights of the subsets. */
  extend(base: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
    const w = this.weight;
    this.feature[base + depth] = feature;
    this.zeroFraction[base + depth] = zeroFraction;
    this.oneFraction[base + depth] = oneFraction;
    w[base + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      w[base + i + 1] = w[base + i + 1]! + (oneFraction * w[base + i]! * (i + 1)) / (depth + 1);
      w[base + i] = (zeroFraction * w[base + i]! * (depth - i)) / (depth + 1);
    }
  }

  /** Removes element `index`, undoing its `extend`. */
  unwind(base: number, depth: number, index: number): void {
    const w = this.weight;
    const one = this.oneFraction[base + index]!;
    const zero = this.zeroFraction[base + index]!;
    let nextOnePortion = w[base + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const previous = w[base + i]!;
        w[base + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
        nextOnePortion = previous - (w[base + i]! * zero * (depth - i)) / (depth + 1);
      } else {
        w[base + i] = (w[base + i]! * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      this.feature[base + i] = this.feature[base + i + 1]!;
      this.zeroFraction[base + i] = this.zeroFraction[base + i + 1]!;
      this.oneFraction[base + i] = this.oneFraction[base + i + 1]!;
    }
  }

  /** Total permutation weight the path would have without element `index`. */
  unwoundSum(base: number, depth: number, index: number): number {
    const w = this.weight;
    const one = this.oneFraction[base + index]!;
    const zero = this.zeroFraction[base + index]!;
    let nextOnePortion = w[base + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const part = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
        total += part;
        nextOnePortion = w[base + i]! - part * zero * ((depth - i) / (depth + 1));
      } else {
        total += w[base + i]! / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }
}

/** Count-weighted mean leaf value of tree `t`: its contribution to the bias column. */
export function treeExpectedValue(forest: FlatForest, t: number): number {
  const root = forest.treeRoot[t]!;
  if (root < 0) return forest.leafValue[~root]!;
  const first = forest.treeLeafOffset[t]!;
  const end = t + 1 < forest.numTrees ? forest.treeLeafOffset[t + 1]! : forest.leafValue.length;
  const total = forest.nodeCount[root]!;
  let expected = 0;
  for (let leaf = first; leaf < end; leaf++) expected += (forest.leafCount[leaf]! / total) * forest.leafValue[leaf]!;
  return expected;
}

export class TreeShap {
  private readonly paths: UniquePaths;
  private row: Float64Array = new Float64Array(0);
  private rowBase = 0;
  private phi: Float64Array = new Float64Array(0);
  private phiBase = 0;

  constructor(private readonly forest: FlatForest) {
    let maxDepth = 0;
    for (const depth of forest.treeDepth) maxDepth = Math.max(maxDepth, depth);
    this.paths = new UniquePaths(maxDepth);
  }

  /**
   * Adds tree `t`'s contributions for the row at `row[rowBase..]` to `phi[phiBase..]`: one slot
   * per feature, then the bias slot at `phiBase + numFeatures`.
   */
  addTree(t: number, row: Float64Array, rowBase: number, phi: Float64Array, phiBase: number, numFeatures: number): void {
    phi[phiBase + numFeatures] = phi[phiBase + numFeatures]! + treeExpectedValue(this.forest, t);
    const root = this.forest.treeRoot[t]!;
    if (root < 0) return;
    this.row = row;
    this.rowBase = rowBase;
    this.phi = phi;
    this.phiBase = phiBase;
    this.recurse(root, 0, 0, 1, 1, -1);
  }

  private cover(child: number): number {
    return child >= 0 ? this.forest.nodeCount[child]! : this.forest.leafCount[~child]!;
  }

  private recurse(
    node: number,
    parentBase: number,
    depthIn: number,
    parentZeroFraction: number,
    parentOneFraction: number,
    parentFeature: number,
  ): void {
    const paths = this.paths;
    const base = parentBase + depthIn;
    if (depthIn > 0) paths.copy(parentBase, base, depthIn);
    paths.extend(base, depthIn, parentZeroFraction, parentOneFraction, parentFeature);
    let depth = depthIn;

    if (node < 0) {
      const value = this.forest.leafValue[~node]!;
      for (let i = 1; i <= depth; i++) {
        const w = paths.unwoundSum(base, depth, i);
        const slot = this.phiBase + paths.feature[base + i]!;
        this.phi[slot] = this.phi[slot]! + w * (paths.oneFraction[base + i]! - paths.zeroFraction[base + i]!) * value;
      }
      return;
    }

    const forest = this.forest;
    const feature = forest.nodeFeature[node]!;
    const hot = childFor(forest, node, this.row[this.rowBase + feature]!);
    const cold = hot === forest.nodeLeft[node] ? forest.nodeRight[node]! : forest.nodeLeft[node]!;
    const cover = this.cover(node);
    const hotZeroFraction = this.cover(hot) / cover;
    const coldZeroFraction = this.cover(cold) / cover;
    let incomingZeroFraction = 1;
    let incomingOneFraction = 1;

    // A feature already on the path is taken out and re-added with this node's fractions.
    let index = 0;
    while (index <= depth && paths.feature[base + index] !== feature) index++;
    if (index <= depth) {
      incomingZeroFraction = paths.zeroFraction[base + index]!;
      incomingOneFraction = paths.oneFraction[base + index]!;
      paths.unwind(base, depth, index);
      depth -= 1;
    }
    this.recurse(hot, base, depth + 1, hotZeroFraction * incomingZeroFraction, incomingOneFraction, feature);
    this.recurse(cold, base, depth + 1, coldZeroFraction * incomingZeroFraction, 0, feature);
  }
}
