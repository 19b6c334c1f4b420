/**
 * Training parameters with LightGBM's names, aliases, defaults and seed derivation. Unknown names
 * and invalid values are rejected with the nearest valid name, so a typo never silently trains
 * with a default.
 */
import { LarderError } from "../../errors.js";
import { LcgRandom } from "../dataset/lcgRandom.js";
import { K_EPSILON } from "../dataset/numeric.js";
import {
  CANONICAL_NAME,
  DEFAULT_METRIC,
  METRIC_ALIASES,
  NO_EFFECT_ALIASES,
  NO_EFFECT_PARAMETERS,
  NO_METRIC_NAMES,
  OBJECTIVE_ALIASES,
  UNSUPPORTED_PARAMETER_OFF_VALUE,
  nearestName,
} from "./paramNames.js";

export type ObjectiveName = "regression" | "regression_l1" | "huber" | "poisson" | "binary" | "multiclass" | "multiclassova";
export type MetricName =
  | "l1" | "l2" | "rmse" | "huber" | "poisson" | "binary_logloss" | "binary_error" | "auc" | "multi_logloss" | "multi_error";

export type ParamValue = string | number | boolean | readonly (string | number)[] | readonly (readonly (string | number)[])[] | null | undefined;
export type RawParams = Readonly<Record<string, ParamValue>>;

export interface TrainParams {
  /** "gbdt", or "dart" (trees dropped out while boosting, with drop_rate, max_drop, skip_drop…). */
  boosting: "gbdt" | "dart" | "rf";
  dropRate: number;
  maxDrop: number;
  skipDrop: number;
  xgboostDartMode: boolean;
  uniformDrop: boolean;
  dropSeed: number;
  objective: ObjectiveName;
  numClass: number;
  numIterations: number;
  learningRate: number;
  numLeaves: number;
  maxDepth: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  maxBin: number;
  minDataInBin: number;
  binConstructSampleCount: number;
  lambdaL1: number;
  lambdaL2: number;
  minGainToSplit: number;
  maxDeltaStep: number;
  featureFraction: number;
  /** Share of the tree's columns each leaf's split may use (`feature_fraction_bynode`). */
  featureFractionByNode: number;
  baggingFraction: number;
  /** Balanced bagging for binary labels: the share of positive and of negative rows kept. */
  posBaggingFraction: number;
  negBaggingFraction: number;
  baggingFreq: number;
  /** Row sampling: "bagging" (bagging_fraction, bagging_freq) or "goss" (top_rate, other_rate). */
  dataSampleStrategy: "bagging" | "goss";
  topRate: number;
  otherRate: number;
  /** The `seed` as given, or null when it was not set (then the sub-seeds keep their defaults). */
  seed: number | null;
  dataRandomSeed: number;
  baggingSeed: number;
  featureFractionSeed: number;
  /** Extremely randomized trees: one random threshold per feature and leaf is evaluated. */
  extraTrees: boolean;
  extraSeed: number;
  earlyStoppingRound: number;
  earlyStoppingMinDelta: number;
  firstMetricOnly: boolean;
  /** Column indices, or column names to resolve against the dataset's feature names. */
  categoricalFeature: (number | string)[];
  maxCatToOnehot: number;
  catSmooth: number;
  catL2: number;
  maxCatThreshold: number;
  minDataPerGroup: number;
  pathSmooth: number;
  /** Per feature, a factor on its split gains (`feature_contri`); empty for 1 everywhere. */
  featureContri: number[];
  /** Per feature, its max_bin; empty to use max_bin for all. */
  maxBinByFeature: number[];
  /** Groups of features (indices or names) a branch may combine; empty for no constraint. */
  interactionConstraints: (number | string)[][];
  /** Per feature -1, 0 or 1 (LightGBM's basic method); empty when there are none. */
  monotoneConstraints: number[];
  monotonePenalty: number;
  zeroAsMissing: boolean;
  useMissing: boolean;
  featurePreFilter: boolean;
  isUnbalance: boolean;
  scalePosWeight: number;
  sigmoid: number;
  alpha: number;
  poissonMaxDeltaStep: number;
  boostFromAverage: boolean;
  metric: MetricName[];
  numThreads: number;
  deterministic: boolean;
  verbosity: number;
  /**
   * Parameters that cannot change the model (see `NO_EFFECT_PARAMETERS`), by LightGBM's name: as
   * given, plus the seeds `seed` derives for them. Only the model's `parameters:` section shows them.
   */
  inertParams: ReadonlyMap<string, ParamValue>;
}

