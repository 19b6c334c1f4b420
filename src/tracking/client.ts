import { LarderError } from "../errors.js";
import type { ArtifactInfo, Experiment, Metric, Run, RunInfo, RunStatus, ViewType } from "./entities.js";
import { MLFLOW_NOTE_CONTENT, MLFLOW_PARENT_RUN_ID } from "./reservedTags.js";
import { defaultRunContextTags } from "./runContext.js";
import { getTrackingStore } from "./trackingUri.js";
import type { CreateExperimentOptions, LogMetricOptions, SearchRunsOptions, SearchRunsResult, TrackingStore } from "./TrackingStore.js";

/**
 * The functions a TypeScript user calls. Each takes the run id explicitly (no hidden "active run"),
 * and an optional `trackingUri` (else `MLFLOW_TRACKING_URI`, else `./mlruns`).
 */
export interface TrackingOptions {
  trackingUri?: string;
}

function store(options: TrackingOptions | undefined): TrackingStore {
  return getTrackingStore(options?.trackingUri);
}

export function createExperiment(name: string, options: TrackingOptions & CreateExperimentOptions = {}): Promise<string> {
  const { trackingUri: _uri, ...rest } = options;
  return store(options).createExperiment(name, rest);
}

export function getExperiment(experimentId: string, options?: TrackingOptions): Promise<Experiment> {
  return store(options).getExperiment(experimentId);
}

export function getExperimentByName(name: string, options?: TrackingOptions): Promise<Experiment | undefined> {
  return store(options).getExperimentByName(name);
}

export function listExperiments(options: TrackingOptions & { viewType?: ViewType } = {}): Promise<Experiment[]> {
  return store(options).listExperiments(options.viewType);
}

/** The experiment with this name, created if missing; safe when several processes race to create it. */
export async function getOrCreateExperiment(name: string, options?: TrackingOptions): Promise<Experiment> {
  const s = store(options);
  const existing = await s.getExperimentByName(name);
  if (existing !== undefined) return existing;
  try {
    return await s.getExperiment(await s.createExperiment(name));
  } catch (err) {
    if (err instanceof LarderError && err.code === "RESOURCE_ALREADY_EXISTS") {
      const raced = await s.getExperimentByName(name);
      if (raced !== undefined) return raced;
    }
    throw err;
  }
}

/** Deletes by id (the Default experiment `0` cannot be deleted). */
export function deleteExperiment(experimentId: string, options?: TrackingOptions): Promise<void> {
  return store(options).deleteExperiment(experimentId);
}

export function restoreExperiment(experimentId: string, options?: TrackingOptions): Promise<void> {
  return store(options).restoreExperiment(experimentId);
}

export interface StartRunOptions extends TrackingOptions {
  /** Default: `MLFLOW_EXPERIMENT_ID`, else the experiment named by `experimentName`, else `0`. */
  experimentId?: string;
  /** Created if it does not exist. Default `MLFLOW_EXPERIMENT_NAME`. */
  experimentName?: string;
  runName?: string;
  /** Makes this a nested run (tag `mlflow.parentRunId`). The parent must exist. */
  parentRunId?: string;
  /** Markdown shown as the run's description (tag `mlflow.note.content`). */
  description?: string;
  tags?: Record<string, string>;
  /** Epoch ms; default now. */
  startTime?: number;
}

/**
 * Starts a RUNNING run with the tags MLflow's client adds (`mlflow.user`, `mlflow.source.name`,
 * `mlflow.source.type`, `mlflow.source.git.commit` when in a git repository). Caller tags win.
 */
export async function startRun(options: StartRunOptions = {}): Promise<Run> {
  const s = store(options);
  let experimentId = options.experimentId;
  const experimentName = options.experimentName ?? (experimentId === undefined ? process.env.MLFLOW_EXPERIMENT_NAME || undefined : undefined);
  if (experimentId !== undefined && options.experimentName !== undefined) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "Pass either experimentId or experimentName, not both");
  }
  if (experimentId === undefined && experimentName !== undefined) {
    experimentId = (await getOrCreateExperiment(experimentName, options)).experimentId;
  }
  experimentId ??= process.env.MLFLOW_EXPERIMENT_ID || "0";

  const tags: Record<string, string> = { ...defaultRunContextTags(), ...(options.tags ?? {}) };
  if (options.parentRunId !== undefined) {
    await s.getRun(options.parentRunId);
    tags[MLFLOW_PARENT_RUN_ID] = options.parentRunId;
  }
  if (options.description !== undefined) tags[MLFLOW_NOTE_CONTENT] = options.description;
  return s.createRun({
    experimentId,
    ...(options.runName === undefined ? {} : { runName: options.runName }),
    ...(options.startTime === undefined ? {} : { startTime: options.startTime }),
    tags,
  });
}

