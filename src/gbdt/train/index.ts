export { train } from "./train.js";
export type { EvalResult, IterationInfo, TrainCallback, TrainOptions, TrainResult, TrainSet, ValidSet } from "./train.js";
export { resolveParams, DEFAULT_PARAMS } from "./params.js";
export type { MetricName, ObjectiveName, RawParams, TrainParams } from "./params.js";
