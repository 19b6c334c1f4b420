export { validateData, type ValidationReport, type ExpectationResult, type ValidateDataOptions } from "./validation/validateData.js";
export { parseExpectations, loadExpectations, type Expectations, type ColumnExpectation } from "./validation/expectations.js";
export { monitorDrift, PREDICTION_ROW, type MonitorDriftOptions, type DriftReport, type FeatureDrift } from "./drift/monitorDrift.js";
export { parseThresholds, DEFAULT_THRESHOLDS, type DriftThresholds } from "./drift/thresholds.js";
export { driftReportHtml, histogramSvg } from "./drift/html.js";
export { PSI_QUANTILES, type ColumnDrift, type Histogram } from "./drift/featureStats.js";
export { runIdOf } from "./drift/runReference.js";
export { variantReport, type VariantReport, type VariantSummary, type VariantReportOptions } from "./variants/variantReport.js";
export {
  populationStabilityIndex,
  ksStatistic,
  ksPValue,
  chiSquareHomogeneity,
  twoProportionZTest,
  kolmogorovSurvival,
  chiSquareSurvival,
  normalSurvival,
  PSI_EPSILON,
} from "./stats/index.js";
