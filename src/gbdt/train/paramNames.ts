/**
 * LightGBM's parameter names and aliases (include/LightGBM/config.h, src/io/config_auto.cpp) for
 * the parameters Larder's trainer understands.
 */
export const PARAMETER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  objective: ["objective_type", "app", "application", "loss"],
  boosting: ["boosting_type", "boost"],
  num_class: ["num_classes"],
  num_iterations: [
    "num_iteration", "n_iter", "num_tree", "num_trees", "num_round", "num_rounds", "nrounds", "num_boost_round", "n_estimators", "max_iter",
  ],
  learning_rate: ["shrinkage_rate", "eta"],
  num_leaves: ["num_leaf", "max_leaves", "max_leaf", "max_leaf_nodes"],
  max_depth: [],
  min_data_in_leaf: ["min_data_per_leaf", "min_data", "min_child_samples", "min_samples_leaf"],
  min_sum_hessian_in_leaf: ["min_sum_hessian_per_leaf", "min_sum_hessian", "min_hessian", "min_child_weight"],
  max_bin: ["max_bins"],
  min_data_in_bin: [],
  bin_construct_sample_cnt: ["subsample_for_bin"],
  lambda_l1: ["reg_alpha", "l1_regularization"],
  lambda_l2: ["reg_lambda", "lambda", "l2_regularization"],
  min_gain_to_split: ["min_split_gain"],
  max_delta_step: ["max_tree_output", "max_leaf_output"],
  feature_fraction: ["sub_feature", "colsample_bytree"],
  feature_fraction_bynode: ["sub_feature_bynode", "colsample_bynode"],
  bagging_fraction: ["sub_row", "subsample", "bagging"],
  bagging_freq: ["subsample_freq"],
  pos_bagging_fraction: ["pos_sub_row", "pos_subsample", "pos_bagging"],
  neg_bagging_fraction: ["neg_sub_row", "neg_subsample", "neg_bagging"],
  seed: ["random_seed", "random_state"],
  data_random_seed: ["data_seed"],
  bagging_seed: ["bagging_fraction_seed"],
  feature_fraction_seed: [],
  extra_trees: ["extra_tree"],
  extra_seed: [],
  early_stopping_round: ["early_stopping_rounds", "early_stopping", "n_iter_no_change"],
  early_stopping_min_delta: [],
  first_metric_only: [],
  categorical_feature: ["cat_feature", "categorical_column", "cat_column", "categorical_features"],
  max_cat_to_onehot: [],
  cat_smooth: [],
  cat_l2: [],
  max_cat_threshold: [],
  min_data_per_group: [],
  path_smooth: [],
  feature_contri: ["feature_contrib", "fc", "fp", "feature_penalty"],
  max_bin_by_feature: [],
  interaction_constraints: [],
  drop_rate: ["rate_drop"],
  max_drop: [],
  skip_drop: [],
  xgboost_dart_mode: [],
  uniform_drop: [],
  drop_seed: [],
  data_sample_strategy: [],
  top_rate: [],
  other_rate: [],
  monotone_constraints: ["mc", "monotone_constraint", "monotonic_cst"],
  monotone_constraints_method: ["monotone_constraining_method", "mc_method"],
  monotone_penalty: ["monotone_splits_penalty", "ms_penalty", "mc_penalty"],
  zero_as_missing: [],
  use_missing: [],
  feature_pre_filter: [],
  is_unbalance: ["unbalance", "unbalanced_sets"],
  scale_pos_weight: [],
  sigmoid: [],
  alpha: [],
  poisson_max_delta_step: [],
  boost_from_average: [],
  metric: ["metrics", "metric_types"],
  num_threads: ["num_thread", "nthread", "nthreads", "n_jobs"],
  deterministic: [],
  verbosity: ["verbose"],
};

/**
 * LightGBM parameters that cannot change a model Larder trains: speed, memory, IO, logging,
 * distributed and GPU settings, and options of features Larder rejects elsewhere (dart, GOSS,
 * ranking, linear trees, quantized gradients). Accepted and ignored, so a parameters section
 * copied from a LightGBM model can be replayed.
 */
