/** Turning the trainer's state into the contract types `TreeData` and `ModelMeta`. */
import type { ModelMeta, TreeData } from "../tree.js";
import type { BinnedDataset } from "../dataset/dataset.js";
import { featureInfo } from "../dataset/binMapper.js";
import { K_ZERO_THRESHOLD } from "../dataset/numeric.js";
import type { LearnedTree } from "./learnedTree.js";
import type { Objective } from "./objectives.js";
import { parameterLines } from "./parametersSection.js";
import type { TrainParams } from "./params.js";

/** LightGBM's `MaybeRoundToZero`, applied whenever leaf values are scaled or shifted. */
function roundTinyToZero(v: number): number {
  return Math.abs(v) <= K_ZERO_THRESHOLD ? 0 : v;
}

/** `Tree::Shrinkage`: scale leaf and internal values by the learning rate. */
export function shrinkTree(tree: LearnedTree, rate: number): void {
  for (let i = 0; i < tree.numLeaves; i++) tree.leafValue[i] = roundTinyToZero(tree.leafValue[i]! * rate);
  for (let i = 0; i < tree.numLeaves - 1; i++) tree.internalValue[i] = roundTinyToZero(tree.internalValue[i]! * rate);
  tree.shrinkage *= rate;
}

/** `Tree::Shrinkage` on a finished tree (DART rescales trees after they join the model). */
export function shrinkTreeData(tree: TreeData, rate: number): void {
  for (let i = 0; i < tree.numLeaves; i++) tree.leafValue[i] = roundTinyToZero(tree.leafValue[i]! * rate);
  for (let i = 0; i < tree.numLeaves - 1; i++) tree.internalValue[i] = roundTinyToZero(tree.internalValue[i]! * rate);
  tree.shrinkage *= rate;
}

/** `Tree::AddBias`: fold the initial score into the first iteration's tree. */
export function addBias(tree: LearnedTree, bias: number): void {
  for (let i = 0; i < tree.numLeaves; i++) tree.leafValue[i] = roundTinyToZero(tree.leafValue[i]! + bias);
  for (let i = 0; i < tree.numLeaves - 1; i++) tree.internalValue[i] = roundTinyToZero(tree.internalValue[i]! + bias);
  tree.shrinkage = 1;
}

export function toTreeData(tree: LearnedTree): TreeData {
  const numCat = tree.catBoundaries.length - 1;
  return {
    numLeaves: tree.numLeaves,
    numCat,
    splitFeature: Int32Array.from(tree.splitFeature),
    splitGain: Float64Array.from(tree.splitGain),
    threshold: Float64Array.from(tree.threshold),
    decisionType: Uint8Array.from(tree.decisionType),
    leftChild: Int32Array.from(tree.leftChild),
    rightChild: Int32Array.from(tree.rightChild),
    leafValue: Float64Array.from(tree.leafValue),
    leafWeight: Float64Array.from(tree.leafWeight),
    leafCount: Int32Array.from(tree.leafCount),
    internalValue: Float64Array.from(tree.internalValue),
    internalWeight: Float64Array.from(tree.internalWeight),
    internalCount: Int32Array.from(tree.internalCount),
    catBoundaries: numCat > 0 ? Int32Array.from(tree.catBoundaries) : new Int32Array(0),
    catThreshold: Uint32Array.from(tree.catThreshold),
    isLinear: false,
    shrinkage: tree.shrinkage,
  };
}

export function buildModelMeta(
  dataset: BinnedDataset,
  objective: Objective,
  params: TrainParams,
  categoricalIndices: readonly number[],
): ModelMeta {
  const multi = objective.name === "multiclass" || objective.name === "multiclassova";
  return {
    version: "v4",
    numClass: multi ? params.numClass : 1,
    numTreePerIteration: objective.numModelPerIteration,
    labelIndex: 0,
    maxFeatureIdx: dataset.numFeatures - 1,
    objective: objective.modelString,
    averageOutput: params.boosting === "rf",
    featureNames: dataset.featureNames.map((n) => n.replace(/ /g, "_")),
    featureInfos: dataset.mappers.map(featureInfo),
    ...(params.monotoneConstraints.length > 0 ? { monotoneConstraints: [...params.monotoneConstraints] } : {}),
    parameters: parameterLines(params, categoricalIndices),
    pandasCategorical: null,
  };
}
