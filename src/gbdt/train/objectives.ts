/**
 * Objectives as LightGBM defines them (src/objective/*.hpp): float32 gradients and hessians,
 * the `boost_from_average` initial score, and the output transform used by metrics.
 * Scores, gradients and hessians are class-major: class k of row i is at k·numRows + i.
 */
import { LarderError } from "../../errors.js";
import { correctlyRoundedExp } from "../correctlyRoundedExp.js";
import { correctlyRoundedLog } from "../correctlyRoundedLog.js";
import { K_EPSILON } from "../dataset/numeric.js";
import { correctlyRoundedExpInPlace } from "../exponentials.js";
import type { ObjectiveName, TrainParams } from "./params.js";
import { percentile, weightedPercentile } from "./percentile.js";

export interface Objective {
  readonly name: ObjectiveName;
  readonly numModelPerIteration: number;
  /** The `objective=` line of the model file. */
  readonly modelString: string;
  /** Per-class initial score (LightGBM's `BoostFromScore`). */
  boostFromScore(classIndex: number): number;
  /** False for a class that has nothing to learn (e.g. absent from the labels). */
  classNeedTrain(classIndex: number): boolean;
  gradients(scores: Float64Array, gradients: Float32Array, hessians: Float32Array): void;
  /** Raw scores of one row (one per class) → the transformed output, in place. */
  convertOutput(row: Float64Array): void;
  /** L1-type objectives replace leaf outputs with a percentile of the leaf's residuals. */
  readonly renewsTreeOutput: boolean;
}

/** `%g` as C++ streams print the `sigmoid:` option. */
function formatShortG(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function sigmoid(x: number, s: number): number {
  return 1 / (1 + correctlyRoundedExp(-s * x));
}

function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** Mean of the float32 labels (optionally weighted), accumulated in double. */
function labelMean(labels: Float32Array, weights: Float32Array | null): number {
  let sum = 0;
  let sumWeights = 0;
  if (weights === null) {
    for (let i = 0; i < labels.length; i++) sum += labels[i]!;
    sumWeights = labels.length;
  } else {
    for (let i = 0; i < labels.length; i++) {
      sum += labels[i]! * weights[i]!;
      sumWeights += weights[i]!;
    }
  }
  return sum / sumWeights;
}

class BinaryLogloss {
  readonly needTrain: boolean;
  private readonly labelWeights: [number, number];
  /** Per row: +1 for a positive label, -1 otherwise (LightGBM's `label`), decided once. */
  private readonly labelSigns: Float64Array;
  /** Per row: the label's weight (`is_unbalance`, `scale_pos_weight`). */
  private readonly rowFactors: Float64Array;
  /** exp(label · σ · score) per row, computed for all rows at once. */
  private readonly exps: Float64Array;

  constructor(
    private readonly isPositive: (label: number) => boolean,
    private readonly labels: Float32Array,
    private readonly weights: Float32Array | null,
    private readonly sigmoidScale: number,
    isUnbalance: boolean,
    scalePosWeight: number,
  ) {
    let positives = 0;
    for (let i = 0; i < labels.length; i++) if (isPositive(labels[i]!)) positives++;
    const negatives = labels.length - positives;
    this.needTrain = positives > 0 && negatives > 0;
    this.labelWeights = [1, 1];
    if (isUnbalance && positives > 0 && negatives > 0) {
      if (positives > negatives) this.labelWeights[0] = positives / negatives;
      else this.labelWeights[1] = negatives / positives;
    }
    this.labelWeights[1] *= scalePosWeight;
    this.labelSigns = new Float64Array(labels.length);
    this.rowFactors = new Float64Array(labels.length);
    this.exps = new Float64Array(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const positive = isPositive(labels[i]!);
      this.labelSigns[i] = positive ? 1 : -1;
      this.rowFactors[i] = this.labelWeights[positive ? 1 : 0];
    }
  }

  gradients(scores: Float64Array, offset: number, gradients: Float32Array, hessians: Float32Array): void {
    const s = this.sigmoidScale;
    const n = this.labels.length;
    const signs = this.labelSigns;
    const labelWeights = this.rowFactors;
    const weights = this.weights;
    const exps = this.exps;
    for (let i = 0; i < n; i++) exps[i] = signs[i]! * s * scores[offset + i]!;
    correctlyRoundedExpInPlace(exps);
    for (let i = 0; i < n; i++) {
      const label = signs[i]!;
      const labelWeight = labelWeights[i]!;
      const response = (-label * s) / (1 + exps[i]!);
      const absResponse = Math.abs(response);
      // Multiplied in LightGBM's order: response · label weight, then · row weight.
      if (weights === null) {
        gradients[offset + i] = response * labelWeight;
        hessians[offset + i] = absResponse * (s - absResponse) * labelWeight;
      } else {
        const w = weights[i]!;
        gradients[offset + i] = response * labelWeight * w;
        hessians[offset + i] = absResponse * (s - absResponse) * labelWeight * w;
      }
    }
  }

  boostFromScore(): number {
    let positives = 0;
    let sumWeights = 0;
    if (this.weights === null) {
      for (let i = 0; i < this.labels.length; i++) if (this.isPositive(this.labels[i]!)) positives += 1;
      sumWeights = this.labels.length;
    } else {
      for (let i = 0; i < this.labels.length; i++) {
        if (this.isPositive(this.labels[i]!)) positives += this.weights[i]!;
        sumWeights += this.weights[i]!;
      }
    }
    let average = positives / sumWeights;
    average = Math.min(average, 1 - K_EPSILON);
    average = Math.max(average, K_EPSILON);
    return correctlyRoundedLog(average / (1 - average)) / this.sigmoidScale;
  }
}

function checkClassLabels(labels: Float32Array, numClass: number): Int32Array {
  const classes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const c = Math.trunc(labels[i]!);
    if (c < 0 || c >= numClass) {
      throw new LarderError("DATA_ERROR", `label must be in [0, ${numClass}), but found ${labels[i]} in row ${i}`, {
        hint: "encode classes as 0..num_class-1 or raise num_class",
      });
    }
    classes[i] = c;
  }
  return classes;
}