export const NO_EFFECT_PARAMETERS: ReadonlySet<string> = new Set([
  "data", "valid", "input_model", "output_model", "force_col_wise", "force_row_wise", "histogram_pool_size",
  "hist_pool_size", "enable_bundle", "is_enable_bundle", "bundle", "is_enable_sparse", "is_sparse", "enable_sparse",
  "sparse", "max_conflict_rate", "pre_partition", "two_round", "header", "label_column", "weight_column", "group_column",
  "ignore_column", "precise_float_parser", "parser_config_file", "metric_freq", "snapshot_freq",
  "saved_feature_importance_type", "objective_seed", "top_k", "refit_decay_rate", "linear_lambda",
  "num_grad_quant_bins", "quant_train_renew_leaf", "stochastic_rounding",
  "fair_c", "tweedie_variance_power", "lambdarank_truncation_level", "lambdarank_norm", "label_gain",
  "lambdarank_position_bias_regularization", "eval_at", "auc_mu_weights", "num_machines", "local_listen_port", "time_out",
  "machine_list_filename", "machines", "gpu_platform_id", "gpu_device_id", "gpu_device_id_list", "gpu_use_dp", "num_gpu",
]);

/** Aliases among `NO_EFFECT_PARAMETERS`, to the name LightGBM writes in a model's `parameters:` section. */
export const NO_EFFECT_ALIASES: ReadonlyMap<string, string> = new Map([
  ["hist_pool_size", "histogram_pool_size"], ["is_enable_bundle", "enable_bundle"], ["bundle", "enable_bundle"],
  ["is_sparse", "is_enable_sparse"], ["enable_sparse", "is_enable_sparse"], ["sparse", "is_enable_sparse"],
]);

/**
 * LightGBM parameters that would change the model and are not implemented, with the value that
 * switches each off (accepted); any other value is a "not supported" error rather than a
 * misleading "did you mean".
 */
export const UNSUPPORTED_PARAMETER_OFF_VALUE: ReadonlyMap<string, string> = new Map([
  ["tree_learner", "serial"], ["device_type", "cpu"],
  ["bagging_by_query", "0"],

  ["forcedsplits_filename", ""], ["forcedbins_filename", ""], ["cegb_tradeoff", "1"], ["cegb_penalty_split", "0"],
  ["cegb_penalty_feature_lazy", ""], ["cegb_penalty_feature_coupled", ""], 
["use_quantized_grad", "0"], ["linear_tree", "0"],
  ["reg_sqrt", "0"], ["multi_error_top_k", "1"],
]);

/** Alias or canonical name → canonical name. */
export const CANONICAL_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(PARAMETER_ALIASES).flatMap(([name, aliases]) => [[name, name] as const, ...aliases.map((a) => [a, name] as const)]),
);

export const OBJECTIVE_ALIASES: Readonly<Record<string, string>> = {
  regression: "regression",
  regression_l2: "regression",
  l2: "regression",
  mean_squared_error: "regression",
  mse: "regression",
  l2_root: "regression",
  root_mean_squared_error: "regression",
  rmse: "regression",
  regression_l1: "regression_l1",
  l1: "regression_l1",
  mean_absolute_error: "regression_l1",
  mae: "regression_l1",
  huber: "huber",
  poisson: "poisson",
  binary: "binary",
  multiclass: "multiclass",
  softmax: "multiclass",
  multiclassova: "multiclassova",
  multiclass_ova: "multiclassova",
  ova: "multiclassova",
  ovr: "multiclassova",
};

export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  l1: "l1",
  mean_absolute_error: "l1",
  mae: "l1",
  regression_l1: "l1",
  l2: "l2",
  mean_squared_error: "l2",
  mse: "l2",
  regression_l2: "l2",
  regression: "l2",
  rmse: "rmse",
  root_mean_squared_error: "rmse",
  l2_root: "rmse",
  huber: "huber",
  poisson: "poisson",
  binary_logloss: "binary_logloss",
  binary: "binary_logloss",
  binary_error: "binary_error",
  auc: "auc",
  multi_logloss: "multi_logloss",
  multiclass: "multi_logloss",
  softmax: "multi_logloss",
  multiclassova: "multi_logloss",
  multiclass_ova: "multi_logloss",
  ova: "multi_logloss",
  ovr: "multi_logloss",
  multi_error: "multi_error",
};

/** LightGBM's spellings of "no metric". */
export const NO_METRIC_NAMES: ReadonlySet<string> = new Set(["none", "na", "null", "custom"]);

/** The metric LightGBM evaluates when `metric` is not set. */
export const DEFAULT_METRIC: Readonly<Record<string, string>> = {
  regression: "l2",
  regression_l1: "l1",
  huber: "huber",
  poisson: "poisson",
  binary: "binary_logloss",
  multiclass: "multi_logloss",
  multiclassova: "multi_logloss",
};

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function nearestName(name: string, candidates: Iterable<string>): string {
  let best = "";
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
