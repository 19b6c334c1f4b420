import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { atomicWriteFile } from "../core/atomicWrite.js";
import { withFileLock } from "../core/fileLock.js";
import { LarderError } from "../errors.js";
import type { ArtifactInfo, Experiment, Metric, Run, RunInfo, ViewType } from "./entities.js";
import { assertInsideRealRoot, resolveArtifactPath } from "./artifactPaths.js";
import {
  ARTIFACTS_FOLDER,
  DEFAULT_EXPERIMENT_ID,
  DEFAULT_EXPERIMENT_NAME,
  EXPERIMENT_RESERVED_FOLDERS,
  EXPERIMENTS_LOCK,
  isMissing,
  localPathFromUri,
  META_FILE,
  METRICS_FOLDER,
  normaliseArtifactLocation,
  PARAMS_FOLDER,
  recordedLocalPath,
  ROOT_RESERVED_FOLDERS,
  RUN_META_LOCK,
  TAGS_FOLDER,
  TRASH_FOLDER,
} from "./fileStoreLayout.js";
import { generateRunName, newExperimentId, newRunId } from "./ids.js";
import { readKeyFile, readKeyValueFolder, writeKeyFile, writeNewKeyFile } from "./keyValueFiles.js";
import { copyFileAtomically, listArtifactFolder } from "./localArtifacts.js";
import { experimentFromMeta, experimentToMetaYaml, parseMetaYaml, runInfoToMetaYaml } from "./metaYaml.js";
import { formatMetricLine, parseMetricFile } from "./metricFile.js";
import { MLFLOW_RUN_NAME, MLFLOW_USER } from "./reservedTags.js";
import { listRunFolders, markRunChanged, readRunFolder, readRunInfo } from "./runFolder.js";
import { fingerprintRun, RunSearchCache } from "./runSearchCache.js";
import { searchRunsInMemory } from "./search/searchRunsInMemory.js";
import {
  AbstractTrackingStore,
  type CreateExperimentOptions,
  type CreateRunOptions,
  type LogBatchInput,
  type SearchRunsOptions,
  type SearchRunsResult,
  type UpdateRunOptions,
} from "./TrackingStore.js";
import {
  MAX_EXPERIMENT_TAG_VALUE_LENGTH,
  MAX_PARAM_VALUE_LENGTH,
  MAX_RUN_TAG_VALUE_LENGTH,
  truncateValue,
  validateBatchSize,
  validateExperimentId,
  validateExperimentName,
  validateKey,
  validateMetricValue,
  validateRunId,
  validateTimestampAndStep,
} from "./validation.js";
import { isWritableFolder } from "./writableFolder.js";

// Part of this module's public surface (the registry and the CLI import them from here).
export {
  ARTIFACTS_FOLDER,
  DEFAULT_EXPERIMENT_ID,
  DEFAULT_EXPERIMENT_NAME,
  localPathFromUri,
  META_FILE,
  METRICS_FOLDER,
  MODELS_FOLDER,
  PARAMS_FOLDER,
  TAGS_FOLDER,
  TRASH_FOLDER,
} from "./fileStoreLayout.js";

interface ExperimentLocation {
  dir: string;
  experiment: Experiment;
}

interface RunLocation {
  runDir: string;
  experimentDir: string;
}

function notFound(message: string, hint?: string): LarderError {
  return new LarderError("RESOURCE_DOES_NOT_EXIST", message, hint === undefined ? {} : { hint });
}

/**
 * The tracking store for a local folder in MLflow's `mlruns/` layout. Every byte it writes matches
 * what MLflow's own file store writes, so MLflow's UI and client read it, and it reads stores MLflow
 * wrote (1.x to 3.x). Unlike MLflow it writes atomically and locks where processes could race.
 */
export class FileTrackingStore extends AbstractTrackingStore {
  readonly root: string;
  readonly uri: string;
  private initialized: Promise<void> | undefined;
  private readonly runLocations = new Map<string, RunLocation>();

  constructor(rootOrUri: string) {
    super();
    this.root = localPathFromUri(rootOrUri);
    this.uri = pathToFileURL(this.root).href;
  }

  // ---------------------------------------------------------------- layout