export function createObjective(params: TrainParams, labels: Float32Array, weights: Float32Array | null): Objective {
  const n = labels.length;
  switch (params.objective) {
    case "binary": {
      const loss = new BinaryLogloss((y) => y > 0, labels, weights, params.sigmoid, params.isUnbalance, params.scalePosWeight);
      return {
        name: "binary",
        numModelPerIteration: 1,
        modelString: `binary sigmoid:${formatShortG(params.sigmoid)}`,
        renewsTreeOutput: false,
        boostFromScore: () => loss.boostFromScore(),
        classNeedTrain: () => loss.needTrain,
        gradients: (scores, g, h) => loss.gradients(scores, 0, g, h),
        convertOutput: (row) => {
          row[0] = sigmoid(row[0]!, params.sigmoid);
        },
      };
    }
    case "multiclassova": {
      const k = params.numClass;
      checkClassLabels(labels, k);
      const losses = Array.from(
        { length: k },
        (_, c) => new BinaryLogloss((y) => Math.trunc(y) === c, labels, weights, params.sigmoid, params.isUnbalance, params.scalePosWeight),
      );
      return {
        name: "multiclassova",
        numModelPerIteration: k,
        modelString: `multiclassova num_class:${k} sigmoid:${formatShortG(params.sigmoid)}`,
        renewsTreeOutput: false,
        boostFromScore: (c) => losses[c]!.boostFromScore(),
        classNeedTrain: (c) => losses[c]!.needTrain,
        gradients: (scores, g, h) => losses.forEach((loss, c) => loss.gradients(scores, c * n, g, h)),
        convertOutput: (row) => {
          for (let c = 0; c < k; c++) row[c] = sigmoid(row[c]!, params.sigmoid);
        },
      };
    }
    case "multiclass":
      return softmaxObjective(params.numClass, labels, weights);
    default:
      return regressionObjective(params, labels, weights);
  }
}

function softmax(row: Float64Array): void {
  let max = row[0]!;
  for (let k = 1; k < row.length; k++) max = Math.max(row[k]!, max);
  let sum = 0;
  for (let k = 0; k < row.length; k++) {
    row[k] = correctlyRoundedExp(row[k]! - max);
    sum += row[k]!;
  }
  for (let k = 0; k < row.length; k++) row[k]! /= sum;
}

function softmaxObjective(numClass: number, labels: Float32Array, weights: Float32Array | null): Objective {
  const n = labels.length;
  const classes = checkClassLabels(labels, numClass);
  const priors = new Float64Array(numClass);
  let sumWeights = 0;
  for (let i = 0; i < n; i++) {
    if (weights === null) priors[classes[i]!]! += 1;
    else {
      priors[classes[i]!]! += weights[i]!;
      sumWeights += weights[i]!;
    }
  }
  if (weights === null) sumWeights = n;
  for (let c = 0; c < numClass; c++) priors[c]! /= sumWeights;
  const factor = numClass / (numClass - 1);
  const exps = new Float64Array(n * numClass);
  return {
    name: "multiclass",
    numModelPerIteration: numClass,
    modelString: `multiclass num_class:${numClass}`,
    renewsTreeOutput: false,
    boostFromScore: (c) => correctlyRoundedLog(Math.max(K_EPSILON, priors[c]!)),
    classNeedTrain: (c) => !(Math.abs(priors[c]!) <= K_EPSILON || Math.abs(priors[c]!) > 1 - K_EPSILON),
    gradients: (scores, g, h) => {
      // LightGBM's softmax per row (max subtracted, exp, sum in class order, divide), with the
      // exponentials of all rows taken in one pass.
      for (let i = 0; i < n; i++) {
        let max = scores[i]!;
        for (let c = 1; c < numClass; c++) max = Math.max(scores[c * n + i]!, max);
        for (let c = 0; c < numClass; c++) exps[i * numClass + c] = scores[c * n + i]! - max;
      }
      correctlyRoundedExpInPlace(exps);
      for (let i = 0; i < n; i++) {
        const first = i * numClass;
        let sum = 0;
        for (let c = 0; c < numClass; c++) sum += exps[first + c]!;
        const w = weights === null ? 1 : weights[i]!;
        for (let c = 0; c < numClass; c++) {
          const p = exps[first + c]! / sum;
          const idx = c * n + i;
          if (weights === null) {
            g[idx] = classes[i] === c ? p - 1 : p;
            h[idx] = factor * p * (1 - p);
          } else {
            g[idx] = (classes[i] === c ? p - 1 : p) * w;
            h[idx] = factor * p * (1 - p) * w;
          }
        }
      }
    },
    convertOutput: softmax,
  };
}

