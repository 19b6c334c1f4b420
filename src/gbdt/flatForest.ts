/**
 * All trees of a model packed into a handful of typed arrays, the form prediction walks.
 *
 * Nodes and leaves get model-wide indices; a child `c >= 0` is a node, `c < 0` is the leaf `~c`.
 * Each node also gets a `kind` that folds LightGBM's decision rules (missing type, default
 * direction, and the C API zeroing of |x| <= 1e-35) into the cheapest test that gives the same
 * answer, so the common numerical node is a single comparison.
 */
import {
  DECISION_CATEGORICAL_MASK,
  DECISION_DEFAULT_LEFT_MASK,
  MISSING_TYPE_NAN,
  MISSING_TYPE_ZERO,
  missingTypeOf,
  type TreeData,
} from "./tree.js";

/** LightGBM's kZeroThreshold: the float 1e-35f widened to double. */
export const ZERO_THRESHOLD = 1.0000000180025095e-35;

/** Numerical; NaN goes right, everything else `x <= threshold`. */
export const NODE_NUMERICAL_NAN_RIGHT = 0;
/** Numerical; NaN goes left, everything else `x <= threshold`. */
export const NODE_NUMERICAL_NAN_LEFT = 1;
/** Numerical needing the full rule: missing type Zero, or a threshold inside [-1e-35, 1e-35). */
export const NODE_NUMERICAL_GENERAL = 2;
export const NODE_CATEGORICAL = 3;

export interface FlatForest {
  numTrees: number;
  /** Per tree: its root node, or `~leaf` for a 1-leaf tree. */
  treeRoot: Int32Array;
  /** Per tree: model-wide index of its leaf 0 (so a leaf's index in its tree is `leaf - offset`). */
  treeLeafOffset: Int32Array;
  /** Per tree: model-wide index of its node 0. */
  treeNodeOffset: Int32Array;
  nodeFeature: Int32Array;
  nodeThreshold: Float64Array;
  nodeKind: Uint8Array;
  nodeDecisionType: Uint8Array;
  nodeLeft: Int32Array;
  nodeRight: Int32Array;
  /** `[left, right]` per node, so a numerical step is `children[2 * node + goesRight]`. */
  nodeChildren: Int32Array;
  /** Categorical nodes: first word of their bitset in `catWords`, and its number of words. */
  nodeCatStart: Int32Array;
  nodeCatWords: Int32Array;
  catWords: Uint32Array;
  leafValue: Float64Array;
  /** Training rows per node and per leaf (TreeSHAP's cover). */
  nodeCount: Float64Array;
  leafCount: Float64Array;
  /** Per tree: depth of its deepest leaf (0 for a 1-leaf tree). */
  treeDepth: Int32Array;
}

function kindOf(decisionType: number, threshold: number): number {
  if (decisionType & DECISION_CATEGORICAL_MASK) return NODE_CATEGORICAL;
  const missing = missingTypeOf(decisionType);
  if (missing === MISSING_TYPE_ZERO) return NODE_NUMERICAL_GENERAL;
  // Inputs with |x| <= 1e-35 count as 0. Outside [-1e-35, 1e-35) that cannot change `x <= t`.
  if (!(threshold >= ZERO_THRESHOLD || threshold < -ZERO_THRESHOLD)) return NODE_NUMERICAL_GENERAL;
  const nanGoesLeft =
    missing === MISSING_TYPE_NAN ? (decisionType & DECISION_DEFAULT_LEFT_MASK) !== 0 : 0 <= threshold;
  return nanGoesLeft ? NODE_NUMERICAL_NAN_LEFT : NODE_NUMERICAL_NAN_RIGHT;
}

function depthOf(tree: TreeData): number {
  if (tree.numLeaves <= 1) return 0;
  let deepest = 0;
  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const node = stack.pop()!;
    for (const child of [tree.leftChild[node]!, tree.rightChild[node]!]) {
      if (child < 0) deepest = Math.max(deepest, depth + 1);
      else stack.push(child, depth + 1);
    }
  }
  return deepest;
}

