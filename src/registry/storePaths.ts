import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { localPathFromUri } from "../tracking/FileTrackingStore.js";
import { parseMetaYaml } from "../tracking/metaYaml.js";

/**
 * MLflow records absolute `file://` URIs, which break when a store is moved or copied (the sample
 * store was written under another home folder). This maps such a path onto the same place inside
 * `root`: the first suffix starting at an experiment folder (`<id>/…`) that exists in the store.
 */
export function localizeStorePath(root: string, uri: string): string {
  const recorded = localPathFromUri(uri);
  if (existsSync(recorded)) return recorded;
  const segments = recorded.split(sep).filter((s) => s !== "");
  for (let i = 0; i < segments.length; i++) {
    if (!/^\d+$/.test(segments[i]!)) continue;
    const candidate = join(root, ...segments.slice(i));
    if (existsSync(join(root, segments[i]!, "meta.yaml")) && existsSync(candidate)) return candidate;
  }
  return recorded;
}

export interface LoggedModelInfo {
  modelId: string;
  experimentId: string;
  name: string;
  sourceRunId: string | null;
  artifactLocation: string;
  creationTimestamp: number;
  /** The folder holding meta.yaml, tags/, artifacts/. */
  dir: string;
}

function experimentFolders(root: string): string[] {
  const out: string[] = [];
  for (const parent of [root, join(root, ".trash")]) {
    let entries;
    try {
      entries = readdirSync(parent, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) if (e.isDirectory() && /^[\w-]+$/.test(e.name) && e.name !== "models") out.push(join(parent, e.name));
  }
  return out;
}

function readLoggedModel(dir: string): LoggedModelInfo | undefined {
  const path = join(dir, "meta.yaml");
  if (!existsSync(path)) return undefined;
  const meta = parseMetaYaml(readFileSync(path, "utf8"), path);
  return {
    modelId: String(meta.model_id),
    experimentId: String(meta.experiment_id),
    name: String(meta.name ?? ""),
    sourceRunId: meta.source_run_id === null || meta.source_run_id === undefined ? null : String(meta.source_run_id),
    artifactLocation: String(meta.artifact_location ?? ""),
    creationTimestamp: Number(meta.creation_timestamp ?? 0),
    dir,
  };
}

/** An MLflow 3 LoggedModel (`<exp>/models/m-…/`) by id. */
export function findLoggedModel(root: string, modelId: string): LoggedModelInfo | undefined {
  if (!/^m-[0-9a-f]+$/.test(modelId)) return undefined;
  for (const exp of experimentFolders(root)) {
    const found = readLoggedModel(join(exp, "models", modelId));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The newest LoggedModel named `name` that run `runId` produced (what `runs:/<run>/<name>` means in MLflow 3). */
export function findLoggedModelOfRun(root: string, experimentId: string, runId: string, name: string): LoggedModelInfo | undefined {
  let best: LoggedModelInfo | undefined;
  for (const base of [join(root, experimentId, "models"), join(root, ".trash", experimentId, "models")]) {
    let entries;
    try {
      entries = readdirSync(base, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const info = readLoggedModel(join(base, e.name));
      if (info?.name === name && info.sourceRunId === runId && (best === undefined || info.creationTimestamp > best.creationTimestamp)) best = info;
    }
  }
  return best;
}

/** Local folder with a LoggedModel's files. */
export function loggedModelArtifactDir(root: string, model: LoggedModelInfo): string {
  const local = localizeStorePath(root, model.artifactLocation);
  return existsSync(local) ? local : join(model.dir, "artifacts");
}
