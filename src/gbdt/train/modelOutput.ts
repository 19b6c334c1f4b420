/** Turning the trainer's state into the contract types `TreeData` and `ModelMeta`. */
import type { ModelMeta, TreeData } from "../tree.js";
import type { BinnedDataset } from "../dataset/dataset.js";
import { featureInfo } from "../dataset/binMapper.js";
import { K_ZERO_THRESHOLD } from "../dataset/numeric.js";
import type { LearnedTree } from "./learnedTree.js";
import type { Objective } from "./objectives.js";
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

/** C++ stream formatting of a double parameter (`%g`). */
function formatParam(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

/**
 * The `parameters:` section lines: the parameters this trainer honours, in LightGBM's order
 * (config_auto.cpp `SaveMembersToString`), so a reader sees the values the model was trained with.
 */
export function parameterLines(p: TrainParams, categoricalIndices: readonly number[]): string[] {
  const entries: [string, string | number | boolean][] = [
    ["boosting", "gbdt"],
    ["objective", p.objective],
    ["metric", p.metric.join(",")],
    ["tree_learner", "serial"],
    ["device_type", "cpu"],
    ["num_iterations", p.numIterations],
    ["learning_rate", p.learningRate],
    ["num_leaves", p.numLeaves],
    ["num_threads", p.numThreads],
    ["seed", p.seed ?? 0],
    ["deterministic", p.deterministic],
    ["max_depth", p.maxDepth],
    ["min_data_in_leaf", p.minDataInLeaf],
    ["min_sum_hessian_in_leaf", p.minSumHessianInLeaf],
    ["bagging_fraction", p.baggingFraction],
    ["bagging_freq", p.baggingFreq],
    ["bagging_seed", p.baggingSeed],
    ["feature_fraction", p.featureFraction],
    ["feature_fraction_seed", p.featureFractionSeed],
    ["early_stopping_round", p.earlyStoppingRound],
    ["early_stopping_min_delta", p.earlyStoppingMinDelta],
    ["first_metric_only", p.firstMetricOnly],
    ["max_delta_step", p.maxDeltaStep],
    ["lambda_l1", p.lambdaL1],
    ["lambda_l2", p.lambdaL2],
    ["min_gain_to_split", p.minGainToSplit],
    ["min_data_per_group", p.minDataPerGroup],
    ["max_cat_threshold", p.maxCatThreshold],
    ["cat_l2", p.catL2],
    ["cat_smooth", p.catSmooth],
    ["max_cat_to_onehot", p.maxCatToOnehot],
    ["verbosity", p.verbosity],
    ["linear_tree", false],
    ["max_bin", p.maxBin],
    ["min_data_in_bin", p.minDataInBin],
    ["bin_construct_sample_cnt", p.binConstructSampleCount],
    ["data_random_seed", p.dataRandomSeed],
    ["use_missing", p.useMissing],
    ["zero_as_missing", p.zeroAsMissing],
    ["feature_pre_filter", p.featurePreFilter],
    ["categorical_feature", categoricalIndices.join(",")],
    ["num_class", p.numClass],
    ["is_unbalance", p.isUnbalance],
    ["scale_pos_weight", p.scalePosWeight],
    ["sigmoid", p.sigmoid],
    ["boost_from_average", p.boostFromAverage],
    ["alpha", p.alpha],
    ["poisson_max_delta_step", p.poissonMaxDeltaStep],
  ];
  return entries.map(([k, v]) => `[${k}: ${typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "number" ? formatParam(v) : v}]`);
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
    averageOutput: false,
    featureNames: dataset.featureNames.map((n) => n.replace(/ /g, "_")),
    featureInfos: dataset.mappers.map(featureInfo),
    parameters: parameterLines(params, categoricalIndices),
    pandasCategorical: null,
  };
}