export const DEFAULT_PARAMS: Readonly<Omit<TrainParams, "metric">> = {
  boosting: "gbdt",
  dropRate: 0.1,
  maxDrop: 50,
  skipDrop: 0.5,
  xgboostDartMode: false,
  uniformDrop: false,
  dropSeed: 4,
  objective: "regression",
  numClass: 1,
  numIterations: 100,
  learningRate: 0.1,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  minSumHessianInLeaf: 1e-3,
  maxBin: 255,
  minDataInBin: 3,
  binConstructSampleCount: 200000,
  lambdaL1: 0,
  lambdaL2: 0,
  minGainToSplit: 0,
  maxDeltaStep: 0,
  featureFraction: 1,
  featureFractionByNode: 1,
  baggingFraction: 1,
  posBaggingFraction: 1,
  negBaggingFraction: 1,
  baggingFreq: 0,
  dataSampleStrategy: "bagging",
  topRate: 0.2,
  otherRate: 0.1,
  seed: null,
  dataRandomSeed: 1,
  baggingSeed: 3,
  featureFractionSeed: 2,
  extraTrees: false,
  extraSeed: 6,
  earlyStoppingRound: 0,
  earlyStoppingMinDelta: 0,
  firstMetricOnly: false,
  categoricalFeature: [],
  maxCatToOnehot: 4,
  catSmooth: 10,
  catL2: 10,
  maxCatThreshold: 32,
  minDataPerGroup: 100,
  pathSmooth: 0,
  featureContri: [],
  maxBinByFeature: [],
  interactionConstraints: [],
  monotoneConstraints: [],
  monotonePenalty: 0,
  zeroAsMissing: false,
  useMissing: true,
  featurePreFilter: true,
  isUnbalance: false,
  scalePosWeight: 1,
  sigmoid: 1,
  alpha: 0.9,
  poissonMaxDeltaStep: 0.7,
  boostFromAverage: true,
  numThreads: 0,
  deterministic: false,
  verbosity: 1,
  inertParams: new Map(),
};

function invalid(name: string, value: unknown, expected: string): LarderError {
  return new LarderError("INVALID_PARAMETER_VALUE", `parameter ${name} = ${JSON.stringify(value)} is invalid: expected ${expected}`, {
    hint: `see LightGBM's documentation of ${name}`,
  });
}

function asNumber(name: string, value: ParamValue): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw invalid(name, value, "a finite number");
  return n;
}

function asInt(name: string, value: ParamValue): number {
  const n = asNumber(name, value);
  if (!Number.isInteger(n)) throw invalid(name, value, "an integer");
  return n;
}

function asBool(name: string, value: ParamValue): boolean {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === "1" || value === "true" || value === "+") return true;
  if (value === 0 || value === "0" || value === "false" || value === "-") return false;
  throw invalid(name, value, "true or false");
}

/**
 * `interaction_constraints`: a list of lists, or LightGBM's text form `[0,1],[2,3]`. Entries are
 * feature indices, or names resolved against the training set's feature names.
 */
function parseInteractionConstraints(value: ParamValue): (number | string)[][] {
  if (value === undefined || value === null || value === "") return [];
  const toEntry = (item: unknown): number | string => {
    const text = String(item).trim();
    return /^-?\d+$/.test(text) ? Number(text) : text;
  };
  if (Array.isArray(value)) {
    if (!value.every((group) => Array.isArray(group))) throw invalid("interaction_constraints", value, "a list of lists of features");
    return (value as unknown[][]).map((group) => group.map(toEntry));
  }
  const groups = String(value).match(/\[[^\]]*\]/g);
  if (groups === null) throw invalid("interaction_constraints", value, "lists of features such as [0,1],[2,3]");
  return groups.map((group) => group.slice(1, -1).split(",").map((s) => s.trim()).filter((s) => s !== "").map(toEntry));
}

function asList(value: ParamValue): (string | number)[] {
  if (Array.isArray(value)) return [...(value as (string | number)[])];
  if (typeof value === "number") return [value];
  if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  return [];
}

function check(name: string, value: number, ok: boolean, expected: string): number {
  if (!ok) throw invalid(name, value, expected);
  return value;
}

/** Whether an unsupported parameter is set to its "off" value (booleans as 0/1). */
function isOffValue(key: string, value: ParamValue): boolean {
  const text = Array.isArray(value) ? value.join(",") : value === false ? "0" : value === true ? "1" : String(value ?? "").toLowerCase();
  const off = UNSUPPORTED_PARAMETER_OFF_VALUE.get(key);
  return text === off || (off === "0" && text === "false") || (off === "1" && text === "true");
}