  private get trashDir(): string {
    return join(this.root, TRASH_FOLDER);
  }

  /**
   * MLflow creates the root, `.trash` and the Default experiment `0` when the root does not exist.
   * The new root is assembled in a temporary sibling and renamed into place, so a process that
   * sees the root also sees experiment `0` (two processes starting on a fresh store both work).
   */
  private ensureRoot(): Promise<void> {
    this.initialized ??= (async () => {
      if (!existsSync(this.root)) {
        const parent = dirname(this.root);
        await mkdir(parent, { recursive: true });
        const staging = join(parent, `.${basename(this.root)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
        try {
          await mkdir(join(staging, TRASH_FOLDER), { recursive: true });
          await this.writeNewExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, `${this.uri}/${DEFAULT_EXPERIMENT_ID}`, {}, staging);
          await rename(staging, this.root);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== "EEXIST" && code !== "ENOTEMPTY") throw err;
        } finally {
          await rm(staging, { recursive: true, force: true });
        }
      }
      // A root made by hand (mkdir mlruns) lacks experiment 0; add it unless the store is read-only.
      if (!existsSync(join(this.root, DEFAULT_EXPERIMENT_ID)) && !existsSync(join(this.trashDir, DEFAULT_EXPERIMENT_ID)) && isWritableFolder(this.root)) {
        await withFileLock(join(this.root, EXPERIMENTS_LOCK), async () => {
          if (existsSync(join(this.root, DEFAULT_EXPERIMENT_ID))) return;
          await this.writeNewExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, `${this.uri}/${DEFAULT_EXPERIMENT_ID}`, {});
        });
      }
    })().catch((err: unknown) => {
      // Let a later call retry (e.g. after the user fixed permissions).
      this.initialized = undefined;
      throw err;
    });
    return this.initialized;
  }

  private experimentDirs(viewType: ViewType): string[] {
    const dirs: string[] = [];
    const collect = (parent: string, reserved: Set<string>) => {
      let entries;
      try {
        entries = readdirSync(parent, { withFileTypes: true });
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      for (const e of entries) {
        if (e.isDirectory() && !reserved.has(e.name) && !e.name.startsWith(".")) dirs.push(join(parent, e.name));
      }
    };
    if (viewType !== "DELETED_ONLY") collect(this.root, ROOT_RESERVED_FOLDERS);
    if (viewType !== "ACTIVE_ONLY") collect(this.trashDir, new Set());
    return dirs;
  }

  /** Reads an experiment folder; undefined when it is not one (no meta.yaml, or id mismatch). */
  private readExperimentDir(dir: string): Experiment | undefined {
    const metaPath = join(dir, META_FILE);
    let text: string;
    try {
      text = readFileSync(metaPath, "utf8");
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const meta = parseMetaYaml(text, metaPath);
    // MLflow ignores an experiment whose recorded id differs from its folder name.
    if (String(meta.experiment_id) !== basename(dir)) return undefined;
    return experimentFromMeta(meta, readKeyValueFolder(join(dir, TAGS_FOLDER)));
  }

  private locateExperiment(experimentId: string): ExperimentLocation {
    validateExperimentId(experimentId);
    for (const dir of [join(this.root, experimentId), join(this.trashDir, experimentId)]) {
      const experiment = this.readExperimentDir(dir);
      if (experiment !== undefined) return { dir, experiment };
    }
    throw notFound(`Experiment '${experimentId}' does not exist`, "List experiments with `larder track experiments list`.");
  }

  private locateRun(runId: string): RunLocation {
    validateRunId(runId);
    const known = this.runLocations.get(runId);
    if (known !== undefined && existsSync(join(known.runDir, META_FILE))) return known;
    for (const experimentDir of this.experimentDirs("ALL")) {
      const runDir = join(experimentDir, runId);
      if (existsSync(join(runDir, META_FILE))) {
        const location = { runDir, experimentDir };
        this.runLocations.set(runId, location);
        return location;
      }
    }
    throw notFound(`Run '${runId}' does not exist`, "Check the run id, and that --tracking-uri / MLFLOW_TRACKING_URI point at the right store.");
  }

  private checkRunWasInItsExperiment(info: RunInfo, location: RunLocation): void {
    if (info.experimentId !== basename(location.experimentDir)) {
      throw new LarderError(
        "INVALID_STATE",
        `Run '${info.runId}' records experiment '${info.experimentId}' but is stored in '${location.experimentDir}'`,
        { hint: "The store was edited by hand; move the run folder back or fix experiment_id in its meta.yaml." },
      );
    }
  }

  private async activeRun(runId: string): Promise<{ location: RunLocation; info: RunInfo }> {
    await this.ensureRoot();
    const location = this.locateRun(runId);
    const info = readRunInfo(location.runDir);
    this.checkRunWasInItsExperiment(info, location);
    if (info.lifecycleStage !== "active") {
      throw new LarderError("INVALID_STATE", `The run ${runId} must be in the 'active' state. Current state is ${info.lifecycleStage}.`, {
        hint: `Restore it first with restoreRun('${runId}').`,
      });
    }
    return { location, info };
  }

  /**
   * Local folder of a run's artifacts. meta.yaml holds absolute URIs, which point nowhere once a
   * store is moved or rsynced (an MLflow pain point), so the folder inside the store is the fallback.
   */
  private artifactDirOf(info: RunInfo, location: RunLocation): string {
    const recorded = recordedLocalPath(info.artifactUri);
    if (recorded !== undefined && existsSync(recorded)) return recorded;
    return join(location.runDir, ARTIFACTS_FOLDER);
  }

  private async rewriteRunInfo(location: RunLocation, change: (info: RunInfo) => RunInfo): Promise<RunInfo> {
    return withFileLock(join(location.runDir, RUN_META_LOCK), async () => {
      const updated = change(readRunInfo(location.runDir));
      await atomicWriteFile(join(location.runDir, META_FILE), runInfoToMetaYaml(updated));
      return updated;
    });
  }

  // ---------------------------------------------------------------- experiments

  private async writeNewExperiment(
    id: string,
    name: string,
    artifactLocation: string,
    tags: Record<string, string>,
    parentDir: string = this.root,
  ): Promise<Experiment> {
    const dir = join(parentDir, id);
    await mkdir(dir);
    for (const [key, value] of Object.entries(tags)) await writeKeyFile(join(dir, TAGS_FOLDER), key, value);
    const now = Date.now();
    const experiment: Experiment = {
      experimentId: id,
      name,
      artifactLocation,
      lifecycleStage: "active",
      creationTime: now,
      lastUpdateTime: now,
      tags,
    };
    // meta.yaml last: readers skip folders without it, so nobody sees a half-made experiment.
    await atomicWriteFile(join(dir, META_FILE), experimentToMetaYaml(experiment));
    return experiment;
  }

  private checkNameFree(name: string): void {
    for (const dir of this.experimentDirs("ALL")) {
      const experiment = this.readExperimentDir(dir);
      if (experiment?.name !== name) continue;
      if (experiment.lifecycleStage === "deleted") {
        throw new LarderError("RESOURCE_ALREADY_EXISTS", `Experiment '${name}' already exists in deleted state.`, {
          hint: `Restore it with restoreExperiment('${experiment.experimentId}'), or remove '${dir}' to free the name.`,
        });
      }
      throw new LarderError("RESOURCE_ALREADY_EXISTS", `Experiment '${name}' already exists.`);
    }
  }

  async createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    validateExperimentName(name);
    const tags = options.tags ?? {};
    for (const [key, value] of Object.entries(tags)) {
      validateKey("tag", key);
      this.checkExperimentTagValue(key, value);
    }
    await this.ensureRoot();
    return withFileLock(join(this.root, EXPERIMENTS_LOCK), async () => {
      this.checkNameFree(name);
      let id = newExperimentId();
      while (existsSync(join(this.root, id)) || existsSync(join(this.trashDir, id))) id = newExperimentId();
      const location = options.artifactLocation === undefined ? `${this.uri}/${id}` : normaliseArtifactLocation(options.artifactLocation);
      await this.writeNewExperiment(id, name, location, tags);
      return id;
    });
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    await this.ensureRoot();
    return this.locateExperiment(experimentId).experiment;
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    await this.ensureRoot();
    for (const dir of this.experimentDirs("ALL")) {
      const experiment = this.readExperimentDir(dir);
      if (experiment?.name === name) return experiment;
    }
    return undefined;
  }

  async listExperiments(viewType: ViewType = "ACTIVE_ONLY"): Promise<Experiment[]> {
    await this.ensureRoot();
    const experiments: Experiment[] = [];
    for (const dir of this.experimentDirs(viewType)) {
      const experiment = this.readExperimentDir(dir);
      if (experiment === undefined) continue;
      if (viewType === "ACTIVE_ONLY" && experiment.lifecycleStage !== "active") continue;
      if (viewType === "DELETED_ONLY" && experiment.lifecycleStage !== "deleted") continue;
      experiments.push(experiment);
    }
    return experiments.sort(
      (a, b) => (b.creationTime ?? 0) - (a.creationTime ?? 0) || (a.experimentId < b.experimentId ? -1 : a.experimentId > b.experimentId ? 1 : 0),
    );
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    if (experimentId === DEFAULT_EXPERIMENT_ID) {
      throw new LarderError("INVALID_PARAMETER_VALUE", "Cannot delete the default experiment '0'. This is an internally reserved experiment.");
    }
    await this.ensureRoot();
    await withFileLock(join(this.root, EXPERIMENTS_LOCK), async () => {
      const { dir, experiment } = this.locateExperiment(experimentId);
      if (experiment.lifecycleStage === "deleted") {
        throw new LarderError("INVALID_STATE", `Experiment '${experimentId}' is already deleted.`);
      }
      const now = Date.now();
      for (const runDir of listRunFolders(dir)) {
        const info = readRunInfo(runDir);
        if (info.lifecycleStage !== "active") continue;
        await this.rewriteRunInfo({ runDir, experimentDir: dir }, (current) => ({ ...current, lifecycleStage: "deleted", deletedTime: now }));
      }
      await atomicWriteFile(join(dir, META_FILE), experimentToMetaYaml({ ...experiment, lifecycleStage: "deleted", lastUpdateTime: now }));
      await mkdir(this.trashDir, { recursive: true });
      await rename(dir, join(this.trashDir, experimentId));
      this.runLocations.clear();
    });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.ensureRoot();
    await withFileLock(join(this.root, EXPERIMENTS_LOCK), async () => {
      const trashed = join(this.trashDir, experimentId);
      const experiment = this.readExperimentDir(trashed);
      if (experiment === undefined) {
        validateExperimentId(experimentId);
        throw notFound(`Cannot restore experiment '${experimentId}': it is not in the deleted experiments`);
      }
      if (existsSync(join(this.root, experimentId))) {
        throw new LarderError("INVALID_STATE", `Cannot restore experiment '${experimentId}': an active experiment folder with that id exists`);
      }
      const dir = join(this.root, experimentId);
      await rename(trashed, dir);
      const now = Date.now();
      await atomicWriteFile(join(dir, META_FILE), experimentToMetaYaml({ ...experiment, lifecycleStage: "active", lastUpdateTime: now }));
      // MLflow re-activates every deleted run, including ones deleted before the experiment was.
      for (const runDir of listRunFolders(dir)) {
        const info = readRunInfo(runDir);
        if (info.lifecycleStage !== "deleted") continue;
        await this.rewriteRunInfo({ runDir, experimentDir: dir }, (current) => ({ ...current, lifecycleStage: "active", deletedTime: null }));
      }
      this.runLocations.clear();
    });
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    await this.ensureRoot();
    await withFileLock(join(this.root, EXPERIMENTS_LOCK), async () => {
      const { dir, experiment } = this.locateExperiment(experimentId);
      if (experiment.lifecycleStage !== "active") {
        throw new LarderError("INVALID_STATE", `Cannot rename experiment '${experimentId}': it is deleted`);
      }
      if (experiment.name === newName) return;
      this.checkNameFree(newName);
      await atomicWriteFile(join(dir, META_FILE), experimentToMetaYaml({ ...experiment, name: newName, lastUpdateTime: Date.now() }));
    });
  }

  private checkExperimentTagValue(key: string, value: string): void {
    if (typeof value !== "string") throw new LarderError("INVALID_PARAMETER_VALUE", `Tag '${key}' must have a string value`);
    // Unlike run values, MLflow refuses (rather than truncates) over-long experiment tags.
    if (value.length > MAX_EXPERIMENT_TAG_VALUE_LENGTH) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Experiment tag '${key}' has ${value.length} characters; the limit is ${MAX_EXPERIMENT_TAG_VALUE_LENGTH}`);
    }
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    validateKey("tag", key);
    this.checkExperimentTagValue(key, value);
    await this.ensureRoot();
    const { dir, experiment } = this.locateExperiment(experimentId);
    if (experiment.lifecycleStage !== "active") {
      throw new LarderError("INVALID_STATE", `Cannot set a tag on experiment '${experimentId}': it is deleted`);
    }
    await writeKeyFile(join(dir, TAGS_FOLDER), key, value);
  }

  // ---------------------------------------------------------------- runs

  async createRun(options: CreateRunOptions): Promise<Run> {
    const tags = { ...(options.tags ?? {}) };
    for (const [key, value] of Object.entries(tags)) {
      validateKey("tag", key);
      if (typeof value !== "string") throw new LarderError("INVALID_PARAMETER_VALUE", `Tag '${key}' must have a string value`);
      tags[key] = truncateValue(value, MAX_RUN_TAG_VALUE_LENGTH);
    }
    const tagName = tags[MLFLOW_RUN_NAME];
    if (options.runName !== undefined && tagName !== undefined && tagName !== options.runName) {
      throw new LarderError(
        "INVALID_PARAMETER_VALUE",
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${options.runName}', mlflow.runName='${tagName}').`,
      );
    }
    const startTime = options.startTime ?? Date.now();
    if (!Number.isSafeInteger(startTime)) throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid start time ${startTime}: epoch ms expected`);
    await this.ensureRoot();
    const { dir: experimentDir, experiment } = this.locateExperiment(options.experimentId);
    if (experiment.lifecycleStage !== "active") {
      throw new LarderError("INVALID_STATE", `Could not create run under experiment '${experiment.experimentId}': it is deleted.`, {
        hint: `Restore it with restoreExperiment('${experiment.experimentId}') or pick another experiment.`,
      });
    }
    const runId = newRunId();
    const runName = options.runName ?? tagName ?? generateRunName();
    tags[MLFLOW_RUN_NAME] = runName;
    const info: RunInfo = {
      runId,
      experimentId: experiment.experimentId,
      runName,
      userId: options.userId ?? tags[MLFLOW_USER] ?? "unknown",
      status: "RUNNING",
      startTime,
      endTime: null,
      artifactUri: `${experiment.artifactLocation}/${runId}/${ARTIFACTS_FOLDER}`,
      lifecycleStage: "active",
      deletedTime: null,
    };
    const runDir = join(experimentDir, runId);
    await mkdir(runDir);
    await mkdir(join(runDir, METRICS_FOLDER));
    await mkdir(join(runDir, PARAMS_FOLDER));
    const location: RunLocation = { runDir, experimentDir };
    await mkdir(recordedLocalPath(info.artifactUri) ?? join(runDir, ARTIFACTS_FOLDER), { recursive: true });
    for (const [key, value] of Object.entries(tags)) await writeKeyFile(join(runDir, TAGS_FOLDER), key, value);
    // meta.yaml last: listings and searches skip run folders without it.
    await atomicWriteFile(join(runDir, META_FILE), runInfoToMetaYaml(info, { creating: true }));
    this.runLocations.set(runId, location);
    return { info, data: { metrics: {}, params: {}, tags } };
  }

  async getRun(runId: string): Promise<Run> {
    await this.ensureRoot();
    const location = this.locateRun(runId);
    const run = readRunFolder(location.runDir);
    this.checkRunWasInItsExperiment(run.info, location);
    return run;
  }

  async updateRunInfo(runId: string, update: UpdateRunOptions): Promise<RunInfo> {
    if (update.endTime !== undefined && !Number.isSafeInteger(update.endTime)) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid end time ${update.endTime}: epoch ms expected`);
    }
    const { location } = await this.activeRun(runId);
    if (update.runName !== undefined) {
      await writeKeyFile(join(location.runDir, TAGS_FOLDER), MLFLOW_RUN_NAME, update.runName);
    }
    return this.rewriteRunInfo(location, (info) => ({
      ...info,
      ...(update.status === undefined ? {} : { status: update.status }),
      ...(update.endTime === undefined ? {} : { endTime: update.endTime }),
      ...(update.runName === undefined ? {} : { runName: update.runName }),
    }));
  }

