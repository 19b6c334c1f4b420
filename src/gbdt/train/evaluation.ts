/** Metric evaluation per iteration and LightGBM's early-stopping rule. */
import type { BinnedDataset } from "../dataset/dataset.js";
import type { Metric } from "./metrics.js";
import type { MetricName, TrainParams } from "./params.js";

export interface EvalResult {
  dataName: string;
  metric: MetricName;
  value: number;
  higherIsBetter: boolean;
}

export interface EarlyStopState {
  best: number[];
  bestIteration: number[];
}

export function newEarlyStopState(metrics: readonly Metric[]): EarlyStopState {
  return {
    best: metrics.map((m) => (m.higherIsBetter ? -Infinity : Infinity)),
    bestIteration: metrics.map(() => 0),
  };
}

export function evaluate(
  metrics: readonly Metric[],
  training: { dataset: BinnedDataset; scores: Float64Array } | null,
  validSets: readonly { name: string; data: BinnedDataset }[],
  validScores: readonly Float64Array[],
): EvalResult[] {
  const results: EvalResult[] = [];
  const run = (name: string, data: BinnedDataset, scores: Float64Array): void => {
    for (const m of metrics) {
      results.push({ dataName: name, metric: m.name, value: m.evaluate(scores, data.labels, data.weights), higherIsBetter: m.higherIsBetter });
    }
  };
  if (training) run("training", training.dataset, training.scores);
  validSets.forEach((v, i) => run(v.name, v.data, validScores[i]!));
  return results;
}

/**
 * LightGBM's early-stopping rule on the validation sets: any (set, metric) pair without a strict
 * improvement (beyond `early_stopping_min_delta`) for `early_stopping_round` iterations stops
 * training. `validResults` are the validation sets' results, set by set, metric by metric.
 * Returns that pair's best iteration (0-based), or -1 to continue.
 */
export function checkEarlyStopping(
  validResults: readonly EvalResult[],
  state: EarlyStopState[],
  metrics: readonly Metric[],
  params: TrainParams,
  iteration: number,
): number {
  let index = 0;
  for (let v = 0; v < state.length; v++) {
    for (let m = 0; m < metrics.length; m++, index++) {
      if (params.firstMetricOnly && m > 0) continue;
      const value = validResults[index]!.value;
      const s = state[v]!;
      const delta = params.earlyStoppingMinDelta;
      const improved = metrics[m]!.higherIsBetter ? value > s.best[m]! + delta : value < s.best[m]! - delta;
      if (improved) {
        s.best[m] = value;
        s.bestIteration[m] = iteration;
      } else if (iteration - s.bestIteration[m]! >= params.earlyStoppingRound) {
        return s.bestIteration[m]!;
      }
    }
  }
  return -1;
}