/**
 * Collapse aliases onto canonical names; unknown names are an error naming the closest one.
 * Parameters without effect go to `inert` under LightGBM's name instead.
 */
export function canonicalizeParams(raw: RawParams, inert = new Map<string, ParamValue>()): Map<string, ParamValue> {
  const resolved = new Map<string, ParamValue>();
  const givenAs = new Map<string, string>();
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (NO_EFFECT_PARAMETERS.has(key)) {
      inert.set(NO_EFFECT_ALIASES.get(key) ?? key, value);
      continue;
    }
    if (UNSUPPORTED_PARAMETER_OFF_VALUE.has(key)) {
      if (isOffValue(key, value)) continue;
      throw new LarderError("NOT_IMPLEMENTED", `LightGBM parameter ${key}=${JSON.stringify(value)} is not supported by Larder's trainer`, {
        hint: `remove it or set it to ${JSON.stringify(UNSUPPORTED_PARAMETER_OFF_VALUE.get(key))}`,
      });
    }
    const name = CANONICAL_NAME.get(key);
    if (name === undefined) {
      const suggestion = nearestName(key, CANONICAL_NAME.keys());
      throw new LarderError("INVALID_PARAMETER_VALUE", `unknown parameter "${key}"; did you mean "${suggestion}"?`, {
        hint: "Larder's trainer accepts LightGBM's parameter names and aliases",
      });
    }
    const earlier = givenAs.get(name);
    if (earlier !== undefined && JSON.stringify(resolved.get(name)) !== JSON.stringify(value)) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `parameters "${earlier}" and "${key}" both set ${name} to different values`, {
        hint: `set ${name} once`,
      });
    }
    givenAs.set(name, key);
    resolved.set(name, value);
  }
  return resolved;
}

function resolveObjective(value: ParamValue): ObjectiveName {
  const name = String(value ?? "regression").trim().toLowerCase().split(" ")[0]!;
  const objective = OBJECTIVE_ALIASES[name];
  if (objective === undefined) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `objective "${name}" is not supported; did you mean "${nearestName(name, Object.keys(OBJECTIVE_ALIASES))}"?`, {
      hint: "supported: regression, regression_l1, huber, poisson, binary, multiclass, multiclassova",
    });
  }
  return objective as ObjectiveName;
}

function resolveMetrics(value: ParamValue, objective: ObjectiveName): MetricName[] {
  const names = asList(value ?? "").map((m) => String(m).toLowerCase());
  if (names.length === 0) return [DEFAULT_METRIC[objective] as MetricName];
  if (names.some((m) => NO_METRIC_NAMES.has(m))) return [];
  const metrics: MetricName[] = [];
  for (const m of names) {
    const metric = METRIC_ALIASES[m];
    if (metric === undefined) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `metric "${m}" is not supported; did you mean "${nearestName(m, Object.keys(METRIC_ALIASES))}"?`, {
        hint: "supported: l1, l2, rmse, huber, poisson, binary_logloss, binary_error, auc, multi_logloss, multi_error",
      });
    }
    if (!metrics.includes(metric as MetricName)) metrics.push(metric as MetricName);
  }
  return metrics;
}

/** `seed` re-derives LightGBM's sub-seeds from its LCG (src/io/config.cpp, `Config::Set`), in this order. */
function deriveSeeds(seed: number) {
  const rng = new LcgRandom(seed);
  const next = (): number => rng.nextShort(0, 32767);
  const dataRandomSeed = next();
  const baggingSeed = next();
  const dropSeed = next();
  const featureFractionSeed = next();
  const objectiveSeed = next();
  const extraSeed = next();
  return { dataRandomSeed, baggingSeed, dropSeed, featureFractionSeed, objectiveSeed, extraSeed };
}

