import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LarderError } from "../errors.js";

/** Names and path rules of MLflow's `mlruns/` layout, shared by the tracking store and the registry. */

export const META_FILE = "meta.yaml";
export const METRICS_FOLDER = "metrics";
export const PARAMS_FOLDER = "params";
export const TAGS_FOLDER = "tags";
export const ARTIFACTS_FOLDER = "artifacts";
export const TRASH_FOLDER = ".trash";
export const MODELS_FOLDER = "models";
export const DEFAULT_EXPERIMENT_ID = "0";
export const DEFAULT_EXPERIMENT_NAME = "Default";
/** Folders inside an experiment that are not runs. */
export const EXPERIMENT_RESERVED_FOLDERS = new Set([TAGS_FOLDER, "datasets", "traces", MODELS_FOLDER]);
/** Folders at the root that are not experiments. */
export const ROOT_RESERVED_FOLDERS = new Set([TRASH_FOLDER, MODELS_FOLDER]);
export const EXPERIMENTS_LOCK = ".larder-experiments.lock";
export const RUN_META_LOCK = ".larder-meta.lock";

/** ENOENT or ENOTDIR: the thing is not there. */
export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Converts a `file:` URI or a plain path to an absolute local path. */
export function localPathFromUri(uriOrPath: string): string {
  if (uriOrPath.startsWith("file:")) {
    // `file:relative/path` is how MLflow spells a relative file store URI.
    if (!uriOrPath.startsWith("file://")) return resolve(decodeURIComponent(uriOrPath.slice("file:".length)));
    return fileURLToPath(uriOrPath);
  }
  return resolve(uriOrPath);
}

/** The local path behind a `file:` URI or plain path; undefined for remote schemes (`s3:`, `mlflow-artifacts:`). */
export function recordedLocalPath(uri: string): string | undefined {
  if (uri === "") return undefined;
  if (uri.startsWith("file:")) return localPathFromUri(uri);
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-zA-Z]:[\\/]/.test(uri)) return undefined;
  return resolve(uri);
}

/** A user-supplied artifact location: relative local paths become absolute `file://` URIs, as in MLflow. */
export function normaliseArtifactLocation(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-zA-Z]:[\\/]/.test(location)) {
    if (location.includes("#") || location.includes(";")) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Artifact location '${location}' may not contain '#' fragments or ';' parameters`);
    }
    return location;
  }
  return pathToFileURL(isAbsolute(location) ? location : resolve(location)).href;
}
