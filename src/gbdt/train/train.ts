/**
 * Gradient boosting as LightGBM's `GBDT::TrainOneIter` does it: initial scores from
 * `boost_from_average` folded into the first trees, gradients once per iteration, one tree per
 * class, shrinkage, score updates, evaluation, early stopping and callbacks.
 */
import { availableParallelism } from "node:os";
import { LarderError } from "../../errors.js";
import { Booster } from "../booster.js";
import { type ImportanceType, featureImportance } from "../importance.js";
import type { ModelMeta, TreeData } from "../tree.js";
import { type BinnedDataset, type FeatureColumns, createDataset, createValidationDataset } from "../dataset/dataset.js";
import { K_EPSILON } from "../dataset/numeric.js";
import { addTreeToScores } from "./binnedRouting.js";
import type { LearnedTree } from "./learnedTree.js";
import { createMetric } from "./metrics.js";
import { type EvalResult, checkEarlyStopping, evaluate, newEarlyStopState } from "./evaluation.js";
import { addConstant, addLeafValuesByPartition, complementRows, renewLeafOutputs } from "./scoreUpdates.js";
import { type DartTrees, Dart } from "./dart.js";
import { addBias, buildModelMeta, shrinkTree, shrinkTreeData, toTreeData } from "./modelOutput.js";
import { constantTreeData } from "../tree.js";
import { type Objective, createObjective } from "./objectives.js";
import { type RawParams, type TrainParams, resolveParams } from "./params.js";
import { ColumnSampler, GossSampler, RowBagger } from "./sampling.js";
import { TreeLearner } from "./treeLearner.js";

/** A training or validation set as raw columns (one Float64Array per feature). */
export interface TrainSet {
  columns: FeatureColumns;
  labels: ArrayLike<number>;
  weights?: ArrayLike<number>;
  featureNames?: readonly string[];
}

export interface ValidSet extends Omit<TrainSet, "featureNames"> {
  /** Name used in evaluation results; `valid_<i>` by default, as in LightGBM. */
  name?: string;
}

export type { EvalResult };

export interface IterationInfo {
  /** 0-based iteration just completed. */
  iteration: number;
  evaluations: readonly EvalResult[];
}

/** Called after every iteration; returning "stop" ends training after this iteration. */
export type TrainCallback = (info: IterationInfo) => void | "stop";

export interface TrainOptions {
  validSets?: readonly ValidSet[];
  callbacks?: readonly TrainCallback[];
  /** Also evaluate the metrics on the training set (reported as `training`). */
  evalTrainingSet?: boolean;
}

export interface TrainResult {
  /** The trained model, ready to predict and to write as LightGBM text. */
  booster: Booster;
  meta: ModelMeta;
  trees: TreeData[];
  /** 1-based best iteration when early stopping ran; the trees are cut there. 0 otherwise. */
  bestIteration: number;
  /** Iterations kept in `trees`. */
  numIterations: number;
  /** evaluations[dataName][metric] = value per iteration. */
  evalHistory: Record<string, Record<string, number[]>>;
  params: TrainParams;
  featureImportance(type?: ImportanceType): Float64Array;
}

function resolveCategorical(params: TrainParams, names: readonly string[] | undefined, numFeatures: number): number[] {
  return params.categoricalFeature.map((c) => {
    if (typeof c === "number") return c;
    const index = names ? names.indexOf(c) : -1;
    if (index < 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `categorical_feature "${c}" is not a feature name`, {
        hint: `feature names are: ${(names ?? []).slice(0, 20).join(", ")}${numFeatures > 20 ? ", ..." : ""}`,
      });
    }
    return index;
  });
}

/** The interaction constraint groups as sets of original feature indices (names looked up). */
function resolveInteractionConstraints(params: TrainParams, names: readonly string[], numFeatures: number): Set<number>[] {
  return params.interactionConstraints.map(
    (group) =>
      new Set(
        group.map((entry) => {
          const index = typeof entry === "number" ? entry : names.indexOf(entry);
          if (!(Number.isInteger(index) && index >= 0 && index < numFeatures)) {
            throw new LarderError("INVALID_PARAMETER_VALUE", `interaction_constraints names feature ${JSON.stringify(entry)}, which the training set lacks`, {
              hint: `use indices 0..${numFeatures - 1} or feature names`,
            });
          }
          return index;
        }),
      ),
  );
}

