// Public face of the booster. Keep this a plain list of re-exports.
export { Booster } from "./booster.js";
export type { IterationOptions, PredictOptions } from "./booster.js";
export type { WriteModelOptions } from "./modelWriter.js";
export type { ImportanceType } from "./importance.js";
export type { RowsInput } from "./rows.js";
export type { CellValue } from "./pandasCategorical.js";
export { parseObjective } from "./objective.js";
export type { ObjectiveSpec } from "./objective.js";
export { formatG, formatHighPrecision, parseNumberToken } from "./numberFormat.js";
export {
  DECISION_CATEGORICAL_MASK,
  DECISION_DEFAULT_LEFT_MASK,
  MISSING_TYPE_NAN,
  MISSING_TYPE_NONE,
  MISSING_TYPE_ZERO,
  missingTypeOf,
} from "./tree.js";
export type { ModelMeta, TreeData } from "./tree.js";
export { train, resolveParams, DEFAULT_PARAMS } from "./train/index.js";
export type {
  TrainSet,
  ValidSet,
  TrainOptions,
  TrainResult,
  TrainCallback,
  IterationInfo,
  EvalResult,
  TrainParams,
  RawParams,
  ObjectiveName,
  MetricName,
} from "./train/index.js";
export { createDataset, createValidationDataset } from "./dataset/index.js";
export type { BinnedDataset, DatasetOptions, BinMapper, FeatureColumns } from "./dataset/index.js";
