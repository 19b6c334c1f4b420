/**
 * A tree as the learner grows it: LightGBM's node and leaf arrays plus, per node, which bins go
 * left, so the trainer can route binned rows (out-of-bag and validation) without raw values.
 */
export interface LearnedTree {
  numLeaves: number;
  splitFeature: number[];
  splitGain: number[];
  /** Numerical split: the bin's upper bound; categorical: index into catBoundaries. */
  threshold: number[];
  decisionType: number[];
  /** Per node and bin of the split feature: 1 if rows in that bin go left. */
  binGoesLeft: Uint8Array[];
  leftChild: number[];
  rightChild: number[];
  leafValue: number[];
  leafWeight: number[];
  leafCount: number[];
  leafParent: number[];
  leafDepth: number[];
  internalValue: number[];
  internalWeight: number[];
  internalCount: number[];
  catBoundaries: number[];
  catThreshold: number[];
  shrinkage: number;
}

export function newLearnedTree(rootOutput: number, rootCount: number): LearnedTree {
  return {
    numLeaves: 1,
    splitFeature: [],
    splitGain: [],
    threshold: [],
    decisionType: [],
    binGoesLeft: [],
    leftChild: [],
    rightChild: [],
    leafValue: [rootOutput],
    leafWeight: [0],
    leafCount: [rootCount],
    leafParent: [-1],
    leafDepth: [0],
    internalValue: [],
    internalWeight: [],
    internalCount: [],
    catBoundaries: [0],
    catThreshold: [],
    shrinkage: 1,
  };
}
