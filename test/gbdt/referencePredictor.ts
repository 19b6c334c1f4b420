/**
 * A deliberately plain predictor over `TreeData`, written straight from the rules in
 * ../shared/reference/lightgbm.md §1.5 (the same rules as check_golden.py), to check the fast
 * flat-array predictor and TreeSHAP against.
 */
import type { TreeData } from "../../src/gbdt/index.js";

const K_ZERO = 1.0000000180025095e-35;

/** The C API's densification: |x| <= 1e-35 becomes exactly 0, NaN stays. */
export function densify(row: ArrayLike<number>): number[] {
  return Array.from(row, (v) => (!Number.isNaN(v) && Math.abs(v) <= K_ZERO ? 0 : v));
}

export function referenceChild(tree: TreeData, node: number, value: number): number {
  const dt = tree.decisionType[node]!;
  const left = tree.leftChild[node]!;
  const right = tree.rightChild[node]!;
  let x = value;
  if (dt & 1) {
    if (Number.isNaN(x)) return right;
    if (x >= 2 ** 31 || x <= -(2 ** 31) - 1) return right; // C++ int conversion overflows to INT_MIN
    const c = Math.trunc(x);
    if (c < 0) return right;
    const j = tree.threshold[node]!;
    const lo = tree.catBoundaries[j]!;
    const n = tree.catBoundaries[j + 1]! - lo;
    if (Math.floor(c / 32) >= n) return right;
    return (tree.catThreshold[lo + Math.floor(c / 32)]! >>> c % 32) & 1 ? left : right;
  }
  const missing = (dt >> 2) & 3;
  const defaultLeft = (dt & 2) !== 0;
  if (Number.isNaN(x) && missing !== 2) x = 0;
  if ((missing === 1 && -K_ZERO <= x && x <= K_ZERO) || (missing === 2 && Number.isNaN(x))) {
    return defaultLeft ? left : right;
  }
  return x <= tree.threshold[node]! ? left : right;
}

/** Leaf index of a (densified) row in one tree. */
export function referenceLeaf(tree: TreeData, row: readonly number[]): number {
  if (tree.numLeaves <= 1) return 0;
  let node = 0;
  while (node >= 0) node = referenceChild(tree, node, row[tree.splitFeature[node]!]!);
  return ~node;
}

/** Raw scores of one row: per class, leaf values summed in tree order. */
export function referenceRaw(trees: readonly TreeData[], perIteration: number, row: ArrayLike<number>): number[] {
  const dense = densify(row);
  const raw = new Array<number>(perIteration).fill(0);
  trees.forEach((tree, t) => (raw[t % perIteration] += tree.leafValue[referenceLeaf(tree, dense)]!));
  return raw;
}

/**
 * Path-dependent conditional expectation of one tree given the features in `known`: follow the
 * row at nodes that split on a known feature, otherwise average both children by training count.
 */
export function conditionalExpectation(tree: TreeData, row: readonly number[], known: ReadonlySet<number>): number {
  if (tree.numLeaves <= 1) return tree.leafValue[0]!;
  const countOf = (child: number) => (child >= 0 ? tree.internalCount[child]! : tree.leafCount[~child]!);
  const visit = (child: number): number => {
    if (child < 0) return tree.leafValue[~child]!;
    const feature = tree.splitFeature[child]!;
    if (known.has(feature)) return visit(referenceChild(tree, child, row[feature]!));
    const left = tree.leftChild[child]!;
    const right = tree.rightChild[child]!;
    return (countOf(left) * visit(left) + countOf(right) * visit(right)) / countOf(child);
  };
  return visit(0);
}

/**
 * Shapley values by enumerating every subset of features: phi_i = sum over S not containing i of
 * |S|! (M-|S|-1)! / M! * (v(S+i) - v(S)), with v the conditional expectation above. Returns
 * `numFeatures` contributions then v(empty set).
 */
export function bruteForceShapley(tree: TreeData, row: ArrayLike<number>, numFeatures: number): number[] {
  const dense = densify(row);
  const factorial = [1];
  for (let i = 1; i <= numFeatures; i++) factorial.push(factorial[i - 1]! * i);
  const value = new Map<number, number>();
  const v = (mask: number): number => {
    let cached = value.get(mask);
    if (cached === undefined) {
      const known = new Set<number>();
      for (let j = 0; j < numFeatures; j++) if (mask & (1 << j)) known.add(j);
      cached = conditionalExpectation(tree, dense, known);
      value.set(mask, cached);
    }
    return cached;
  };
  const phi = new Array<number>(numFeatures + 1).fill(0);
  for (let i = 0; i < numFeatures; i++) {
    for (let mask = 0; mask < 1 << numFeatures; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let j = 0; j < numFeatures; j++) if (mask & (1 << j)) size++;
      const weight = (factorial[size]! * factorial[numFeatures - size - 1]!) / factorial[numFeatures]!;
      phi[i] += weight * (v(mask | (1 << i)) - v(mask));
    }
  }
  phi[numFeatures] = v(0);
  return phi;
}