/**
 * Train a LightGBM-compatible model. `rawParams` uses LightGBM's parameter names and aliases;
 * the training set is binned exactly as LightGBM bins it, so with the same data and parameters
 * the model text (through its parameters section) equals what LightGBM 4.7 writes.
 * `num_threads` >= 2 builds histograms on worker threads without changing the result; only a
 * GOSS sample depends on it, as in LightGBM (one block of rows per thread).
 */
export function train(rawParams: RawParams, trainSet: TrainSet, options: TrainOptions = {}): TrainResult {
  const params = resolveParams(rawParams);
  const categorical = resolveCategorical(params, trainSet.featureNames, trainSet.columns.length);
  const dataset = createDataset(
    trainSet.columns,
    trainSet.labels,
    {
      maxBin: params.maxBin,
      maxBinByFeature: params.maxBinByFeature,
      innerFeatureOrder: params.extraTrees,
      minDataInBin: params.minDataInBin,
      minDataInLeaf: params.minDataInLeaf,
      featurePreFilter: params.featurePreFilter,
      useMissing: params.useMissing,
      zeroAsMissing: params.zeroAsMissing,
      binConstructSampleCount: params.binConstructSampleCount,
      dataRandomSeed: params.dataRandomSeed,
      categoricalFeatures: categorical,
      ...(trainSet.featureNames ? { featureNames: trainSet.featureNames } : {}),
    },
    trainSet.weights,
  );
  const validSets = (options.validSets ?? []).map((v, i) => ({
    name: v.name ?? `valid_${i}`,
    data: createValidationDataset(dataset, v.columns, v.labels, v.weights),
  }));
  return boost(params, dataset, categorical, validSets, options);
}

function boost(
  params: TrainParams,
  dataset: BinnedDataset,
  categorical: readonly number[],
  validSets: { name: string; data: BinnedDataset }[],
  options: TrainOptions,
): TrainResult {
  const constraints = params.monotoneConstraints.length;
  if (constraints > 0 && constraints !== dataset.numFeatures) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `monotone_constraints has ${constraints} values for ${dataset.numFeatures} features`, {
      hint: "give one of -1, 0 or 1 per feature column",
    });
  }
  const learner = new TreeLearner(dataset, { ...params, numThreads: histogramThreads(params.numThreads, dataset) });
  try {
    return boostWith(learner, params, dataset, categorical, validSets, options);
  } finally {
    learner.close();
  }
}

/**
 * LightGBM's bagging set-up: plain bagging with bagging_fraction < 1, or balanced bagging when a
 * binary objective has positive rows and pos/neg_bagging_fraction < 1; either needs bagging_freq.
 */
function rowBagger(params: TrainParams, labels: Float32Array): RowBagger | null {
  const wantsBalance = params.objective === "binary" && (params.posBaggingFraction < 1 || params.negBaggingFraction < 1);
  const positive = wantsBalance ? Uint8Array.from(labels, (y) => (y > 0 ? 1 : 0)) : new Uint8Array(0);
  const balanced = wantsBalance && positive.includes(1);
  if (!(params.baggingFraction < 1 || balanced) || params.baggingFreq <= 0) return null;
  const fractions = balanced ? { positive, positiveFraction: params.posBaggingFraction, negativeFraction: params.negBaggingFraction } : null;
  return new RowBagger(labels.length, params.baggingFraction, params.baggingSeed, fractions);
}

/**
 * LightGBM's RF set-up: the initial scores (boost_from_average) are not added to the scores; the
 * gradients are taken once at them and reused by every tree; L1 leaves renew against them.
 */