export function flattenForest(trees: readonly TreeData[]): FlatForest {
  let totalNodes = 0;
  let totalLeaves = 0;
  let totalWords = 0;
  for (const tree of trees) {
    totalNodes += tree.numLeaves - 1;
    totalLeaves += tree.numLeaves;
    totalWords += tree.catThreshold.length;
  }
  const forest: FlatForest = {
    numTrees: trees.length,
    treeRoot: new Int32Array(trees.length),
    treeLeafOffset: new Int32Array(trees.length),
    treeNodeOffset: new Int32Array(trees.length),
    nodeFeature: new Int32Array(totalNodes),
    nodeThreshold: new Float64Array(totalNodes),
    nodeKind: new Uint8Array(totalNodes),
    nodeDecisionType: new Uint8Array(totalNodes),
    nodeLeft: new Int32Array(totalNodes),
    nodeRight: new Int32Array(totalNodes),
    nodeChildren: new Int32Array(2 * totalNodes),
    nodeCatStart: new Int32Array(totalNodes),
    nodeCatWords: new Int32Array(totalNodes),
    catWords: new Uint32Array(totalWords),
    leafValue: new Float64Array(totalLeaves),
    nodeCount: new Float64Array(totalNodes),
    leafCount: new Float64Array(totalLeaves),
    treeDepth: new Int32Array(trees.length),
  };
  let nodeBase = 0;
  let leafBase = 0;
  let wordBase = 0;
  trees.forEach((tree, t) => {
    forest.treeNodeOffset[t] = nodeBase;
    forest.treeLeafOffset[t] = leafBase;
    forest.treeRoot[t] = tree.numLeaves > 1 ? nodeBase : ~leafBase;
    forest.treeDepth[t] = depthOf(tree);
    const relocate = (child: number) => (child >= 0 ? child + nodeBase : ~(~child + leafBase));
    for (let node = 0; node < tree.numLeaves - 1; node++) {
      const at = nodeBase + node;
      const decisionType = tree.decisionType[node]!;
      const threshold = tree.threshold[node]!;
      forest.nodeFeature[at] = tree.splitFeature[node]!;
      forest.nodeThreshold[at] = threshold;
      forest.nodeDecisionType[at] = decisionType;
      forest.nodeKind[at] = kindOf(decisionType, threshold);
      forest.nodeLeft[at] = relocate(tree.leftChild[node]!);
      forest.nodeRight[at] = relocate(tree.rightChild[node]!);
      forest.nodeChildren[2 * at] = forest.nodeLeft[at]!;
      forest.nodeChildren[2 * at + 1] = forest.nodeRight[at]!;
      forest.nodeCount[at] = tree.internalCount[node] ?? 0;
      if (decisionType & DECISION_CATEGORICAL_MASK) {
        const j = threshold;
        forest.nodeCatStart[at] = wordBase + tree.catBoundaries[j]!;
        forest.nodeCatWords[at] = tree.catBoundaries[j + 1]! - tree.catBoundaries[j]!;
      }
    }
    for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
      forest.leafValue[leafBase + leaf] = tree.leafValue[leaf]!;
      forest.leafCount[leafBase + leaf] = tree.leafCount[leaf] ?? 0;
    }
    forest.catWords.set(tree.catThreshold, wordBase);
    nodeBase += tree.numLeaves - 1;
    leafBase += tree.numLeaves;
    wordBase += tree.catThreshold.length;
  });
  return forest;
}

