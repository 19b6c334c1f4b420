/**
 * The `parameters:` section of a trained model, as LightGBM 4.7 writes it: every parameter it
 * knows, in its order. The trainer's resolved parameters fill their own lines; the others hold
 * the value the caller gave (they cannot change a model Larder trains; see `paramNames.ts`) or
 * LightGBM's default, with the seeds derived from `seed` as LightGBM derives them.
 */
import { formatG17 } from "../dataset/numeric.js";
import type { ParamValue, TrainParams } from "./params.js";

/** Every key of LightGBM 4.7's section in order, with its default as LightGBM prints it. */
const SECTION: readonly (readonly [string, string])[] = [
  ["boosting", "gbdt"], ["objective", "binary"], ["metric", "binary_logloss"],
  ["tree_learner", "serial"], ["device_type", "cpu"], ["data_sample_strategy", "bagging"],
  ["data", ""], ["valid", ""], ["num_iterations", "3"], ["learning_rate", "0.1"], ["num_leaves", "31"],
  ["num_threads", "1"], ["seed", "0"], ["deterministic", "1"], ["force_col_wise", "0"],
  ["force_row_wise", "0"], ["histogram_pool_size", "-1"], ["max_depth", "-1"],
  ["min_data_in_leaf", "20"], ["min_sum_hessian_in_leaf", "0.001"], ["bagging_fraction", "1"],
  ["pos_bagging_fraction", "1"], ["neg_bagging_fraction", "1"], ["bagging_freq", "0"],
  ["bagging_seed", "3"], ["bagging_by_query", "0"], ["feature_fraction", "1"],
  ["feature_fraction_bynode", "1"], ["feature_fraction_seed", "2"], ["extra_trees", "0"],
  ["extra_seed", "6"], ["early_stopping_round", "0"], ["early_stopping_min_delta", "0"],
  ["first_metric_only", "0"], ["max_delta_step", "0"], ["lambda_l1", "0"], ["lambda_l2", "0"],
  ["linear_lambda", "0"], ["min_gain_to_split", "0"], ["drop_rate", "0.1"], ["max_drop", "50"],
  ["skip_drop", "0.5"], ["xgboost_dart_mode", "0"], ["uniform_drop", "0"], ["drop_seed", "4"],
  ["top_rate", "0.2"], ["other_rate", "0.1"], ["min_data_per_group", "100"],
  ["max_cat_threshold", "32"], ["cat_l2", "10"], ["cat_smooth", "10"], ["max_cat_to_onehot", "4"],
  ["top_k", "20"], ["monotone_constraints", ""], ["monotone_constraints_method", "basic"],
  ["monotone_penalty", "0"], ["feature_contri", ""], ["forcedsplits_filename", ""],
  ["refit_decay_rate", "0.9"], ["cegb_tradeoff", "1"], ["cegb_penalty_split", "0"],
  ["cegb_penalty_feature_lazy", ""], ["cegb_penalty_feature_coupled", ""], ["path_smooth", "0"],
  ["interaction_constraints", ""], ["verbosity", "-1"], ["saved_feature_importance_type", "0"],
  ["use_quantized_grad", "0"], ["num_grad_quant_bins", "4"], ["quant_train_renew_leaf", "0"],
  ["stochastic_rounding", "1"], ["linear_tree", "0"], ["max_bin", "255"], ["max_bin_by_feature", ""],
  ["min_data_in_bin", "3"], ["bin_construct_sample_cnt", "200000"], ["data_random_seed", "1"],
  ["is_enable_sparse", "1"], ["enable_bundle", "1"], ["use_missing", "1"], ["zero_as_missing", "0"],
  ["feature_pre_filter", "1"], ["pre_partition", "0"], ["two_round", "0"], ["header", "0"],
  ["label_column", ""], ["weight_column", ""], ["group_column", ""], ["ignore_column", ""],
  ["categorical_feature", ""], ["forcedbins_filename", ""], ["precise_float_parser", "0"],
  ["parser_config_file", ""], ["objective_seed", "5"], ["num_class", "1"], ["is_unbalance", "0"],
  ["scale_pos_weight", "1"], ["sigmoid", "1"], ["boost_from_average", "1"], ["reg_sqrt", "0"],
  ["alpha", "0.9"], ["fair_c", "1"], ["poisson_max_delta_step", "0.7"],
  ["tweedie_variance_power", "1.5"], ["lambdarank_truncation_level", "30"], ["lambdarank_norm", "1"],
  ["label_gain", ""], ["lambdarank_position_bias_regularization", "0"], ["eval_at", ""],
  ["multi_error_top_k", "1"], ["auc_mu_weights", ""], ["num_machines", "1"],
  ["local_listen_port", "12400"], ["time_out", "120"], ["machine_list_filename", ""], ["machines", ""],
  ["gpu_platform_id", "-1"], ["gpu_device_id", "-1"], ["gpu_device_id_list", ""], ["gpu_use_dp", "0"],
  ["num_gpu", "1"],
];

