import { dumpPythonYaml } from "../tracking/pythonYaml.js";
import type { ModelVersion, ModelVersionStage, RegisteredModel } from "./entities.js";

/** The exact key sets MLflow's registry file store writes for models and versions. */

export interface RegisteredModelMeta {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string | null;
  /** alias → version, a possibly stale copy of `aliases/` that MLflow persists. */
  aliases: Record<string, number>;
}

export function registeredModelToMetaYaml(model: RegisteredModelMeta): string {
  const aliases: Record<string, string> = {};
  for (const [alias, version] of Object.entries(model.aliases)) aliases[alias] = String(version);
  return dumpPythonYaml({
    aliases,
    creation_timestamp: model.creationTimestamp,
    deployment_job_id: null,
    deployment_job_state: null,
    description: model.description,
    last_updated_timestamp: model.lastUpdatedTimestamp,
    name: model.name,
  });
}

export function registeredModelFromMeta(meta: Record<string, unknown>): Omit<RegisteredModel, "tags" | "latestVersions" | "aliases"> {
  return {
    name: String(meta.name),
    creationTimestamp: Number(meta.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(meta.last_updated_timestamp ?? meta.creation_timestamp ?? 0),
    description: meta.description === null || meta.description === undefined ? null : String(meta.description),
  };
}

export type ModelVersionMeta = Omit<ModelVersion, "tags" | "aliases" | "currentStage"> & { currentStage: ModelVersionStage | "Deleted_Internal" };

export function modelVersionToMetaYaml(v: ModelVersionMeta): string {
  return dumpPythonYaml({
    creation_timestamp: v.creationTimestamp,
    current_stage: v.currentStage,
    deployment_job_state: null,
    description: v.description,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    model_id: v.modelId,
    name: v.name,
    run_id: v.runId,
    run_link: v.runLink,
    source: v.source,
    status: v.status,
    status_message: v.statusMessage,
    storage_location: v.storageLocation,
    user_id: v.userId,
    version: v.version,
  });
}

const nullableString = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function modelVersionFromMeta(meta: Record<string, unknown>): ModelVersionMeta {
  return {
    name: String(meta.name),
    version: Number(meta.version),
    creationTimestamp: Number(meta.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(meta.last_updated_timestamp ?? meta.creation_timestamp ?? 0),
    currentStage: (nullableString(meta.current_stage) ?? "None") as ModelVersionMeta["currentStage"],
    description: nullableString(meta.description),
    source: String(meta.source ?? ""),
    runId: nullableString(meta.run_id),
    runLink: nullableString(meta.run_link),
    status: "READY",
    statusMessage: nullableString(meta.status_message),
    storageLocation: nullableString(meta.storage_location),
    userId: nullableString(meta.user_id),
    modelId: nullableString(meta.model_id),
  };
}
