export { Entity, type EntityOptions } from "./definitions/Entity.js";
export { Field, type FieldOptions } from "./definitions/Field.js";
export { FileSource, type FileSourceOptions, type FileFormat } from "./definitions/FileSource.js";
export { PushSource, type PushSourceOptions } from "./definitions/PushSource.js";
export {
  FeatureView,
  type FeatureViewOptions,
  type FeatureViewProjection,
  type Aggregation,
  type AggregationOptions,
  type AggregationFunction,
} from "./definitions/FeatureView.js";
export { OnDemandFeatureView, type OnDemandFeatureViewOptions, type OnDemandTransform, type Columns } from "./definitions/OnDemandFeatureView.js";
export { FeatureService, type FeatureServiceOptions, type FeatureServiceMember } from "./definitions/FeatureService.js";
export {
  Float32,
  Float64,
  Int32,
  Int64,
  String,
  Bool,
  UnixTimestamp,
  Bytes,
  ArrayOf,
  ArrayOf as Array,
  type FeatureType,
  type PrimitiveType,
  type ArrayType,
} from "./definitions/dtypes.js";
export type * from "./definitions/specs.js";
export {
  FeatureStore,
  type OpenOptions,
  type PlanOptions,
  type PlanResult,
  type FeatureChoice,
  type HistoricalFeaturesOptions,
  type OnlineFeaturesOptions,
  type MaterializeOptions,
  type MaterializeResult,
  type DescribedObject,
} from "./FeatureStore.js";
export { writeHistoricalFeatures } from "./writeHistoricalFeatures.js";
export { loadRepoConfig, parseRepoConfig, CONFIG_FILE, type RepoConfig, type OnlineStoreConfig } from "./config.js";
export { loadDefinitions, DEFINITIONS_FILE } from "./loadDefinitions.js";
export { resolveRepo, type ResolvedRepo } from "./definitions/resolveRepo.js";
export { diffDefinitions, planLines, type Plan, type ObjectChange, type InfraChange } from "./registry/diffDefinitions.js";
export { FileFeatureRegistry } from "./registry/FileFeatureRegistry.js";
export type { RegistryDocument, ObjectMeta, MaterializationInterval } from "./registry/registryDocument.js";
export { RetrievalJob } from "./offline/RetrievalJob.js";
export { DuckDBOfflineStore } from "./offline/DuckDBOfflineStore.js";
export { pointInTimeJoin } from "./offline/offlineSql.js";
export type { OfflineStore, EntityRows } from "./offline/OfflineStore.js";
export type { OnlineStore, OnlineRecord } from "./online/OnlineStore.js";
export { ONLINE_STORE_TYPES, type OnlineStoreType } from "./online/onlineStoreTypes.js";
export { serializeEntityKey } from "./online/entityKey.js";
export { stringifyOnlineResponse, type OnlineResponse, type FieldStatus } from "./online/onlineResponse.js";
export type { OnlineEntityRows } from "./online/getOnlineFeatures.js";
export type { MaterializedView } from "./materialize.js";
export type { PushResult, PushTarget } from "./push.js";
export { featureRefs, parseFeatureRef, selectFeatures } from "./featureRefs.js";
export { toEpochMicros, formatEpochMicros } from "./time.js";
export { createFeatureServer, type FeatureServer, type FeatureServerOptions } from "./server/featureServer.js";
