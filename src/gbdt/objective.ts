/**
 * The `objective=` line of a model and the output transform it implies (LightGBM's
 * `ConvertOutput`): raw scores to probabilities, counts or values.
 */
import { LarderError } from "../errors.js";
import { correctlyRoundedExp as exp } from "./correctlyRoundedExp.js";

export interface ObjectiveSpec {
  /** Canonical LightGBM name after alias resolution, e.g. `regression`, `multiclass`; `custom` if none. */
  name: string;
  /** `key:value` options of the line, e.g. `sigmoid` → `1`, `num_class` → `3`. */
  options: Map<string, string>;
  /** Bare flags of the line, e.g. `sqrt`. */
  flags: Set<string>;
}

const ALIASES: Record<string, string> = {
  regression_l2: "regression",
  mean_squared_error: "regression",
  mse: "regression",
  l2: "regression",
  l2_root: "regression",
  root_mean_squared_error: "regression",
  rmse: "regression",
  mean_absolute_error: "regression_l1",
  l1: "regression_l1",
  mae: "regression_l1",
  softmax: "multiclass",
  multiclass_ova: "multiclassova",
  ova: "multiclassova",
  ovr: "multiclassova",
  xentropy: "cross_entropy",
  xentlambda: "cross_entropy_lambda",
  mean_absolute_percentage_error: "mape",
  xendcg: "rank_xendcg",
  xe_ndcg: "rank_xendcg",
  xe_ndcg_mart: "rank_xendcg",
  xendcg_mart: "rank_xendcg",
  none: "custom",
  null: "custom",
  na: "custom",
};

export function parseObjective(line: string): ObjectiveSpec {
  const tokens = line.split(" ").filter((token) => token.length > 0);
  const first = tokens[0] ?? "custom";
  const name = ALIASES[first] ?? first;
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (const token of tokens.slice(1)) {
    const colon = token.indexOf(":");
    if (colon < 0) flags.add(token);
    else options.set(token.slice(0, colon), token.slice(colon + 1));
  }
  return { name, options, flags };
}

/** Rewrites `values[offset .. offset+width)` from raw scores to the objective's output. */
export type OutputTransform = (values: Float64Array, offset: number, width: number) => void;

function sigmoidOption(spec: ObjectiveSpec): number {
  const text = spec.options.get("sigmoid");
  const sigmoid = text === undefined ? 1 : Number(text);
  if (!Number.isFinite(sigmoid)) {
    throw new LarderError("DATA_ERROR", `the objective's sigmoid option '${text}' is not a number`);
  }
  return sigmoid;
}

const identity: OutputTransform = () => {};

function logistic(scale: number): OutputTransform {
  return (values, offset, width) => {
    for (let k = offset; k < offset + width; k++) values[k] = 1 / (1 + exp(-scale * values[k]!));
  };
}

const softmax: OutputTransform = (values, offset, width) => {
  let max = values[offset]!;
  for (let k = offset + 1; k < offset + width; k++) max = Math.max(values[k]!, max);
  let sum = 0;
  for (let k = offset; k < offset + width; k++) {
    values[k] = exp(values[k]! - max);
    sum += values[k]!;
  }
  for (let k = offset; k < offset + width; k++) values[k] = values[k]! / sum;
};

const exponential: OutputTransform = (values, offset, width) => {
  for (let k = offset; k < offset + width; k++) values[k] = exp(values[k]!);
};

const signedSquare: OutputTransform = (values, offset, width) => {
  for (let k = offset; k < offset + width; k++) {
    const r = values[k]!;
    values[k] = (r > 0 ? 1 : r < 0 ? -1 : 0) * r * r;
  }
};

const softplus: OutputTransform = (values, offset, width) => {
  for (let k = offset; k < offset + width; k++) values[k] = Math.log1p(exp(values[k]!));
};

/** The transform LightGBM applies for this objective when a raw score is not requested. */
export function outputTransform(spec: ObjectiveSpec): OutputTransform {
  switch (spec.name) {
    case "binary":
    case "multiclassova":
      return logistic(sigmoidOption(spec));
    case "multiclass":
      return softmax;
    case "cross_entropy":
      return logistic(1);
    case "cross_entropy_lambda":
      return softplus;
    case "poisson":
    case "gamma":
    case "tweedie":
      return exponential;
    case "regression":
    case "regression_l1":
    case "fair":
    case "quantile":
    case "mape":
      return spec.flags.has("sqrt") ? signedSquare : identity;
    case "huber":
    case "lambdarank":
    case "rank_xendcg":
    case "custom":
      return identity;
    default:
      throw new LarderError("NOT_IMPLEMENTED", `unknown objective '${spec.name}' in the model; cannot transform raw scores`, {
        hint: "predict with rawScore: true to get untransformed scores",
      });
  }
}
