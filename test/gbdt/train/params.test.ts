import { describe, expect, it } from "vitest";
import { LarderError } from "../../../src/errors.js";
import { DEFAULT_PARAMS, resolveParams } from "../../../src/gbdt/train/index.js";

function errorOf(fn: () => unknown): LarderError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error("expected a LarderError");
}

describe("training parameters", () => {
  it("has LightGBM's defaults", () => {
    const p = resolveParams({});
    expect(p.objective).toBe("regression");
    expect(p.numIterations).toBe(100);
    expect(p.learningRate).toBe(0.1);
    expect(p.numLeaves).toBe(31);
    expect(p.maxDepth).toBe(-1);
    expect(p.minDataInLeaf).toBe(20);
    expect(p.minSumHessianInLeaf).toBe(1e-3);
    expect(p.maxBin).toBe(255);
    expect(p.minDataInBin).toBe(3);
    expect([p.lambdaL1, p.lambdaL2, p.minGainToSplit]).toEqual([0, 0, 0]);
    expect([p.featureFraction, p.baggingFraction, p.baggingFreq]).toEqual([1, 1, 0]);
    expect([p.dataRandomSeed, p.baggingSeed, p.featureFractionSeed]).toEqual([1, 3, 2]);
    expect([p.maxCatToOnehot, p.catSmooth, p.catL2, p.maxCatThreshold, p.minDataPerGroup]).toEqual([4, 10, 10, 32, 100]);
    expect([p.zeroAsMissing, p.useMissing, p.isUnbalance, p.boostFromAverage]).toEqual([false, true, false, true]);
    expect(p.scalePosWeight).toBe(1);
    expect(p.earlyStoppingRound).toBe(0);
    expect(p.metric).toEqual(["l2"]);
    expect(DEFAULT_PARAMS.numLeaves).toBe(31);
  });

  it("resolves aliases to canonical names", () => {
    const p = resolveParams({
      application: "softmax",
      num_classes: 3,
      num_boost_round: 7,
      eta: 0.05,
      max_leaves: 15,
      min_child_samples: 5,
      min_child_weight: 0.5,
      max_bins: 63,
      reg_alpha: 0.1,
      reg_lambda: 2,
      min_split_gain: 0.01,
      colsample_bytree: 0.8,
      subsample: 0.7,
      subsample_freq: 2,
      early_stopping_rounds: 5,
      cat_feature: "0,2",
      metrics: "multi_error",
      random_state: 42,
    });
    expect(p.objective).toBe("multiclass");
    expect(p.numClass).toBe(3);
    expect(p.numIterations).toBe(7);
    expect(p.learningRate).toBe(0.05);
    expect(p.numLeaves).toBe(15);
    expect(p.minDataInLeaf).toBe(5);
    expect(p.minSumHessianInLeaf).toBe(0.5);
    expect(p.maxBin).toBe(63);
    expect([p.lambdaL1, p.lambdaL2, p.minGainToSplit]).toEqual([0.1, 2, 0.01]);
    expect([p.featureFraction, p.baggingFraction, p.baggingFreq]).toEqual([0.8, 0.7, 2]);
    expect(p.earlyStoppingRound).toBe(5);
    expect(p.categoricalFeature).toEqual([0, 2]);
    expect(p.metric).toEqual(["multi_error"]);
    expect(p.seed).toBe(42);
  });

  it("picks the objective's default metric and resolves metric aliases", () => {
    expect(resolveParams({ objective: "binary" }).metric).toEqual(["binary_logloss"]);
    expect(resolveParams({ objective: "multiclass", num_class: 3 }).metric).toEqual(["multi_logloss"]);
    expect(resolveParams({ objective: "mae" }).metric).toEqual(["l1"]);
    expect(resolveParams({ objective: "binary", metric: ["auc", "binary"] }).metric).toEqual(["auc", "binary_logloss"]);
    expect(resolveParams({ metric: "mse,rmse" }).metric).toEqual(["l2", "rmse"]);
    expect(resolveParams({ metric: "None" }).metric).toEqual([]);
  });

  it("derives the sub-seeds from seed with LightGBM's generator, and explicit sub-seeds win", () => {
    // Random(7): x = 214013·7 + 2531011 = 4029102; (x >> 16) & 0x7FFF = 61; 61 % 32767 = 61.
    const derived = resolveParams({ seed: 7 });
    expect(derived.dataRandomSeed).toBe(61);
    expect(resolveParams({ seed: 7 })).toEqual(derived);
    expect(resolveParams({ seed: 8 }).dataRandomSeed).not.toBe(derived.dataRandomSeed);
    expect(resolveParams({ seed: 7, data_random_seed: 99 }).dataRandomSeed).toBe(99);
  });

  it("accepts string and boolean spellings of values", () => {
    const p = resolveParams({ num_leaves: "7", zero_as_missing: "true", use_missing: 0, is_unbalance: true });
    expect(p.numLeaves).toBe(7);
    expect(p.zeroAsMissing).toBe(true);
    expect(p.useMissing).toBe(false);
    expect(p.isUnbalance).toBe(true);
  });

  it("rejects an unknown parameter and names the nearest valid one", () => {
    const err = errorOf(() => resolveParams({ num_leafs: 10 }));
    expect(err.code).toBe("INVALID_PARAMETER_VALUE");
    expect(err.message).toContain("num_leafs");
    expect(err.message).toMatch(/did you mean "num_lea(f|ves)"/);
    expect(errorOf(() => resolveParams({ learnig_rate: 0.1 })).message).toContain('"learning_rate"');
    expect(errorOf(() => resolveParams({ lambda_12: 1 })).message).toContain('"lambda_l2"');
  });

  it("accepts settings that cannot change the model, and LightGBM features Larder lacks only when off", () => {
    expect(() => resolveParams({ force_col_wise: true, histogram_pool_size: -1, gpu_device_id: 0, drop_rate: 0.1 })).not.toThrow();
    expect(() => resolveParams({ path_smooth: 0, extra_trees: false, monotone_constraints: "", tree_learner: "serial" })).not.toThrow();
    const err = errorOf(() => resolveParams({ monotone_constraints: [1, 0], monotone_constraints_method: "advanced" }));
    expect(err.code).toBe("NOT_IMPLEMENTED");
    expect(err.message).toContain("monotone_constraints_method");
    expect(errorOf(() => resolveParams({ objective: "regression_l1", monotone_constraints: [0, 0] })).message).toContain("regression_l1");
    expect(errorOf(() => resolveParams({ monotone_constraints: [2, 0] })).code).toBe("INVALID_PARAMETER_VALUE");
    expect(resolveParams({ mc: "1,-1,0", mc_penalty: 2 })).toMatchObject({ monotoneConstraints: [1, -1, 0], monotonePenalty: 2 });
    // Options implemented since: path smoothing (which also lifts min_data_in_leaf to 2), balanced
    // and per-node sampling.
    expect(resolveParams({ path_smooth: 1, min_data_in_leaf: 1 })).toMatchObject({ pathSmooth: 1, minDataInLeaf: 2 });
    expect(resolveParams({ pos_bagging_fraction: 0.5, colsample_bynode: 0.5 })).toMatchObject({ posBaggingFraction: 0.5, featureFractionByNode: 0.5 });
    expect(errorOf(() => resolveParams({ linear_tree: true })).code).toBe("NOT_IMPLEMENTED");
    expect(resolveParams({ extra_tree: true, seed: 3 })).toMatchObject({ extraTrees: true });
    expect(errorOf(() => resolveParams({ boosting: "xgboost" })).code).toBe("NOT_IMPLEMENTED");
    expect(resolveParams({ boosting: "random_forest", bagging_fraction: 0.5, bagging_freq: 1 }).boosting).toBe("rf");
    expect(errorOf(() => resolveParams({ boosting: "rf" })).message).toContain("bagging or feature sampling");
    expect(resolveParams({ boosting: "dart", rate_drop: 0.3 })).toMatchObject({ boosting: "dart", dropRate: 0.3 });
    expect(resolveParams({ boosting: "goss" })).toMatchObject({ boosting: "gbdt", dataSampleStrategy: "goss" });
  });

  it("rejects unknown objectives and metrics with a suggestion", () => {
    expect(errorOf(() => resolveParams({ objective: "binar" })).message).toContain('"binary"');
    expect(errorOf(() => resolveParams({ metric: "acu" })).message).toContain('"auc"');
  });

  it("rejects invalid values", () => {
    for (const bad of [
      { num_leaves: 1 },
      { learning_rate: 0 },
      { learning_rate: "fast" },
      { num_iterations: 2.5 },
      { bagging_fraction: 1.5 },
      { feature_fraction: 0 },
      { max_bin: 1 },
      { lambda_l2: -1 },
      { zero_as_missing: "maybe" },
      { objective: "multiclass" },
      { objective: "binary", num_class: 3 },
      { objective: "binary", metric: "multi_logloss" },
      { is_unbalance: true, scale_pos_weight: 2 },
      { num_leaves: 10, max_leaves: 12 },
    ]) {
      expect(() => resolveParams(bad as never), JSON.stringify(bad)).toThrow(LarderError);
    }
  });
});