/** Marks the run finished (or FAILED / KILLED) with an end time (default now). */
export function endRun(runId: string, status: RunStatus = "FINISHED", options: TrackingOptions & { endTime?: number } = {}): Promise<RunInfo> {
  return store(options).updateRunInfo(runId, { status, endTime: options.endTime ?? Date.now() });
}

export function getRun(runId: string, options?: TrackingOptions): Promise<Run> {
  return store(options).getRun(runId);
}

export function logMetric(runId: string, key: string, value: number, options: TrackingOptions & LogMetricOptions = {}): Promise<void> {
  return store(options).logMetric(runId, key, value, options);
}

/** Logs several metrics at one step and timestamp, in one batch. */
export function logMetrics(runId: string, metrics: Record<string, number>, options: TrackingOptions & LogMetricOptions = {}): Promise<void> {
  const timestamp = options.timestamp ?? Date.now();
  const step = options.step ?? 0;
  const batch: Metric[] = Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step }));
  return store(options).logBatch(runId, { metrics: batch });
}

/** Params are stored as text; non-strings are converted with `String()`. */
export function logParam(runId: string, key: string, value: unknown, options?: TrackingOptions): Promise<void> {
  return store(options).logParam(runId, key, String(value));
}

export function logParams(runId: string, params: Record<string, unknown>, options?: TrackingOptions): Promise<void> {
  return store(options).logBatch(runId, { params: Object.entries(params).map(([key, value]) => ({ key, value: String(value) })) });
}

export function setTag(runId: string, key: string, value: string, options?: TrackingOptions): Promise<void> {
  return store(options).setTag(runId, key, value);
}

export function setTags(runId: string, tags: Record<string, string>, options?: TrackingOptions): Promise<void> {
  return store(options).logBatch(runId, { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
}

export function deleteTag(runId: string, key: string, options?: TrackingOptions): Promise<void> {
  return store(options).deleteTag(runId, key);
}

export function getMetricHistory(runId: string, key: string, options?: TrackingOptions): Promise<Metric[]> {
  return store(options).getMetricHistory(runId, key);
}

export function logArtifact(runId: string, localPath: string, options: TrackingOptions & { artifactPath?: string } = {}): Promise<void> {
  return store(options).logArtifact(runId, localPath, options.artifactPath);
}

export function logArtifacts(runId: string, localDir: string, options: TrackingOptions & { artifactPath?: string } = {}): Promise<void> {
  return store(options).logArtifacts(runId, localDir, options.artifactPath);
}

/** Writes text or bytes as an artifact file (e.g. a captured stdout) without a temporary file. */
export function logText(runId: string, text: string | Uint8Array, artifactFile: string, options?: TrackingOptions): Promise<void> {
  return store(options).logArtifactBytes(runId, artifactFile, text);
}

export function listArtifacts(runId: string, options: TrackingOptions & { path?: string } = {}): Promise<ArtifactInfo[]> {
  return store(options).listArtifacts(runId, options.path);
}

export function getArtifactLocalPath(runId: string, options: TrackingOptions & { path?: string } = {}): Promise<string> {
  return store(options).getArtifactLocalPath(runId, options.path);
}

export interface SearchRunsRequest extends TrackingOptions, Omit<SearchRunsOptions, "experimentIds"> {
  experimentIds?: string[];
  /** Resolved to ids; unknown names are an error. */
  experimentNames?: string[];
}

/** Searches runs of the given experiments (default: the Default experiment `0`). */
export async function searchRuns(request: SearchRunsRequest = {}): Promise<SearchRunsResult> {
  const s = store(request);
  const ids = [...(request.experimentIds ?? [])];
  for (const name of request.experimentNames ?? []) {
    const experiment = await s.getExperimentByName(name);
    if (experiment === undefined) {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Experiment '${name}' does not exist`, { hint: "List experiments with `larder track experiments list`." });
    }
    ids.push(experiment.experimentId);
  }
  if (ids.length === 0) ids.push("0");
  const { trackingUri: _uri, experimentNames: _names, experimentIds: _ids, ...rest } = request;
  return s.searchRuns({ ...rest, experimentIds: ids });
}

export function deleteRun(runId: string, options?: TrackingOptions): Promise<void> {
  return store(options).deleteRun(runId);
}

export function restoreRun(runId: string, options?: TrackingOptions): Promise<void> {
  return store(options).restoreRun(runId);
}
