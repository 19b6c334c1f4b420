export { createScoringServer, VARIANT_HEADER, STICKY_KEY_HEADER, type ScoringServer, type ScoringServerOptions } from "./scoringServer.js";
export { ModelSource, type ServedModel } from "./modelSource.js";
export { chooseVariant, parseVariantSpec, stableHash, type Variant, type VariantSpec } from "./trafficSplit.js";
export { PredictionLog, predictionLogSql, type PredictionRecord, type PredictionLogOptions } from "./predictionLog.js";
export { parseInvocation, checkContentType, type Invocation, type TabularInput } from "./parseInvocation.js";
export { enforceSchema, expectedColumns } from "./enforceSchema.js";
export { predictionValues, predictionsBody, type OutputKind } from "./predictionResponse.js";
export { ScoringError } from "./scoringError.js";
export { parseCsv } from "./parseCsv.js";