export function resolveParams(raw: RawParams): TrainParams {
  const inertParams = new Map<string, ParamValue>();
  const given = canonicalizeParams(raw, inertParams);
  const get = (name: string): ParamValue => given.get(name);
  const has = (name: string): boolean => given.has(name) && given.get(name) !== null;
  const num = (name: string, fallback: number): number => (has(name) ? asNumber(name, get(name)) : fallback);
  const int = (name: string, fallback: number): number => (has(name) ? asInt(name, get(name)) : fallback);
  const bool = (name: string, fallback: boolean): boolean => (has(name) ? asBool(name, get(name)) : fallback);
  const d = DEFAULT_PARAMS;

  const boosting = String(get("boosting") ?? "gbdt").toLowerCase();
  // LightGBM 4 still reads boosting=goss as gbdt with data_sample_strategy=goss.
  const randomForest = boosting === "rf" || boosting === "random_forest";
  if (boosting !== "gbdt" && boosting !== "gbrt" && boosting !== "goss" && boosting !== "dart" && !randomForest) {
    throw new LarderError("NOT_IMPLEMENTED", `boosting "${boosting}" is not supported`, { hint: "use gbdt, rf, dart or goss" });
  }
  const strategy = boosting === "goss" ? "goss" : String(get("data_sample_strategy") ?? "bagging").toLowerCase();
  if (strategy !== "bagging" && strategy !== "goss") {
    throw invalid("data_sample_strategy", strategy, "bagging or goss");
  }
  const objective = resolveObjective(get("objective"));
  const method = String(get("monotone_constraints_method") ?? "basic").toLowerCase();
  if (method !== "basic") {
    throw new LarderError("NOT_IMPLEMENTED", `monotone_constraints_method "${method}" is not supported`, {
      hint: "use monotone_constraints_method=basic (LightGBM's default)",
    });
  }
  const seed = has("seed") ? asInt("seed", get("seed")) : null;
  const derived = seed === null ? null : deriveSeeds(seed);
  if (derived !== null) {
    for (const [name, value] of [["objective_seed", derived.objectiveSeed]] as const) {
      if (!inertParams.has(name)) inertParams.set(name, value);
    }
  }
  const params: TrainParams = {
    boosting: boosting === "dart" ? "dart" : randomForest ? "rf" : "gbdt",
    dropRate: num("drop_rate", d.dropRate),
    maxDrop: int("max_drop", d.maxDrop),
    skipDrop: num("skip_drop", d.skipDrop),
    xgboostDartMode: bool("xgboost_dart_mode", d.xgboostDartMode),
    uniformDrop: bool("uniform_drop", d.uniformDrop),
    dropSeed: int("drop_seed", derived?.dropSeed ?? d.dropSeed),
    objective,
    numClass: int("num_class", d.numClass),
    numIterations: int("num_iterations", d.numIterations),
    learningRate: num("learning_rate", d.learningRate),
    numLeaves: int("num_leaves", d.numLeaves),
    maxDepth: int("max_depth", d.maxDepth),
    minDataInLeaf: int("min_data_in_leaf", d.minDataInLeaf),
    minSumHessianInLeaf: num("min_sum_hessian_in_leaf", d.minSumHessianInLeaf),
    maxBin: int("max_bin", d.maxBin),
    minDataInBin: int("min_data_in_bin", d.minDataInBin),
    binConstructSampleCount: int("bin_construct_sample_cnt", d.binConstructSampleCount),
    lambdaL1: num("lambda_l1", d.lambdaL1),
    lambdaL2: num("lambda_l2", d.lambdaL2),
    minGainToSplit: num("min_gain_to_split", d.minGainToSplit),
    maxDeltaStep: num("max_delta_step", d.maxDeltaStep),
    featureFraction: num("feature_fraction", d.featureFraction),
    featureFractionByNode: num("feature_fraction_bynode", d.featureFractionByNode),
    baggingFraction: num("bagging_fraction", d.baggingFraction),
    posBaggingFraction: num("pos_bagging_fraction", d.posBaggingFraction),
    negBaggingFraction: num("neg_bagging_fraction", d.negBaggingFraction),
    baggingFreq: int("bagging_freq", d.baggingFreq),
    dataSampleStrategy: strategy,
    topRate: num("top_rate", d.topRate),
    otherRate: num("other_rate", d.otherRate),
    seed,
    dataRandomSeed: int("data_random_seed", derived?.dataRandomSeed ?? d.dataRandomSeed),
    baggingSeed: int("bagging_seed", derived?.baggingSeed ?? d.baggingSeed),
    featureFractionSeed: int("feature_fraction_seed", derived?.featureFractionSeed ?? d.featureFractionSeed),
    extraTrees: bool("extra_trees", d.extraTrees),
    extraSeed: int("extra_seed", derived?.extraSeed ?? d.extraSeed),
    earlyStoppingRound: int("early_stopping_round", d.earlyStoppingRound),
    earlyStoppingMinDelta: num("early_stopping_min_delta", d.earlyStoppingMinDelta),
    firstMetricOnly: bool("first_metric_only", d.firstMetricOnly),
    categoricalFeature: asList(get("categorical_feature")).map((c) => (typeof c === "string" && /^-?\d+$/.test(c) ? Number(c) : c)),
    maxCatToOnehot: int("max_cat_to_onehot", d.maxCatToOnehot),
    catSmooth: num("cat_smooth", d.catSmooth),
    catL2: num("cat_l2", d.catL2),
    maxCatThreshold: int("max_cat_threshold", d.maxCatThreshold),
    minDataPerGroup: int("min_data_per_group", d.minDataPerGroup),
    pathSmooth: num("path_smooth", d.pathSmooth),
    featureContri: asList(get("feature_contri")).map((c) => asNumber("feature_contri", c)),
    maxBinByFeature: asList(get("max_bin_by_feature")).map((c) => asInt("max_bin_by_feature", c)),
    interactionConstraints: parseInteractionConstraints(get("interaction_constraints")),
    monotoneConstraints: asList(get("monotone_constraints")).map((c) => asInt("monotone_constraints", c)),
    monotonePenalty: num("monotone_penalty", d.monotonePenalty),
    zeroAsMissing: bool("zero_as_missing", d.zeroAsMissing),
    useMissing: bool("use_missing", d.useMissing),
    featurePreFilter: bool("feature_pre_filter", d.featurePreFilter),
    isUnbalance: bool("is_unbalance", d.isUnbalance),
    scalePosWeight: num("scale_pos_weight", d.scalePosWeight),
    sigmoid: num("sigmoid", d.sigmoid),
    alpha: num("alpha", d.alpha),
    poissonMaxDeltaStep: num("poisson_max_delta_step", d.poissonMaxDeltaStep),
    boostFromAverage: bool("boost_from_average", d.boostFromAverage),
    metric: resolveMetrics(get("metric"), objective),
    numThreads: int("num_threads", d.numThreads),
    deterministic: bool("deterministic", d.deterministic),
    verbosity: int("verbosity", d.verbosity),
    inertParams,
  };
  validateParams(params);
  // As LightGBM's `CheckParamConflict`: a depth limit without an explicit num_leaves caps the
  // leaves at 2^max_depth (which the model's parameters section then shows).
  if (params.maxDepth > 0 && !has("num_leaves")) params.numLeaves = Math.min(params.numLeaves, 2 ** Math.min(params.maxDepth, 30));
  // Also as LightGBM: smoothing needs at least two rows per leaf.
  if (params.pathSmooth > K_EPSILON && params.minDataInLeaf < 2) params.minDataInLeaf = 2;
  return params;
}