function regressionObjective(params: TrainParams, labels: Float32Array, weights: Float32Array | null): Objective {
  const n = labels.length;
  const base = { numModelPerIteration: 1, classNeedTrain: () => true, convertOutput: (_row: Float64Array) => {} };
  const weightOf = (i: number): number => (weights === null ? 1 : weights[i]!);
  switch (params.objective) {
    case "regression":
      return {
        ...base,
        name: "regression",
        modelString: "regression",
        renewsTreeOutput: false,
        boostFromScore: () => labelMean(labels, weights),
        gradients: (scores, g, h) => {
          for (let i = 0; i < n; i++) {
            if (weights === null) {
              g[i] = scores[i]! - labels[i]!;
              h[i] = 1;
            } else {
              g[i] = Math.fround(scores[i]! - labels[i]!) * weights[i]!;
              h[i] = weights[i]!;
            }
          }
        },
      };
    case "regression_l1":
      return {
        ...base,
        name: "regression_l1",
        modelString: "regression_l1",
        renewsTreeOutput: true,
        // Labels are float32 (LightGBM's label_t), and so is the median it starts from.
        boostFromScore: () =>
          Math.fround(
            weights === null
              ? percentile(Float64Array.from(labels), 0.5, true)
              : weightedPercentile(Float64Array.from(labels), weights, 0.5, true),
          ),
        gradients: (scores, g, h) => {
          for (let i = 0; i < n; i++) {
            g[i] = sign(scores[i]! - labels[i]!) * weightOf(i);
            h[i] = weightOf(i);
          }
        },
      };
    case "huber":
      return {
        ...base,
        name: "huber",
        modelString: "huber",
        renewsTreeOutput: false,
        boostFromScore: () => labelMean(labels, weights),
        gradients: (scores, g, h) => {
          const alpha = params.alpha;
          for (let i = 0; i < n; i++) {
            const diff = scores[i]! - labels[i]!;
            const grad = Math.abs(diff) <= alpha ? diff : sign(diff) * alpha;
            // Weighted: LightGBM multiplies diff·w, or sign·w·alpha in that order.
            g[i] = weights === null ? grad : Math.abs(diff) <= alpha ? diff * weights[i]! : sign(diff) * weights[i]! * alpha;
            h[i] = weightOf(i);
          }
        },
      };
    case "poisson": {
      let min = Infinity;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        min = Math.min(min, labels[i]!);
        sum += labels[i]!;
      }
      if (min < 0) {
        throw new LarderError("DATA_ERROR", "[poisson]: at least one target label is negative", { hint: "poisson needs labels >= 0" });
      }
      if (sum === 0) throw new LarderError("DATA_ERROR", "[poisson]: sum of labels is zero", { hint: "poisson needs some positive labels" });
      const expMaxDelta = correctlyRoundedExp(params.poissonMaxDeltaStep);
      const exps = new Float64Array(n);
      return {
        ...base,
        name: "poisson",
        modelString: "poisson",
        renewsTreeOutput: false,
        boostFromScore: () => {
          const mean = labelMean(labels, weights);
          return mean > 0 ? correctlyRoundedLog(mean) : -Infinity;
        },
        gradients: (scores, g, h) => {
          exps.set(scores.subarray(0, n));
          correctlyRoundedExpInPlace(exps);
          for (let i = 0; i < n; i++) {
            const e = exps[i]!;
            g[i] = (e - labels[i]!) * weightOf(i);
            h[i] = e * expMaxDelta * weightOf(i);
          }
        },
        convertOutput: (row) => {
          row[0] = correctlyRoundedExp(row[0]!);
        },
      };
    }
    default:
      throw new LarderError("NOT_IMPLEMENTED", `objective ${params.objective} is not implemented`, { hint: "use a supported objective" });
  }
}