  async deleteRun(runId: string): Promise<void> {
    await this.ensureRoot();
    const location = this.locateRun(runId);
    await this.rewriteRunInfo(location, (info) => ({ ...info, lifecycleStage: "deleted", deletedTime: Date.now() }));
  }

  async restoreRun(runId: string): Promise<void> {
    await this.ensureRoot();
    const location = this.locateRun(runId);
    await this.rewriteRunInfo(location, (info) => ({ ...info, lifecycleStage: "active", deletedTime: null }));
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    validateBatchSize(metrics.length, params.length, tags.length);
    const paramValues = new Map<string, string>();
    for (const p of params) {
      validateKey("param", p.key);
      if (typeof p.value !== "string") throw new LarderError("INVALID_PARAMETER_VALUE", `Param '${p.key}' must have a string value`);
      const value = truncateValue(p.value, MAX_PARAM_VALUE_LENGTH);
      const earlier = paramValues.get(p.key);
      if (earlier !== undefined && earlier !== value) {
        throw new LarderError("INVALID_PARAMETER_VALUE", `Duplicate parameter key '${p.key}' with different values in one batch`);
      }
      paramValues.set(p.key, value);
    }
    for (const m of metrics) {
      validateKey("metric", m.key);
      validateMetricValue(m.key, m.value);
      validateTimestampAndStep(m.key, m.timestamp, m.step);
    }
    for (const t of tags) {
      validateKey("tag", t.key);
      if (typeof t.value !== "string") throw new LarderError("INVALID_PARAMETER_VALUE", `Tag '${t.key}' must have a string value`);
    }
    const { location } = await this.activeRun(runId);
    const runDir = location.runDir;

    for (const [key, value] of paramValues) {
      const existing = await writeNewKeyFile(join(runDir, PARAMS_FOLDER), key, value);
      if (existing !== undefined && existing !== value) {
        throw new LarderError(
          "INVALID_PARAMETER_VALUE",
          `Changing param values is not allowed. Param with key='${key}' was already logged with value='${existing}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
          { hint: "Params are immutable; log a metric or tag instead, or start a new run." },
        );
      }
    }

    if (metrics.length > 0) {
      const linesByKey = new Map<string, string>();
      for (const m of metrics) linesByKey.set(m.key, (linesByKey.get(m.key) ?? "") + formatMetricLine(m));
      const metricsDir = join(runDir, METRICS_FOLDER);
      for (const [key, lines] of linesByKey) {
        const path = join(metricsDir, ...key.split("/"));
        if (key.includes("/")) await mkdir(join(path, ".."), { recursive: true });
        // O_APPEND and one write per key: concurrent writers interleave whole lines, never bytes.
        const handle = await open(path, "a");
        try {
          await handle.write(lines);
        } finally {
          await handle.close();
        }
      }
    }

    for (const t of tags) {
      const value = truncateValue(t.value, MAX_RUN_TAG_VALUE_LENGTH);
      await writeKeyFile(join(runDir, TAGS_FOLDER), t.key, value);
      if (t.key === MLFLOW_RUN_NAME) await this.rewriteRunInfo(location, (info) => ({ ...info, runName: value }));
    }
    await markRunChanged(runDir);
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    validateKey("tag", key);
    const { location } = await this.activeRun(runId);
    const path = join(location.runDir, TAGS_FOLDER, ...key.split("/"));
    if (!existsSync(path)) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    await rm(path);
    await markRunChanged(location.runDir);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateKey("metric", key);
    await this.ensureRoot();
    const location = this.locateRun(runId);
    const path = join(location.runDir, METRICS_FOLDER, ...key.split("/"));
    const text = await readKeyFile(join(location.runDir, METRICS_FOLDER), key);
    return text === undefined ? [] : parseMetricFile(text, key, path);
  }

  // ---------------------------------------------------------------- search

  /** Every run of one experiment folder, from the search cache where still valid. */
  private async loadRunsForSearch(experimentDir: string, experimentId: string): Promise<Run[]> {
    const cache = RunSearchCache.open(experimentDir);
    const runs: Run[] = [];
    let entries;
    try {
      entries = readdirSync(experimentDir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return runs;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || EXPERIMENT_RESERVED_FOLDERS.has(entry.name) || entry.name.startsWith(".")) continue;
      const runDir = join(experimentDir, entry.name);
      const fingerprint = fingerprintRun(runDir);
      if (fingerprint === undefined) continue;
      let run = cache.lookup(entry.name, fingerprint);
      if (run === undefined) {
        const capturedAt = Date.now();
        run = readRunFolder(runDir);
        cache.store(entry.name, fingerprint, run, capturedAt);
      }
      // MLflow leaves out of listings a run whose meta names another experiment.
      if (run.info.experimentId !== experimentId) continue;
      runs.push(run);
    }
    await cache.save();
    return runs;
  }

  async searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult> {
    await this.ensureRoot();
    const runs: Run[] = [];
    for (const experimentId of options.experimentIds) {
      const { dir } = this.locateExperiment(experimentId);
      runs.push(...(await this.loadRunsForSearch(dir, experimentId)));
    }
    return searchRunsInMemory(runs, options);
  }

  // ---------------------------------------------------------------- artifacts

  private async artifactRoot(runId: string, forWriting: boolean): Promise<string> {
    if (forWriting) {
      const { location, info } = await this.activeRun(runId);
      return this.artifactDirOf(info, location);
    }
    await this.ensureRoot();
    const location = this.locateRun(runId);
    return this.artifactDirOf(readRunInfo(location.runDir), location);
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const info = await stat(localPath).catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      throw notFound(`Cannot log artifact '${localPath}': no such file`, "Use logArtifacts for a folder.");
    }
    const root = await this.artifactRoot(runId, true);
    const folder = resolveArtifactPath(root, artifactPath);
    await mkdir(folder, { recursive: true });
    await assertInsideRealRoot(root, folder, artifactPath ?? "");
    await copyFileAtomically(localPath, join(folder, basename(localPath)));
  }

  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    const info = await stat(localDir).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) throw notFound(`Cannot log artifacts from '${localDir}': no such folder`);
    const root = await this.artifactRoot(runId, true);
    const folder = resolveArtifactPath(root, artifactPath);
    await mkdir(folder, { recursive: true });
    await assertInsideRealRoot(root, folder, artifactPath ?? "");
    // Symlinks are copied as links by default; dereference so nothing points outside the run.
    await cp(localDir, folder, { recursive: true, dereference: true, force: true });
  }

  async logArtifactBytes(runId: string, artifactFile: string, data: string | Uint8Array): Promise<void> {
    const root = await this.artifactRoot(runId, true);
    if (artifactFile === "" || artifactFile.endsWith("/")) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid artifact file name '${artifactFile}'`);
    }
    const target = resolveArtifactPath(root, artifactFile);
    await mkdir(resolve(target, ".."), { recursive: true });
    await assertInsideRealRoot(root, target, artifactFile);
    await atomicWriteFile(target, data);
  }

  async listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]> {
    const root = await this.artifactRoot(runId, false);
    const folder = resolveArtifactPath(root, path);
    if (existsSync(folder)) await assertInsideRealRoot(root, folder, path ?? "");
    return listArtifactFolder(folder, path);
  }

  async getArtifactLocalPath(runId: string, path?: string): Promise<string> {
    const root = await this.artifactRoot(runId, false);
    const target = resolveArtifactPath(root, path);
    if (existsSync(target)) await assertInsideRealRoot(root, target, path ?? "");
    return target;
  }

  /** The folder of a run (for tools such as the registry that need the raw layout). */
  async runDirectory(runId: string): Promise<string> {
    await this.ensureRoot();
    return this.locateRun(runId).runDir;
  }
}