/** C++ stream formatting of a double parameter (`%g`). */
function formatParam(v: number): string {
  // Integer parameters print in full; so do integral doubles below 1e6, where %g agrees.
  if (Number.isInteger(v)) return String(v);
  const text = v.toPrecision(6);
  if (!text.includes("e")) return String(Number(text));
  // C++ writes the exponent with a sign and at least two digits: 1e+20, 2.5e-07.
  const [mantissa, exponent] = text.split("e") as [string, string];
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${String(Number(mantissa))}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
}

function formatValue(v: ParamValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") return formatParam(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === "number" ? formatParam(x) : String(x))).join(",");
  return String(v);
}

/** The lines between `parameters:` and `end of parameters`. */
export function parameterLines(p: TrainParams, categoricalIndices: readonly number[]): string[] {
  const resolved: [string, ParamValue][] = [
    ["boosting", p.boosting],
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
    ["pos_bagging_fraction", p.posBaggingFraction],
    ["neg_bagging_fraction", p.negBaggingFraction],
    ["bagging_freq", p.baggingFreq],
    ["data_sample_strategy", p.dataSampleStrategy],
    ["top_rate", p.topRate],
    ["other_rate", p.otherRate],
    ["bagging_seed", p.baggingSeed],
    ["feature_fraction", p.featureFraction],
    ["feature_fraction_bynode", p.featureFractionByNode],
    ["feature_fraction_seed", p.featureFractionSeed],
    ["extra_trees", p.extraTrees],
    ["extra_seed", p.extraSeed],
    ["early_stopping_round", p.earlyStoppingRound],
    ["early_stopping_min_delta", p.earlyStoppingMinDelta],
    ["first_metric_only", p.firstMetricOnly],
    ["max_delta_step", p.maxDeltaStep],
    ["lambda_l1", p.lambdaL1],
    ["lambda_l2", p.lambdaL2],
    ["min_gain_to_split", p.minGainToSplit],
    ["drop_rate", p.dropRate],
    ["max_drop", p.maxDrop],
    ["skip_drop", p.skipDrop],
    ["xgboost_dart_mode", p.xgboostDartMode],
    ["uniform_drop", p.uniformDrop],
    ["drop_seed", p.dropSeed],
    ["min_data_per_group", p.minDataPerGroup],
    ["path_smooth", p.pathSmooth],
    // Common::Join writes doubles with 17 significant digits.
    ["feature_contri", p.featureContri.map(formatG17).join(",")],
    ["max_bin_by_feature", p.maxBinByFeature],
    ["interaction_constraints", p.interactionConstraints.map((group) => `[${group.join(",")}]`).join(",")],
    ["monotone_constraints", p.monotoneConstraints],
    ["monotone_penalty", p.monotonePenalty],
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
  const values = new Map<string, ParamValue>([...p.inertParams, ...resolved]);
  return SECTION.map(([key, fallback]) => `[${key}: ${values.has(key) ? formatValue(values.get(key)) : fallback}]`);
}
