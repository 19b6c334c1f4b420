import type { ArtifactInfo, Experiment, Metric, Param, Run, RunInfo, RunStatus, RunTag, ViewType } from "./entities.js";

export interface CreateExperimentOptions {
  /** Where the experiment's run artifacts go; default `<store root URI>/<experiment id>`. */
  artifactLocation?: string;
  tags?: Record<string, string>;
}

export interface CreateRunOptions {
  experimentId: string;
  /** Recorded in `meta.yaml` `user_id`; default the `mlflow.user` tag, else `unknown`. */
  userId?: string;
  /** Epoch ms; default now. */
  startTime?: number;
  /** Default: the `mlflow.runName` tag, else a generated `adjective-animal-N` name. */
  runName?: string;
  tags?: Record<string, string>;
}

export interface UpdateRunOptions {
  status?: RunStatus;
  /** Epoch ms. */
  endTime?: number;
  runName?: string;
}

export interface LogBatchInput {
  metrics?: Metric[];
  params?: Param[];
  tags?: RunTag[];
}

export interface LogMetricOptions {
  /** Epoch ms; default now. */
  timestamp?: number;
  /** Default 0. */
  step?: number;
}

export interface SearchRunsOptions {
  experimentIds: string[];
  /**
   * MLflow's filter grammar: comparisons joined by `AND` (no `OR`, no parentheses).
   * Identifiers are `metrics.<key>`, `params.<key>`, `tags.<key>` or `attributes.<key>` (a bare key is
   * an attribute: `run_id`, `run_name`, `status`, `user_id`, `artifact_uri`, `start_time`,
   * `end_time`, `created`); keys with special characters are quoted with backticks or double quotes.
   * Metrics compare numbers with `= != < <= > >=` against the latest value; params, tags and string
   * attributes compare quoted strings with `= != LIKE ILIKE IN NOT IN`. A run lacking the key never
   * matches. Empty or absent means every run. Errors carry the 0-based position.
   */
  filter?: string;
  /**
   * `"<identifier> [ASC|DESC]"` entries, applied left to right as tie-breakers. Runs are first put
   * in `start_time DESC, run_id ASC` order. Missing values sort last and NaN just before them, in
   * both directions.
   */
  orderBy?: string[];
  /** 1 to 50 000; default 1000. */
  maxResults?: number;
  /** Default `ACTIVE_ONLY`. */
  viewType?: ViewType;
  /** The `nextPageToken` of a previous call. */
  pageToken?: string;
}

export interface SearchRunsResult {
  runs: Run[];
  /** Present when more runs match; pass it back as `pageToken`. */
  nextPageToken?: string;
}

/**
 * The contract every tracking backend keeps (`file:` store today; an HTTP store later).
 *
 * Times are epoch milliseconds (UTC). Ids are strings. Every method rejects with a `LarderError`:
 * `RESOURCE_DOES_NOT_EXIST` for an unknown id or name, `RESOURCE_ALREADY_EXISTS` for a name taken
 * by an active or deleted experiment, `INVALID_PARAMETER_VALUE` for a bad key, value, id or filter,
 * and `INVALID_STATE` when writing to a deleted run or experiment. Concurrent calls from several
 * processes are safe and lose nothing. Reads see active and deleted objects unless a `ViewType`
 * says otherwise.
 */
export interface TrackingStore {
  /** The URI this store was opened with, as resolved (`file:///abs/mlruns`). */
  readonly uri: string;

  /** Creates an experiment and returns its id. Names are unique among active and deleted experiments. */
  createExperiment(name: string, options?: CreateExperimentOptions): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  /** The experiment with exactly this name (active or deleted), or undefined. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** Experiments ordered by creation time, newest first, then id. */
  listExperiments(viewType?: ViewType): Promise<Experiment[]>;
  /** Marks the experiment and all its active runs deleted. The Default experiment `0` cannot be deleted. */
  deleteExperiment(experimentId: string): Promise<void>;
  /** Reverses `deleteExperiment`, re-activating every run in it. */
  restoreExperiment(experimentId: string): Promise<void>;
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;