/** LightGBM's decision at a node needing the full rule (numerical, general kind). */
export function generalNumericalChild(forest: FlatForest, node: number, value: number): number {
  const decisionType = forest.nodeDecisionType[node]!;
  const missing = missingTypeOf(decisionType);
  let x = value;
  if (x !== x) {
    if (missing !== MISSING_TYPE_NAN) x = 0;
  } else if (x >= -ZERO_THRESHOLD && x <= ZERO_THRESHOLD) {
    x = 0;
  }
  if ((missing === MISSING_TYPE_ZERO && x === 0) || (missing === MISSING_TYPE_NAN && x !== x)) {
    return decisionType & DECISION_DEFAULT_LEFT_MASK ? forest.nodeLeft[node]! : forest.nodeRight[node]!;
  }
  return x <= forest.nodeThreshold[node]! ? forest.nodeLeft[node]! : forest.nodeRight[node]!;
}

/**
 * LightGBM's categorical decision: the value truncated toward zero is a category; NaN, negative,
 * too large (C++ conversion would overflow) and categories outside the bitset go right.
 */
export function categoricalChild(forest: FlatForest, node: number, value: number): number {
  if (value > -1 && value < 2147483648) {
    const category = Math.trunc(value);
    const word = category >>> 5;
    if (word < forest.nodeCatWords[node]!) {
      const bits = forest.catWords[forest.nodeCatStart[node]! + word]!;
      if ((bits >>> (category & 31)) & 1) return forest.nodeLeft[node]!;
    }
  }
  return forest.nodeRight[node]!;
}

/** The child a row goes to at `node`, for any node kind. */
export function childFor(forest: FlatForest, node: number, value: number): number {
  switch (forest.nodeKind[node]) {
    case NODE_NUMERICAL_NAN_RIGHT:
      return value <= forest.nodeThreshold[node]! ? forest.nodeLeft[node]! : forest.nodeRight[node]!;
    case NODE_NUMERICAL_NAN_LEFT:
      return value > forest.nodeThreshold[node]! ? forest.nodeRight[node]! : forest.nodeLeft[node]!;
    case NODE_NUMERICAL_GENERAL:
      return generalNumericalChild(forest, node, value);
    default:
      return categoricalChild(forest, node, value);
  }
}

/** The largest double below `value` (for a finite negative `value`, one step further from zero). */
function nextDownNegative(value: number): number {
  const bits = new BigInt64Array(new Float64Array([value]).buffer);
  bits[0] = bits[0]! + 1n;
  return new Float64Array(bits.buffer)[0]!;
}

/**
 * A numerical node as a single comparison: `x > threshold`, or NaN when `nanRight`, goes right.
 * Thresholds within 1e-35 of zero (kind GENERAL) fold the C API's zeroing of tiny inputs into the
 * threshold: such inputs all go where 0 goes. Null for categorical nodes and missing type Zero,
 * whose zero and NaN inputs take the default direction whatever the threshold says.
 */
export function singleComparisonRule(forest: FlatForest, node: number): { threshold: number; nanRight: boolean } | null {
  const kind = forest.nodeKind[node]!;
  const threshold = forest.nodeThreshold[node]!;
  if (kind === NODE_NUMERICAL_NAN_RIGHT || kind === NODE_NUMERICAL_NAN_LEFT) {
    return { threshold, nanRight: kind === NODE_NUMERICAL_NAN_RIGHT };
  }
  if (kind !== NODE_NUMERICAL_GENERAL) return null;
  const decisionType = forest.nodeDecisionType[node]!;
  const missing = missingTypeOf(decisionType);
  if (missing === MISSING_TYPE_ZERO) return null;
  // Here -1e-35 <= threshold < 1e-35, and inputs within [-1e-35, 1e-35] are read as 0.
  const zeroGoesRight = !(0 <= threshold);
  return {
    threshold: zeroGoesRight ? nextDownNegative(-ZERO_THRESHOLD) : ZERO_THRESHOLD,
    nanRight: missing === MISSING_TYPE_NAN ? (decisionType & DECISION_DEFAULT_LEFT_MASK) === 0 : zeroGoesRight,
  };
}
