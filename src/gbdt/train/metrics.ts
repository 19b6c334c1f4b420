/**
 * Evaluation metrics as LightGBM computes them (src/metric/*.hpp): on the objective's transformed
 * output, summed in row order in double and divided by the total weight.
 */
import { K_EPSILON } from "../dataset/numeric.js";
import type { Objective } from "./objectives.js";
import type { MetricName, TrainParams } from "./params.js";

export interface Metric {
  name: MetricName;
  higherIsBetter: boolean;
  /** `rawScores` are class-major raw scores of `labels.length` rows. */
  evaluate(rawScores: Float64Array, labels: Float32Array, weights: Float32Array | null): number;
}

type PointLoss = (label: number, output: number) => number;

function pointwise(name: MetricName, objective: Objective, loss: PointLoss, finish: (mean: number) => number = (m) => m): Metric {
  return {
    name,
    higherIsBetter: false,
    evaluate(rawScores, labels, weights) {
      const row = new Float64Array(1);
      let sum = 0;
      let sumWeights = 0;
      for (let i = 0; i < labels.length; i++) {
        row[0] = rawScores[i]!;
        objective.convertOutput(row);
        const w = weights === null ? 1 : weights[i]!;
        sum += weights === null ? loss(labels[i]!, row[0]!) : loss(labels[i]!, row[0]!) * w;
        sumWeights += w;
      }
      return finish(sum / sumWeights);
    },
  };
}

function multiclass(name: MetricName, objective: Objective, numClass: number, loss: (label: number, probs: Float64Array) => number): Metric {
  return {
    name,
    higherIsBetter: false,
    evaluate(rawScores, labels, weights) {
      const n = labels.length;
      const row = new Float64Array(numClass);
      let sum = 0;
      let sumWeights = 0;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < numClass; k++) row[k] = rawScores[k * n + i]!;
        objective.convertOutput(row);
        const w = weights === null ? 1 : weights[i]!;
        sum += weights === null ? loss(labels[i]!, row) : loss(labels[i]!, row) * w;
        sumWeights += w;
      }
      return sum / sumWeights;
    },
  };
}

const binaryLogloss: PointLoss = (label, prob) => {
  if (label <= 0) {
    if (1 - prob > K_EPSILON) return -Math.log(1 - prob);
  } else if (prob > K_EPSILON) {
    return -Math.log(prob);
  }
  return -Math.log(K_EPSILON);
};

const auc: Metric = {
  name: "auc",
  higherIsBetter: true,
  evaluate(scores, labels, weights) {
    const n = labels.length;
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
    let currentPositive = 0;
    let sumPositive = 0;
    let accumulated = 0;
    let currentNegative = 0;
    let sumWeights = 0;
    let threshold = scores[order[0]!]!;
    for (let i = 0; i < n; i++) {
      const row = order[i]!;
      const score = scores[row]!;
      if (score !== threshold) {
        threshold = score;
        accumulated += currentNegative * (currentPositive * 0.5 + sumPositive);
        sumPositive += currentPositive;
        currentNegative = 0;
        currentPositive = 0;
      }
      const w = weights === null ? 1 : weights[row]!;
      if (labels[row]! > 0) currentPositive += w;
      else currentNegative += w;
      sumWeights += w;
    }
    accumulated += currentNegative * (currentPositive * 0.5 + sumPositive);
    sumPositive += currentPositive;
    return sumPositive > 0 && sumPositive !== sumWeights ? accumulated / (sumPositive * (sumWeights - sumPositive)) : 1;
  },
};

export function createMetric(name: MetricName, objective: Objective, params: TrainParams): Metric {
  switch (name) {
    case "l2":
      return pointwise(name, objective, (y, s) => (s - y) * (s - y));
    case "rmse":
      return pointwise(name, objective, (y, s) => (s - y) * (s - y), Math.sqrt);
    case "l1":
      return pointwise(name, objective, (y, s) => Math.abs(s - y));
    case "huber":
      return pointwise(name, objective, (y, s) => {
        const diff = s - y;
        const alpha = params.alpha;
        return Math.abs(diff) <= alpha ? 0.5 * diff * diff : alpha * (Math.abs(diff) - 0.5 * alpha);
      });
    case "poisson":
      return pointwise(name, objective, (y, s) => {
        const eps = Math.fround(1e-10);
        const safe = s < eps ? eps : s;
        return safe - y * Math.log(safe);
      });
    case "binary_logloss":
      return pointwise(name, objective, binaryLogloss);
    case "binary_error":
      return pointwise(name, objective, (y, p) => (p <= 0.5 ? (y > 0 ? 1 : 0) : y <= 0 ? 1 : 0));
    case "auc":
      return auc;
    case "multi_logloss":
      return multiclass(name, objective, params.numClass, (y, probs) => {
        const p = probs[Math.trunc(y)]!;
        return p > K_EPSILON ? -Math.log(p) : -Math.log(K_EPSILON);
      });
    case "multi_error":
      return multiclass(name, objective, params.numClass, (y, probs) => {
        const p = probs[Math.trunc(y)]!;
        let larger = 0;
        for (let k = 0; k < probs.length; k++) if (probs[k]! >= p) larger++;
        return larger > 1 ? 1 : 0;
      });
  }
}
