import { LarderError } from "../errors.js";
import { RUN_STATUS_CODES, runStatusFromCode, type Experiment, type LifecycleStage, type RunInfo } from "./entities.js";
import { dumpPythonYaml, parsePythonYaml, type YamlValue } from "./pythonYaml.js";

/** Mapping between Larder's entities and the exact key sets MLflow's file store writes. */

function asRecord(parsed: unknown, path: string): Record<string, unknown> {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new LarderError("INTERNAL_ERROR", `Malformed meta.yaml at '${path}': expected a mapping`, {
      hint: "The file may be truncated; restore it from a backup or delete the object's folder.",
    });
  }
  return parsed as Record<string, unknown>;
}

export function parseMetaYaml(text: string, path: string): Record<string, unknown> {
  try {
    return asRecord(parsePythonYaml(text), path);
  } catch (err) {
    if (err instanceof LarderError) throw err;
    throw new LarderError("INTERNAL_ERROR", `Malformed meta.yaml at '${path}': ${(err as Error).message}`, { cause: err });
  }
}

function optionalNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function lifecycle(value: unknown): LifecycleStage {
  // Missing lifecycle_stage means active (pre-1.0 stores did not write it).
  return value === "deleted" ? "deleted" : "active";
}

export function experimentFromMeta(meta: Record<string, unknown>, tags: Record<string, string>): Experiment {
  return {
    // Legacy stores wrote experiment_id as an int.
    experimentId: String(meta.experiment_id),
    name: String(meta.name ?? ""),
    artifactLocation: String(meta.artifact_location ?? ""),
    lifecycleStage: lifecycle(meta.lifecycle_stage),
    creationTime: optionalNumber(meta.creation_time),
    lastUpdateTime: optionalNumber(meta.last_update_time),
    tags,
  };
}

export function experimentToMetaYaml(experiment: Experiment): string {
  return dumpPythonYaml({
    artifact_location: experiment.artifactLocation,
    creation_time: experiment.creationTime,
    experiment_id: experiment.experimentId,
    last_update_time: experiment.lastUpdateTime,
    lifecycle_stage: experiment.lifecycleStage,
    name: experiment.name,
  });
}

export function runInfoFromMeta(meta: Record<string, unknown>, runNameTag: string | undefined): RunInfo {
  const runName = typeof meta.run_name === "string" && meta.run_name !== "" ? meta.run_name : (runNameTag ?? "");
  return {
    // MLflow 2.x wrote run_uuid (same value); 3.x only run_id.
    runId: String(meta.run_id ?? meta.run_uuid),
    experimentId: String(meta.experiment_id),
    runName,
    userId: meta.user_id === null || meta.user_id === undefined ? "unknown" : String(meta.user_id),
    status: meta.status === undefined || meta.status === null ? "RUNNING" : runStatusFromCode(meta.status),
    startTime: optionalNumber(meta.start_time),
    endTime: optionalNumber(meta.end_time),
    artifactUri: String(meta.artifact_uri ?? ""),
    lifecycleStage: lifecycle(meta.lifecycle_stage),
    deletedTime: optionalNumber(meta.deleted_time),
  };
}

/**
 * MLflow writes `deleted_time: null` only when the run is created; every later rewrite omits the
 * key unless the run is deleted.
 */
export function runInfoToMetaYaml(info: RunInfo, options: { creating?: boolean } = {}): string {
  const meta: Record<string, YamlValue | undefined> = {
    artifact_uri: info.artifactUri,
    deleted_time: info.lifecycleStage === "deleted" ? info.deletedTime : options.creating ? null : undefined,
    end_time: info.endTime,
    entry_point_name: "",
    experiment_id: info.experimentId,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
    run_name: info.runName,
    source_name: "",
    source_type: 4,
    source_version: "",
    start_time: info.startTime,
    status: RUN_STATUS_CODES[info.status],
    tags: [],
    user_id: info.userId,
  };
  return dumpPythonYaml(meta);
}