function randomForestStart(
  params: TrainParams,
  objective: Objective,
  numClassTrees: number,
  n: number,
  gradients: Float32Array,
  hessians: Float32Array,
): { initScores: Float64Array; baseScores: Float64Array } {
  const initScores = new Float64Array(numClassTrees);
  const baseScores = new Float64Array(numClassTrees * n);
  for (let k = 0; k < numClassTrees; k++) {
    const init = params.boostFromAverage ? objective.boostFromScore(k) : 0;
    if (Math.abs(init) > K_EPSILON) initScores[k] = init;
    baseScores.fill(initScores[k]!, k * n, (k + 1) * n);
  }
  objective.gradients(baseScores, gradients, hessians);
  return { initScores, baseScores };
}

/**
 * Worker threads pay off only when a histogram pass is large; below that one thread is faster.
 * `num_threads` <= 0 (LightGBM's "default") means one thread here: results are identical anyway.
 */
const MIN_VALUES_PER_THREAD = 200_000;

function histogramThreads(requested: number, dataset: BinnedDataset): number {
  if (requested <= 1) return 1;
  const values = dataset.numRows * dataset.numFeatures;
  return Math.max(1, Math.min(requested, Math.floor(values / MIN_VALUES_PER_THREAD)));
}

function boostWith(
  learner: TreeLearner,
  params: TrainParams,
  dataset: BinnedDataset,
  categorical: readonly number[],
  validSets: { name: string; data: BinnedDataset }[],
  options: TrainOptions,
): TrainResult {
  const n = dataset.numRows;
  const objective = createObjective(params, dataset.labels, dataset.weights);
  const numClassTrees = objective.numModelPerIteration;
  const metrics = params.metric.map((m) => createMetric(m, objective, params));
  const scores = new Float64Array(numClassTrees * n);
  const validScores = validSets.map((v) => new Float64Array(numClassTrees * v.data.numRows));
  const gradients = new Float32Array(numClassTrees * n);
  const hessians = new Float32Array(numClassTrees * n);
  const bagger = params.dataSampleStrategy === "goss" ? null : rowBagger(params, dataset.labels);
  // LightGBM cuts GOSS's rows into one block per thread: its thread count decides the sample.
  const gossBlocks = params.numThreads > 0 ? params.numThreads : availableParallelism();
  const goss =
    params.dataSampleStrategy === "goss"
      ? new GossSampler(n, params.topRate, params.otherRate, params.learningRate, gossBlocks, params.baggingSeed)
      : null;
  const columnSampler = new ColumnSampler(
    learner.metas.length,
    params.featureFraction,
    params.featureFractionSeed,
    params.featureFractionByNode,
    resolveInteractionConstraints(params, dataset.featureNames, dataset.numFeatures),
    Int32Array.from(learner.metas, (m) => m.feature),
  );
  const trees: TreeData[] = [];
  /** Per tree, its splits over bins (null for a constant tree), for DART's score updates. */
  const learnedOf: (LearnedTree | null)[] = [];
  const dart = params.boosting === "dart" ? new Dart(params, numClassTrees) : null;
  const addTree = (t: number, data: BinnedDataset, target: Float64Array): void => {
    const offset = (t % numClassTrees) * data.numRows;
    const learned = learnedOf[t];
    if (learned) addTreeToScores(learned, trees[t]!.leafValue, data, target, offset);
    else if (trees[t]!.leafValue[0] !== 0) addConstant(target, offset, data.numRows, trees[t]!.leafValue[0]!);
  };
  const dartTrees: DartTrees = {
    shrink: (t, rate) => shrinkTreeData(trees[t]!, rate),
    addToTraining: (t) => addTree(t, dataset, scores),
    addToValidation: (t) => validSets.forEach((v, i) => addTree(t, v.data, validScores[i]!)),
  };
  const evalHistory: Record<string, Record<string, number[]>> = {};
  // As Python's lgb.train, early stopping is off in DART mode.
  const earlyStopping = params.earlyStoppingRound > 0 && validSets.length > 0 && metrics.length > 0 && dart === null;
  const stopState = validSets.map(() => newEarlyStopState(metrics));
  let bestIteration = 0;
  let bagRows: Int32Array | null = null;
  let outOfBagRows: Int32Array | null = null;

  // LightGBM's `iter_`: iterations that added trees. Python's `lgb.train` calls the booster for
  // every round, but a round in which no tree can split adds nothing (after the first) and does
  // not count, so bagging and the initial score follow this counter, not the round.
  let completed = 0;
  // Random forest mode: every tree learns from the gradients at the initial scores, unshrunk,
  // and the scores are the running average of the trees (LightGBM's RF booster).
  const forest = params.boosting === "rf" ? randomForestStart(params, objective, numClassTrees, n, gradients, hessians) : null;
  /** Scores of class k become the average of the trees so far, `before` of them plus `add`. */
  const averageIn = (k: number, before: number, add: (data: BinnedDataset, target: Float64Array, offset: number, isTraining: boolean) => void): void => {
    const targets = [{ data: dataset, target: scores, isTraining: true }, ...validSets.map((v, i) => ({ data: v.data, target: validScores[i]!, isTraining: false }))];
    for (const { data, target, isTraining } of targets) {
      const offset = k * data.numRows;
      for (let i = 0; i < data.numRows; i++) target[offset + i]! *= before;
      add(data, target, offset, isTraining);
      const scale = 1 / (before + 1);
      for (let i = 0; i < data.numRows; i++) target[offset + i]! *= scale;
    }
  };
  for (let iteration = 0; iteration < params.numIterations; iteration++) {
    const initScores = new Float64Array(numClassTrees);
    const first = trees.length === 0;
    if (first && params.boostFromAverage && forest === null) {
      for (let k = 0; k < numClassTrees; k++) {
        const init = objective.boostFromScore(k);
        if (Math.abs(init) > K_EPSILON) {
          initScores[k] = init;
          addConstant(scores, k * n, n, init);
          validScores.forEach((s, v) => addConstant(s, k * validSets[v]!.data.numRows, validSets[v]!.data.numRows, init));
        }
      }
    }
    dart?.drop(completed, dartTrees);
    if (forest === null) objective.gradients(scores, gradients, hessians);
    if (goss !== null) {
      // GOSS samples (and rescales gradients) every iteration once it starts.
      bagRows = goss.sample(completed, gradients, hessians, numClassTrees);
      outOfBagRows = bagRows === null ? null : complementRows(bagRows, n);
    } else {
      // LightGBM stops re-bagging if a bag happened to keep every row.
      const rebag = bagRows === null || (bagRows.length < n && completed % params.baggingFreq === 0);
      if (bagger !== null && rebag) {
        bagRows = bagger.sample();
        outOfBagRows = complementRows(bagRows, n);
      }
    }
    let shouldContinue = false;
    const iterationTrees: TreeData[] = [];
    const iterationLearned: (LearnedTree | null)[] = [];
    for (let k = 0; k < numClassTrees; k++) {
      const offset = k * n;
      let tree: LearnedTree | null = null;
      if (objective.classNeedTrain(k) && learner.metas.length > 0) {
        const featureUsed = columnSampler.sampleForTree();
        tree = learner.train(gradients.subarray(offset, offset + n), hessians.subarray(offset, offset + n), bagRows, featureUsed, columnSampler);
      }
      if (forest !== null) {
        const constant = tree === null || tree.numLeaves <= 1;
        if (!constant) {
          if (objective.renewsTreeOutput) renewLeafOutputs(tree!, learner, dataset.labels, dataset.weights, forest.baseScores, offset);
          if (Math.abs(forest.initScores[k]!) > K_EPSILON) addBias(tree!, forest.initScores[k]!);
          averageIn(k, completed, (data, target, at, isTraining) => {
            if (isTraining) {
              addLeafValuesByPartition(tree!, learner, target, at);
              if (outOfBagRows !== null) addTreeToScores(tree!, tree!.leafValue, data, target, at, outOfBagRows);
            } else {
              addTreeToScores(tree!, tree!.leafValue, data, target, at);
            }
          });
          iterationTrees.push(toTreeData(tree!));
          iterationLearned.push(tree);
        } else if (first) {
          const output = objective.classNeedTrain(k) ? 0 : objective.boostFromScore(k);
          averageIn(k, completed, (data, target, at) => {
            if (output !== 0) addConstant(target, at, data.numRows, output);
          });
          iterationTrees.push(constantTreeData(output, n));
          iterationLearned.push(null);
        } else {
          // LightGBM keeps a later tree that could not split as it is (its root output, no count),
          // without adding it to the scores.
          iterationTrees.push(constantTreeData(tree === null ? 0 : tree.leafValue[0]!, 0));
          iterationLearned.push(null);
        }
      } else if (tree !== null && tree.numLeaves > 1) {
        shouldContinue = true;
        if (objective.renewsTreeOutput) renewLeafOutputs(tree, learner, dataset.labels, dataset.weights, scores, offset);
        shrinkTree(tree, dart === null ? params.learningRate : dart.shrinkageRate);
        addLeafValuesByPartition(tree, learner, scores, offset);
        if (outOfBagRows !== null) addTreeToScores(tree, tree.leafValue, dataset, scores, offset, outOfBagRows);
        validSets.forEach((v, i) => addTreeToScores(tree!, tree!.leafValue, v.data, validScores[i]!, k * v.data.numRows));
        if (Math.abs(initScores[k]!) > K_EPSILON) addBias(tree, initScores[k]!);
        iterationTrees.push(toTreeData(tree));
        iterationLearned.push(tree);
      } else if (first) {
        if (!params.boostFromAverage) {
          initScores[k] = objective.boostFromScore(k);
          addConstant(scores, offset, n, initScores[k]!);
          validScores.forEach((s, v) => addConstant(s, k * validSets[v]!.data.numRows, validSets[v]!.data.numRows, initScores[k]!));
        }
        iterationTrees.push(constantTreeData(initScores[k]!, n));
        iterationLearned.push(null);
      } else {
        iterationTrees.push(constantTreeData(0, n));
        iterationLearned.push(null);
      }
    }
    // LightGBM drops a round of constant trees, except the very first one; the round is still
    // evaluated, and later rounds may split again (a new bag or column sample).
    // A random forest keeps every iteration.
    if (shouldContinue || first || forest !== null) {
      trees.push(...iterationTrees);
      learnedOf.push(...iterationLearned);
    }
    if (shouldContinue || forest !== null) {
      completed++;
      dart?.normalize(dartTrees);
    }

    const evaluations = evaluate(metrics, options.evalTrainingSet ? { dataset, scores } : null, validSets, validScores);
    for (const e of evaluations) ((evalHistory[e.dataName] ??= {})[e.metric] ??= []).push(e.value);
    let stop = false;
    if (earlyStopping) {
      const validResults = options.evalTrainingSet ? evaluations.slice(metrics.length) : evaluations;
      const result = checkEarlyStopping(validResults, stopState, metrics, params, iteration);
      if (result >= 0) {
        bestIteration = result + 1;
        stop = true;
      }
    }
    for (const callback of options.callbacks ?? []) if (callback({ iteration, evaluations }) === "stop") stop = true;
    if (stop) break;
  }
  if (earlyStopping && bestIteration === 0 && trees.length > 0) {
    // Ran to the end: like LightGBM's final-iteration check, keep the best iteration of the first pair.
    bestIteration = stopState[0]!.bestIteration[0]! + 1;
  }
  if (bestIteration > 0) trees.length = Math.min(trees.length, bestIteration * numClassTrees);
  const meta = buildModelMeta(dataset, objective, params, categorical);
  return {
    booster: Booster.fromTrees(meta, trees),
    meta,
    trees,
    bestIteration,
    numIterations: trees.length / numClassTrees,
    evalHistory,
    params,
    featureImportance: (type: ImportanceType = "split") => featureImportance(trees, dataset.numFeatures, type),
  };
}
