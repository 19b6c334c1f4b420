export { loadModel, LoadedModel, type MLmodelFile } from "./loadModel.js";
export {
  parseSignature,
  describeColumns,
  isColumnSpecs,
  type ModelSignature,
  type ColumnSpec,
  type ColumnType,
  type TensorSpec,
} from "./signature.js";
export { predictFile, predictionColumns, tableReader, tableWriterOptions, type PredictFileOptions, type PredictFileResult, type PredictionKind } from "./predictFile.js";
export { loadModelUri } from "./loadModelUri.js";
export { saveLightGBMModel, MLFLOW_FORMAT_VERSION, LIGHTGBM_FORMAT_VERSION, type SaveLightGBMModelOptions } from "./saveLightGBMModel.js";
export { trainRun, plannedRounds, metricKeyPart, type TrainRunOptions, type TrainRunResult, type TrainRunProgress, type TrainedRun } from "./trainRun.js";
export { parseGrid, parseParamValue, gridTrials, randomTrials, type SearchSpace, type ParamValue } from "./searchSpace.js";
export { classificationReport, reportAsSklearnDict, rocAuc, type ClassificationReport } from "./classificationMetrics.js";
export { readTrainingTable, encodeLabels, defaultFeatureColumns, fileSha256, type TrainingTable } from "./trainingData.js";
export { confusionMatrixSvg, barChartSvg, renderPng, BUNDLED_FONT } from "./plots/index.js";
