import { describe, expect, it } from "vitest";
import { LarderError } from "../../../src/errors.js";
import { train } from "../../../src/gbdt/train/index.js";
import { lcg, makeData, slice } from "./syntheticData.js";

const treeDepth = (left: Int32Array, right: Int32Array, node = 0): number =>
  node < 0 ? 0 : 1 + Math.max(treeDepth(left, right, left[node]!), treeDepth(left, right, right[node]!));

describe("training behaviour", () => {
  it("is deterministic: the same seed gives the same model text, another seed a different one", () => {
    const data = makeData(600, 6, "binary");
    const params = { objective: "binary", num_iterations: 8, bagging_fraction: 0.7, bagging_freq: 1, feature_fraction: 0.6, seed: 3 };
    const a = train(params, data).booster.toString();
    const b = train(params, data).booster.toString();
    expect(a).toBe(b);
    expect(train({ ...params, seed: 4 }, data).booster.toString()).not.toBe(a);
  });

  it("gives the same model bytes whatever the thread count", () => {
    // 30,000 × 20 values is enough for three histogram threads; only the parameters line
    // ([num_threads: …]) may differ.
    const data = makeData(30000, 20, "multiclass", 21);
    const params = { objective: "multiclass", num_class: 3, num_iterations: 3, bagging_fraction: 0.8, bagging_freq: 1 };
    const trees = (threads: number): string => {
      const text = train({ ...params, num_threads: threads }, data).booster.toString();
      return text.slice(0, text.indexOf("\nparameters:\n"));
    };
    const single = trees(1);
    expect(trees(2)).toBe(single);
    expect(trees(3)).toBe(single);
  });

  it("gives the same trees with over 65,535 histogram slots (JavaScript kernel), threaded or not", () => {
    // Two features with ~100k distinct values and max_bin 60000 need more slots than the wasm
    // kernel's 16-bit indices hold; 200k rows × 2 features is enough for two threads.
    const rows = 200_000;
    const rnd = lcg(17);
    const a = Float64Array.from({ length: rows }, () => Math.round(rnd() * 1e5));
    const b = Float64Array.from({ length: rows }, () => Math.round(rnd() * 1e5));
    const labels = Float64Array.from(a, (v, i) => v / 1e4 + (b[i]! > 5e4 ? 3 : 0) + rnd());
    const params = { num_iterations: 2, num_leaves: 4, max_bin: 60000, min_data_in_bin: 1 };
    const text = (threads: number): string => {
      const out = train({ ...params, num_threads: threads }, { columns: [a, b], labels }).booster.toString();
      return out.slice(0, out.indexOf("\nparameters:\n"));
    };
    const single = text(1);
    expect(single).toContain("Tree=1");
    expect(text(2)).toBe(single);
  });

  it("stops early on a validation set and cuts the model at the best iteration", () => {
    const data = makeData(400, 5, "binary", 11);
    const trainPart = slice(data, 0, 200);
    const validPart = slice(data, 200, 400);
    const result = train(
      { objective: "binary", num_iterations: 500, learning_rate: 0.5, num_leaves: 31, min_data_in_leaf: 2, early_stopping_round: 5 },
      trainPart,
      { validSets: [{ ...validPart, name: "holdout" }] },
    );
    const history = result.evalHistory.holdout!.binary_logloss!;
    expect(history.length).toBeLessThan(500);
    expect(result.bestIteration).toBeGreaterThan(0);
    expect(history.length).toBe(result.bestIteration + 5);
    expect(result.trees.length).toBe(result.bestIteration);
    const best = Math.min(...history);
    expect(history[result.bestIteration - 1]).toBe(best);
    // Evaluating the training set too changes nothing: it never drives early stopping.
    const withTraining = train(
      { objective: "binary", num_iterations: 500, learning_rate: 0.5, num_leaves: 31, min_data_in_leaf: 2, early_stopping_round: 5 },
      trainPart,
      { validSets: [{ ...validPart, name: "holdout" }], evalTrainingSet: true },
    );
    expect(withTraining.bestIteration).toBe(result.bestIteration);
    expect(withTraining.evalHistory.training!.binary_logloss!).toHaveLength(history.length);
  });

  it("scores validation rows through bins exactly as the booster predicts them", () => {
    const data = makeData(500, 4, "regression", 5);
    const trainPart = slice(data, 0, 300);
    const validPart = slice(data, 300, 500);
    const result = train({ objective: "regression", num_iterations: 10, metric: "l2" }, trainPart, { validSets: [validPart] });
    const predictions = result.booster.predictColumns(validPart.columns);
    let sum = 0;
    for (let i = 0; i < validPart.labels.length; i++) {
      const d = predictions[i]! - Math.fround(validPart.labels[i]!);
      sum += d * d;
    }
    expect(result.evalHistory.valid_0!.l2!.at(-1)).toBeCloseTo(sum / validPart.labels.length, 12);
  });

  it("stops when a callback asks to", () => {
    const data = makeData(200, 3, "regression");
    const seen: number[] = [];
    const result = train({ num_iterations: 50 }, data, {
      callbacks: [({ iteration }) => (seen.push(iteration), iteration === 2 ? "stop" : undefined)],
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(result.trees.length).toBe(3);
  });

  for (const [objective, kind, metric, extra] of [
    ["regression", "regression", "l2", {}],
    ["regression_l1", "regression", "l1", {}],
    ["huber", "regression", "huber", {}],
    ["poisson", "counts", "poisson", {}],
    ["binary", "binary", "binary_logloss", { is_unbalance: true }],
    ["multiclass", "multiclass", "multi_logloss", { num_class: 3 }],
    ["multiclassova", "multiclass", "multi_logloss", { num_class: 3 }],
  ] as const) {
    it(`${objective}: trains and lowers its training ${metric}`, () => {
      const data = makeData(400, 4, kind, 9);
      const result = train({ objective, num_iterations: 15, ...extra }, data, { evalTrainingSet: true });
      const history = result.evalHistory.training![metric]!;
      expect(history).toHaveLength(15);
      expect(history.at(-1)!).toBeLessThan(history[0]!);
      expect(result.trees.length).toBe(15 * (objective.startsWith("multiclass") ? 3 : 1));
      expect(result.trees[0]!.shrinkage).toBe(1);
      expect(result.trees.at(-1)!.shrinkage).toBe(0.1);
    });
  }

  it("computes auc, binary_error, rmse and multi_error", () => {
    const binary = train({ objective: "binary", num_iterations: 5, metric: "auc,binary_error" }, makeData(300, 3, "binary"), {
      evalTrainingSet: true,
    });
    expect(binary.evalHistory.training!.auc!.at(-1)).toBeGreaterThan(0.9);
    expect(binary.evalHistory.training!.binary_error!.at(-1)).toBeLessThan(0.2);
    const reg = train({ num_iterations: 5, metric: ["l2", "rmse"] }, makeData(300, 3, "regression"), { evalTrainingSet: true });
    expect(reg.evalHistory.training!.rmse!.at(-1)).toBeCloseTo(Math.sqrt(reg.evalHistory.training!.l2!.at(-1)!), 12);
    const multi = train({ objective: "multiclass", num_class: 3, num_iterations: 5, metric: "multi_error" }, makeData(300, 3, "multiclass"), {
      evalTrainingSet: true,
    });
    expect(multi.evalHistory.training!.multi_error!.at(-1)).toBeLessThan(0.5);
  });

  it("respects max_depth and num_leaves", () => {
    const result = train({ num_iterations: 3, max_depth: 2, num_leaves: 31, min_data_in_leaf: 1 }, makeData(300, 4, "regression"));
    for (const tree of result.trees) {
      expect(tree.numLeaves).toBeLessThanOrEqual(4);
      expect(treeDepth(tree.leftChild, tree.rightChild)).toBeLessThanOrEqual(2);
    }
    const small = train({ num_iterations: 3, num_leaves: 5 }, makeData(300, 4, "regression"));
    for (const tree of small.trees) expect(tree.numLeaves).toBeLessThanOrEqual(5);
  });

  it("reports feature importance by split count and by gain", () => {
    const result = train({ num_iterations: 10 }, makeData(400, 4, "regression"));
    const split = result.featureImportance("split");
    const gain = result.featureImportance("gain");
    const numSplits = result.trees.reduce((s, t) => s + Array.from(t.splitGain).filter((g) => g > 0).length, 0);
    expect(split.reduce((a, b) => a + b, 0)).toBe(numSplits);
    // The label depends on features 0 and 1 most.
    expect(gain[0]!).toBeGreaterThan(gain[3]!);
    expect(split[0]!).toBeGreaterThan(0);
  });

  it("drops constant and all-NaN columns (feature_infos none) and never splits on them", () => {
    const data = makeData(300, 3, "regression");
    const constant = new Float64Array(300).fill(4);
    const allNaN = new Float64Array(300).fill(NaN);
    const result = train({ num_iterations: 5 }, { columns: [...data.columns, constant, allNaN], labels: data.labels });
    expect(result.meta.featureInfos.slice(3)).toEqual(["none", "none"]);
    for (const tree of result.trees) for (const f of tree.splitFeature) expect(f).toBeLessThan(3);
  });

  it("sends unseen categories like NaN (right) and learns categorical splits", () => {
    const rows = 600;
    const category = new Float64Array(rows);
    const labels = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      category[i] = i % 6;
      labels[i] = [0, 3, 0, 3, 1, 3][i % 6]! + (i % 7) * 0.01;
    }
    const result = train({ num_iterations: 5, categorical_feature: [0] }, { columns: [category], labels });
    expect(result.trees[0]!.numCat).toBeGreaterThan(0);
    const predict = (v: number): number => result.booster.predict([[v]])[0]!;
    expect(predict(99)).toBe(predict(NaN));
    expect(predict(-3)).toBe(predict(NaN));
    expect(predict(1.7)).toBe(predict(1));
    expect(predict(1)).toBeGreaterThan(predict(0));
  });

  it("uses missing type Zero with zero_as_missing", () => {
    const data = makeData(400, 3, "regression");
    for (let i = 0; i < 400; i += 3) data.columns[0]![i] = 0;
    const result = train({ num_iterations: 3, zero_as_missing: true }, data);
    const missingTypes = new Set(result.trees.flatMap((t) => Array.from(t.decisionType, (d) => (d >> 2) & 3)));
    expect([...missingTypes]).toEqual([1]);
  });

  it("trains a one-row set as a single constant tree", () => {
    const result = train({ num_iterations: 10 }, { columns: [Float64Array.of(1)], labels: [5] });
    expect(result.trees).toHaveLength(1);
    expect(result.trees[0]!.numLeaves).toBe(1);
    expect(result.trees[0]!.leafValue[0]).toBe(5);
  });

  it("trains a one-class binary set as a constant tree at the clamped prior", () => {
    const data = makeData(100, 3, "binary");
    const result = train({ objective: "binary", num_iterations: 10 }, { columns: data.columns, labels: new Float64Array(100) });
    expect(result.trees).toHaveLength(1);
    expect(result.trees[0]!.numLeaves).toBe(1);
    expect(result.trees[0]!.leafValue[0]).toBeLessThan(-30);
  });

  it("gives the same model with unit weights as without weights", () => {
    for (const objective of ["regression", "binary"] as const) {
      const data = makeData(300, 3, objective === "binary" ? "binary" : "regression");
      const plain = train({ objective, num_iterations: 5 }, data).booster.toString();
      const weighted = train({ objective, num_iterations: 5 }, { ...data, weights: new Float64Array(300).fill(1) }).booster.toString();
      expect(weighted).toBe(plain);
    }
  });

  it("changes the model when rows are weighted", () => {
    const data = makeData(300, 3, "binary");
    const weights = Float64Array.from(data.labels, (y) => (y > 0 ? 3 : 1));
    const plain = train({ objective: "binary", num_iterations: 5 }, data).booster;
    const weighted = train({ objective: "binary", num_iterations: 5 }, { ...data, weights }).booster;
    expect(weighted.predictColumns(data.columns)[0]).not.toBe(plain.predictColumns(data.columns)[0]);
  });

  it("bins from a sample when bin_construct_sample_cnt is below the row count", () => {
    const data = makeData(3000, 3, "regression");
    const sampled = train({ num_iterations: 3, bin_construct_sample_cnt: 500 }, data);
    const full = train({ num_iterations: 3 }, data);
    expect(sampled.meta.featureInfos).not.toEqual(full.meta.featureInfos);
    expect(train({ num_iterations: 3, bin_construct_sample_cnt: 500 }, data).booster.toString()).toBe(sampled.booster.toString());
  });

  it("uses 16-bit bins when max_bin exceeds 256", () => {
    const data = makeData(3000, 3, "regression");
    const result = train({ num_iterations: 3, max_bin: 1000, min_data_in_bin: 1 }, data, { evalTrainingSet: true });
    expect(result.evalHistory.training!.l2!.at(-1)).toBeLessThan(result.evalHistory.training!.l2![0]!);
    const thresholds = new Set(result.trees.flatMap((t) => Array.from(t.threshold)));
    expect(thresholds.size).toBeGreaterThan(0);
  });

  it("clips leaf outputs with max_delta_step and soft-thresholds gradients with lambda_l1", () => {
    const data = makeData(400, 3, "regression");
    const clipped = train({ num_iterations: 5, max_delta_step: 0.05, learning_rate: 0.1 }, data);
    for (const tree of clipped.trees.slice(1)) for (const v of tree.leafValue) expect(Math.abs(v)).toBeLessThanOrEqual(0.005 + 1e-15);
    const l1 = train({ num_iterations: 5, lambda_l1: 5 }, data).trees[1]!;
    const plain = train({ num_iterations: 5 }, data).trees[1]!;
    expect(Array.from(l1.leafValue)).not.toEqual(Array.from(plain.leafValue));
    // A huge L1 penalty zeroes every gain: nothing can split, so training stops with the constant tree.
    expect(train({ num_iterations: 5, lambda_l1: 1e9 }, data).trees).toHaveLength(1);
  });

  it("gives a class absent from the labels constant trees (prior folded into the first)", () => {
    const data = makeData(300, 3, "multiclass", 4, 3);
    const result = train({ objective: "multiclass", num_class: 4, num_iterations: 3 }, data);
    expect(result.trees).toHaveLength(12);
    const absent = result.trees.filter((_, t) => t % 4 === 3);
    expect(absent.map((t) => t.numLeaves)).toEqual([1, 1, 1]);
    expect(absent[0]!.leafValue[0]).toBeCloseTo(Math.log(Math.fround(1e-15)), 12);
    expect(absent[1]!.leafValue[0]).toBe(0);
  });

  it("rejects bad input with clear errors", () => {
    const data = makeData(50, 3, "multiclass");
    expect(() => train({ objective: "multiclass", num_class: 2 }, data)).toThrow(/label must be in \[0, 2\)/);
    expect(() => train({}, { columns: [new Float64Array(3)], labels: [1, 2] })).toThrow(LarderError);
    expect(() => train({}, { columns: [new Float64Array(3), new Float64Array(4)], labels: [1, 2, 3] })).toThrow(LarderError);
    expect(() => train({ objective: "poisson" }, { columns: [new Float64Array(3)], labels: [1, -2, 3] })).toThrow(/negative/);
    expect(() => train({ categorical_feature: [5] }, data)).toThrow(/out of range/);
    expect(() => train({ categorical_feature: ["colour"] }, data)).toThrow(/not a feature name/);
    expect(() => train({}, data, { validSets: [{ columns: data.columns.slice(1), labels: data.labels }] })).toThrow(/validation set has 2 features/);
    expect(() => train({}, { columns: data.columns, labels: Float64Array.from(data.labels, () => NaN) })).toThrow(/label of row 0/);
    expect(() => train({ monotone_constraints: [1, 0] }, data)).toThrow(/monotone_constraints has 2 values for 3 features/);
  });
});
