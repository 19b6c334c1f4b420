import type { ModelVersion, ModelVersionStage, RegisteredModel, StageTransition } from "./entities.js";

export interface RegisterModelOptions {
  description?: string;
  tags?: Record<string, string>;
}

export interface TransitionOptions {
  /** Move every other version now in the target stage to Archived (only for Staging / Production). */
  archiveExisting?: boolean;
  /**
   * Promotion gate(s): search-filter expressions such as `metrics.f1_macro >= 0.9`, evaluated
   * against the version's run. If any clause fails, nothing changes and INVALID_STATE is thrown
   * with the measured values.
   */
  require?: string | string[];
}

export interface RollbackResult {
  /** The version put back into Production. */
  restored: ModelVersion;
  /** The versions that were in Production and are now Archived. */
  archived: ModelVersion[];
}

/**
 * The model registry contract. Names are exact (case-sensitive); versions are positive integers
 * (strings of digits accepted). Unknown models or versions (including soft-deleted ones) throw
 * RESOURCE_DOES_NOT_EXIST; bad names, stages or aliases throw INVALID_PARAMETER_VALUE. Version
 * numbers are unique and increasing even when several processes register at once, and are never
 * reused after a delete. Every change bumps the model's `lastUpdatedTimestamp` (epoch ms).
 */
export interface ModelRegistry {
  createRegisteredModel(name: string, options?: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** Sorted by name. */
  listRegisteredModels(): Promise<RegisteredModel[]>;
  updateRegisteredModel(name: string, update: { description: string }): Promise<RegisteredModel>;
  /** Removes the model and all its versions. */
  deleteRegisteredModel(name: string): Promise<void>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  /**
   * Registers `modelUri` (`runs:/RUN/path`, `models:/m-…`, `models:/NAME/N`, a `file:` URI or path)
   * as the next version of `name`, creating the model if it is new. The run id and source are
   * recorded as MLflow records them.
   */
  registerModel(modelUri: string, name: string, options?: RegisterModelOptions): Promise<ModelVersion>;
  createModelVersion(name: string, source: string, options?: RegisterModelOptions & { runId?: string }): Promise<ModelVersion>;
  getModelVersion(name: string, version: number | string): Promise<ModelVersion>;
  /** Live versions, ascending. */
  listModelVersions(name: string): Promise<ModelVersion[]>;
  /** For each stage (all four by default) the highest version in it. */
  getLatestVersions(name: string, stages?: ModelVersionStage[]): Promise<ModelVersion[]>;
  updateModelVersion(name: string, version: number | string, update: { description: string }): Promise<ModelVersion>;
  /** `storageLocation`, else `source`. */
  getModelVersionDownloadUri(name: string, version: number | string): Promise<string>;
  setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: number | string, key: string): Promise<void>;
  /** Soft delete; aliases pointing at the version are removed. */
  deleteModelVersion(name: string, version: number | string): Promise<void>;

  /** Stage names are matched case-insensitively (None, Staging, Production, Archived). */
  transitionModelVersionStage(name: string, version: number | string, stage: string, options?: TransitionOptions): Promise<ModelVersion>;
  checkPromotionGate(name: string, version: number | string, requirements: string | string[]): Promise<void>;
  /** Previous Production version back to Production, current one(s) archived. */
  rollback(name: string): Promise<RollbackResult>;
  getStageHistory(name: string, version: number | string): Promise<StageTransition[]>;

  setRegisteredModelAlias(name: string, alias: string, version: number | string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  /** `latest` means the highest live version; an unknown alias is INVALID_PARAMETER_VALUE (as in MLflow). */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
}
