import { existsSync } from "node:fs";
import { join, posix } from "node:path";
import { withFileLock } from "../core/fileLock.js";
import { LarderError } from "../errors.js";
import type { FileTrackingStore } from "../tracking/FileTrackingStore.js";
import { readKeyValueFolder, writeKeyFile } from "../tracking/keyValueFiles.js";
import { MLFLOW_MODEL_VERSIONS } from "../tracking/reservedTags.js";
import { TAGS_FOLDER } from "../tracking/fileStoreLayout.js";
import type { ModelVersion } from "./entities.js";
import { findLoggedModel, findLoggedModelOfRun } from "./storePaths.js";

/** What a new model version records about where its files are. */
export interface RegistrationSource {
  source: string;
  storageLocation: string;
  runId: string | null;
  modelId: string | null;
}

function notFound(message: string, hint?: string): LarderError {
  return new LarderError("RESOURCE_DOES_NOT_EXIST", message, hint === undefined ? {} : { hint });
}

/**
 * Works out what MLflow records for a model URI: a `runs:/` URI whose run holds `<path>/MLmodel`
 * (MLflow 2.x layout, and Larder's) is recorded as that artifact folder's URI; otherwise the
 * run's MLflow 3 LoggedModel of that name, recorded as `models:/m-…`.
 */
export async function resolveRegistrationSource(
  source: string,
  tracking: FileTrackingStore,
  root: string,
  getModelVersion: (name: string, version: number) => Promise<ModelVersion>,
): Promise<RegistrationSource> {
  const runsMatch = /^runs:\/+([^/]+)\/?(.*)$/.exec(source);
  if (runsMatch !== null) {
    const [, runId, rawPath] = runsMatch as unknown as [string, string, string];
    const artifactPath = rawPath.replace(/\/+$/, "");
    const run = await tracking.getRun(runId);
    const local = await tracking.getArtifactLocalPath(runId, artifactPath === "" ? undefined : artifactPath);
    if (existsSync(join(local, "MLmodel"))) {
      const uri = artifactPath === "" ? run.info.artifactUri : `${run.info.artifactUri}/${posix.normalize(artifactPath)}`;
      return { source: uri, storageLocation: uri, runId, modelId: null };
    }
    const logged = findLoggedModelOfRun(root, run.info.experimentId, runId, artifactPath.split("/")[0] ?? "");
    if (logged !== undefined) {
      return { source: `models:/${logged.modelId}`, storageLocation: logged.artifactLocation, runId, modelId: logged.modelId };
    }
    throw notFound(
      `No model found at '${source}': the run has no '${artifactPath}/MLmodel' artifact and no logged model named '${artifactPath}'`,
      "Log the model under the run first (an MLmodel folder), then register it.",
    );
  }
  const loggedMatch = /^models:\/(m-[0-9a-f]+)$/.exec(source);
  if (loggedMatch !== null) {
    const logged = findLoggedModel(root, loggedMatch[1]!);
    if (logged === undefined) throw notFound(`Logged model '${loggedMatch[1]}' does not exist`);
    return { source, storageLocation: logged.artifactLocation, runId: logged.sourceRunId, modelId: logged.modelId };
  }
  const versionMatch = /^models:\/([^/@]+)\/(\d+)$/.exec(source);
  if (versionMatch !== null) {
    const other = await getModelVersion(versionMatch[1]!, Number(versionMatch[2]));
    return { source, storageLocation: other.storageLocation ?? other.source, runId: other.runId, modelId: other.modelId };
  }
  return { source, storageLocation: source, runId: null, modelId: null };
}

/** MLflow appends `{"name", "version"}` to the LoggedModel tag `mlflow.modelVersions`. */
export async function linkLoggedModel(root: string, modelId: string, name: string, version: number): Promise<void> {
  const logged = findLoggedModel(root, modelId);
  if (logged === undefined) return;
  await withFileLock(join(logged.dir, ".larder-tags.lock"), async () => {
    const tagsDir = join(logged.dir, TAGS_FOLDER);
    const current = readKeyValueFolder(tagsDir)[MLFLOW_MODEL_VERSIONS];
    let list: { name: string; version: number }[] = [];
    try {
      list = current === undefined ? [] : (JSON.parse(current) as typeof list);
    } catch {
      list = [];
    }
    list.push({ name, version });
    // Python's json.dumps separators, as in MLflow's own files.
    const text = `[${list.map((e) => `{"name": ${JSON.stringify(e.name)}, "version": ${e.version}}`).join(", ")}]`;
    await writeKeyFile(tagsDir, MLFLOW_MODEL_VERSIONS, text);
  });
}
