export type {
  Experiment,
  RunInfo,
  Run,
  RunData,
  Metric,
  Param,
  RunTag,
  RunStatus,
  LifecycleStage,
  ViewType,
  ArtifactInfo,
} from "./entities.js";
export { RUN_STATUS_CODES, parseRunStatus } from "./entities.js";
export {
  AbstractTrackingStore,
  type TrackingStore,
  type CreateExperimentOptions,
  type CreateRunOptions,
  type UpdateRunOptions,
  type LogBatchInput,
  type LogMetricOptions,
  type SearchRunsOptions,
  type SearchRunsResult,
} from "./TrackingStore.js";
export {
  FileTrackingStore,
  localPathFromUri,
  DEFAULT_EXPERIMENT_ID,
  DEFAULT_EXPERIMENT_NAME,
} from "./FileTrackingStore.js";
export {
  resolveTrackingUri,
  getTrackingStore,
  localStoreRoot,
  trackingStoreFactories,
  uriScheme,
  DEFAULT_TRACKING_URI,
  type TrackingStoreFactory,
} from "./trackingUri.js";
export {
  createExperiment,
  getExperiment,
  getExperimentByName,
  getOrCreateExperiment,
  listExperiments,
  deleteExperiment,
  restoreExperiment,
  startRun,
  endRun,
  getRun,
  logMetric,
  logMetrics,
  logParam,
  logParams,
  setTag,
  setTags,
  deleteTag,
  getMetricHistory,
  logArtifact,
  logArtifacts,
  logText,
  listArtifacts,
  getArtifactLocalPath,
  searchRuns,
  deleteRun,
  restoreRun,
  type TrackingOptions,
  type StartRunOptions,
  type SearchRunsRequest,
} from "./client.js";
export * as reservedTags from "./reservedTags.js";
export { formatPythonFloat, parsePythonFloat } from "./pythonFloat.js";
export { dumpPythonYaml, parsePythonYaml, YamlFloat, type YamlValue, type DumpOptions } from "./pythonYaml.js";
export { currentUser, gitCommitOf, defaultRunContextTags } from "./runContext.js";
export {
  SearchFilterError,
  parseSearchFilter,
  matchesFilter,
  parseOrderBy,
  sortRuns,
  searchRunsInMemory,
  type FilterClause,
  type Comparator,
  type OrderByClause,
} from "./search/index.js";