function validateParams(p: TrainParams): void {
  check("num_iterations", p.numIterations, p.numIterations >= 0, "an integer >= 0");
  check("learning_rate", p.learningRate, p.learningRate > 0, "a number > 0");
  check("num_leaves", p.numLeaves, p.numLeaves > 1 && p.numLeaves <= 131072, "an integer in 2..131072");
  check("min_data_in_leaf", p.minDataInLeaf, p.minDataInLeaf >= 0, "an integer >= 0");
  check("min_sum_hessian_in_leaf", p.minSumHessianInLeaf, p.minSumHessianInLeaf >= 0, "a number >= 0");
  check("max_bin", p.maxBin, p.maxBin > 1 && p.maxBin <= 65535, "an integer in 2..65535");
  check("min_data_in_bin", p.minDataInBin, p.minDataInBin > 0, "an integer > 0");
  check("bin_construct_sample_cnt", p.binConstructSampleCount, p.binConstructSampleCount > 0, "an integer > 0");
  check("lambda_l1", p.lambdaL1, p.lambdaL1 >= 0, "a number >= 0");
  check("lambda_l2", p.lambdaL2, p.lambdaL2 >= 0, "a number >= 0");
  check("min_gain_to_split", p.minGainToSplit, p.minGainToSplit >= 0, "a number >= 0");
  check("feature_fraction", p.featureFraction, p.featureFraction > 0 && p.featureFraction <= 1, "a number in (0, 1]");
  check("feature_fraction_bynode", p.featureFractionByNode, p.featureFractionByNode > 0 && p.featureFractionByNode <= 1, "a number in (0, 1]");
  check("bagging_fraction", p.baggingFraction, p.baggingFraction > 0 && p.baggingFraction <= 1, "a number in (0, 1]");
  check("pos_bagging_fraction", p.posBaggingFraction, p.posBaggingFraction > 0 && p.posBaggingFraction <= 1, "a number in (0, 1]");
  check("neg_bagging_fraction", p.negBaggingFraction, p.negBaggingFraction > 0 && p.negBaggingFraction <= 1, "a number in (0, 1]");
  check("bagging_freq", p.baggingFreq, p.baggingFreq >= 0, "an integer >= 0");
  if (p.boosting === "rf" && p.dataSampleStrategy === "bagging") {
    const bagging = p.baggingFreq > 0 && p.baggingFraction < 1;
    if (!bagging && !(p.featureFraction < 1)) {
      // LightGBM checks the same before building a forest.
      throw new LarderError("INVALID_PARAMETER_VALUE", "random forest mode needs bagging or feature sampling", {
        hint: "set bagging_freq > 0 with bagging_fraction < 1, or feature_fraction < 1",
      });
    }
  }
  if (p.dataSampleStrategy === "goss") {
    check("top_rate", p.topRate, p.topRate > 0, "a number > 0");
    check("other_rate", p.otherRate, p.otherRate > 0, "a number > 0");
    check("other_rate", p.otherRate, p.topRate + p.otherRate <= 1, "at most 1 - top_rate");
    if (p.baggingFreq > 0 && p.baggingFraction !== 1) {
      throw new LarderError("INVALID_PARAMETER_VALUE", "bagging cannot be combined with GOSS sampling", {
        hint: "drop bagging_fraction/bagging_freq or use data_sample_strategy=bagging",
      });
    }
  }
  check("early_stopping_round", p.earlyStoppingRound, p.earlyStoppingRound >= 0, "an integer >= 0");
  check("max_cat_to_onehot", p.maxCatToOnehot, p.maxCatToOnehot > 0, "an integer > 0");
  check("cat_smooth", p.catSmooth, p.catSmooth >= 0, "a number >= 0");
  check("cat_l2", p.catL2, p.catL2 >= 0, "a number >= 0");
  check("max_cat_threshold", p.maxCatThreshold, p.maxCatThreshold > 0, "an integer > 0");
  check("min_data_per_group", p.minDataPerGroup, p.minDataPerGroup > 0, "an integer > 0");
  check("path_smooth", p.pathSmooth, p.pathSmooth >= 0, "a number >= 0");
  for (const m of p.maxBinByFeature) check("max_bin_by_feature", m, m > 1, "integers > 1");
  check("drop_rate", p.dropRate, p.dropRate >= 0 && p.dropRate <= 1, "a number in [0, 1]");
  check("skip_drop", p.skipDrop, p.skipDrop >= 0 && p.skipDrop <= 1, "a number in [0, 1]");
  check("monotone_penalty", p.monotonePenalty, p.monotonePenalty >= 0, "a number >= 0");
  for (const c of p.monotoneConstraints) check("monotone_constraints", c, c === -1 || c === 0 || c === 1, "-1, 0 or 1 per feature");
  if (p.objective === "regression_l1" && p.monotoneConstraints.length > 0) {
    // As LightGBM: leaf outputs renewed from residual medians would break the bounds.
    throw new LarderError("INVALID_PARAMETER_VALUE", "monotone_constraints cannot be used with the regression_l1 objective", {
      hint: "drop monotone_constraints or use another objective",
    });
  }
  check("scale_pos_weight", p.scalePosWeight, p.scalePosWeight > 0, "a number > 0");
  check("sigmoid", p.sigmoid, p.sigmoid > 0, "a number > 0");
  check("alpha", p.alpha, p.alpha > 0, "a number > 0");
  const multi = p.objective === "multiclass" || p.objective === "multiclassova";
  if (multi && p.numClass < 2) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `objective ${p.objective} needs num_class >= 2, got ${p.numClass}`, {
      hint: "set num_class to the number of classes",
    });
  }
  if (!multi && p.numClass !== 1) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `num_class = ${p.numClass} only makes sense with a multiclass objective, not ${p.objective}`, {
      hint: "set objective=multiclass, or drop num_class",
    });
  }
  if (p.isUnbalance && p.scalePosWeight !== 1) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "is_unbalance and scale_pos_weight cannot both be set", {
      hint: "use one of them",
    });
  }
  for (const m of p.metric) {
    const multiMetric = m === "multi_logloss" || m === "multi_error";
    if (multiMetric !== multi) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `metric ${m} does not fit objective ${p.objective}`, {
        hint: multi ? "use multi_logloss or multi_error" : "use a metric for a single output, such as l2 or binary_logloss",
      });
    }
  }
}