  /** Starts a RUNNING run in an active experiment; the `mlflow.runName` tag is always written. */
  createRun(options: CreateRunOptions): Promise<Run>;
  /** The run with its latest metric values, params and tags. */
  getRun(runId: string): Promise<Run>;
  /** Changes status, end time or name; returns the updated info. */
  updateRunInfo(runId: string, update: UpdateRunOptions): Promise<RunInfo>;
  /** Soft delete: the run stays on disk with lifecycle stage `deleted`. */
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;

  /**
   * The one write path for values. Params are applied first, then metrics, then tags, and the
   * whole batch is validated before anything is written. A param, once logged, cannot change value
   * (same value is a no-op). Metric values may be NaN or ±Infinity. Setting `mlflow.runName` renames the run.
   */
  logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  logMetric(runId: string, key: string, value: number, options?: LogMetricOptions): Promise<void>;
  logParam(runId: string, key: string, value: string): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  /** Every logged value of one metric, in the order logged; empty when the key was never logged. */
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;

  /** See `SearchRunsOptions` for the grammar and ordering. */
  searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult>;

  /**
   * Copies a local file into the run's artifacts, under `artifactPath` (a relative folder) if given.
   * Artifact paths are relative and may not leave the run's artifact folder (`..`, absolute paths
   * and symlinks pointing out are refused with INVALID_PARAMETER_VALUE).
   */
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  /** Copies the contents of a local folder into the run's artifacts (under `artifactPath` if given). */
  logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void>;
  /** Writes bytes as the artifact file `artifactFile` (relative path). */
  logArtifactBytes(runId: string, artifactFile: string, data: string | Uint8Array): Promise<void>;
  /** Direct children of `path` (default the root), sorted by path; paths are relative to the artifact root. */
  listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]>;
  /** A local filesystem path for the artifact (or the whole artifact root), for reading. */
  getArtifactLocalPath(runId: string, path?: string): Promise<string>;
}

/**
 * Implements the convenience methods once, over `logBatch`, so that a backend only writes the
 * core methods.
 */
export abstract class AbstractTrackingStore implements TrackingStore {
  abstract readonly uri: string;
  abstract createExperiment(name: string, options?: CreateExperimentOptions): Promise<string>;
  abstract getExperiment(experimentId: string): Promise<Experiment>;
  abstract getExperimentByName(name: string): Promise<Experiment | undefined>;
  abstract listExperiments(viewType?: ViewType): Promise<Experiment[]>;
  abstract deleteExperiment(experimentId: string): Promise<void>;
  abstract restoreExperiment(experimentId: string): Promise<void>;
  abstract renameExperiment(experimentId: string, newName: string): Promise<void>;
  abstract setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  abstract createRun(options: CreateRunOptions): Promise<Run>;
  abstract getRun(runId: string): Promise<Run>;
  abstract updateRunInfo(runId: string, update: UpdateRunOptions): Promise<RunInfo>;
  abstract deleteRun(runId: string): Promise<void>;
  abstract restoreRun(runId: string): Promise<void>;
  abstract logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  abstract deleteTag(runId: string, key: string): Promise<void>;
  abstract getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  abstract searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult>;
  abstract logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  abstract logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void>;
  abstract logArtifactBytes(runId: string, artifactFile: string, data: string | Uint8Array): Promise<void>;
  abstract listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]>;
  abstract getArtifactLocalPath(runId: string, path?: string): Promise<string>;

  logMetric(runId: string, key: string, value: number, options: LogMetricOptions = {}): Promise<void> {
    const metric: Metric = { key, value, timestamp: options.timestamp ?? Date.now(), step: options.step ?? 0 };
    return this.logBatch(runId, { metrics: [metric] });
  }

  logParam(runId: string, key: string, value: string): Promise<void> {
    return this.logBatch(runId, { params: [{ key, value }] });
  }

  setTag(runId: string, key: string, value: string): Promise<void> {
    return this.logBatch(runId, { tags: [{ key, value }] });
  }
}
