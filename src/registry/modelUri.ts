import { existsSync } from "node:fs";
import { join, posix } from "node:path";
import { LarderError } from "../errors.js";
import { localPathFromUri } from "../tracking/FileTrackingStore.js";
import { uriScheme } from "../tracking/trackingUri.js";
import type { ModelVersionStage } from "./entities.js";
import { getModelRegistry } from "./getModelRegistry.js";
import type { FileModelRegistry } from "./FileModelRegistry.js";
import { parseStage } from "./stages.js";
import { findLoggedModel, findLoggedModelOfRun, localizeStorePath, loggedModelArtifactDir } from "./storePaths.js";

export type ParsedModelUri =
  | { kind: "path"; path: string }
  | { kind: "run"; runId: string; artifactPath: string }
  | { kind: "version"; name: string; version: number }
  | { kind: "stage"; name: string; stage: ModelVersionStage }
  | { kind: "latest"; name: string }
  | { kind: "alias"; name: string; alias: string }
  | { kind: "loggedModel"; modelId: string };

function malformed(uri: string, why: string): LarderError {
  return new LarderError("INVALID_PARAMETER_VALUE", `Not a proper model URI '${uri}': ${why}`, {
    hint: "Use a path, runs:/<run_id>/<path>, models:/<name>/<version>, models:/<name>/<stage>, models:/<name>@<alias> or models:/<name>/latest.",
  });
}

/** Parses every form of model URI MLflow accepts (without touching the store). */
export function parseModelUri(uri: string): ParsedModelUri {
  if (typeof uri !== "string" || uri.trim() === "") throw malformed(String(uri), "it is empty");
  const scheme = uriScheme(uri);
  if (scheme === "runs") {
    const match = /^runs:\/+([^/]+)(?:\/(.*))?$/.exec(uri);
    if (match === null || match[1] === undefined) throw malformed(uri, "expected runs:/<run_id>/<path>");
    const artifactPath = (match[2] ?? "").replace(/\/+$/, "");
    if (artifactPath !== "" && (posix.isAbsolute(artifactPath) || artifactPath.split("/").includes(".."))) {
      throw malformed(uri, "the artifact path may not contain '..'");
    }
    return { kind: "run", runId: match[1], artifactPath };
  }
  if (scheme === "models") {
    if (uri.startsWith("models://")) throw malformed(uri, "remote registries (models://<host>/…) are not supported");
    const body = uri.slice("models:/".length).replace(/^\/+/, "");
    const at = body.indexOf("@");
    if (at !== -1) {
      const name = body.slice(0, at);
      const alias = body.slice(at + 1);
      if (name === "" || alias === "" || alias.includes("/") || name.includes("/")) throw malformed(uri, "expected models:/<name>@<alias>");
      return { kind: "alias", name, alias };
    }
    const parts = body.split("/");
    if (parts.length === 1 && /^m-[0-9a-f]+$/.test(parts[0]!)) return { kind: "loggedModel", modelId: parts[0]! };
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") throw malformed(uri, "expected models:/<name>/<version|stage|latest> or models:/<name>@<alias>");
    const [name, suffix] = parts as [string, string];
    if (/^\d+$/.test(suffix)) return { kind: "version", name, version: Number(suffix) };
    if (suffix.toLowerCase() === "latest") return { kind: "latest", name };
    return { kind: "stage", name, stage: parseStage(suffix) };
  }
  if (scheme === "" || scheme === "file") return { kind: "path", path: localPathFromUri(uri) };
  throw malformed(uri, `the scheme '${scheme}:' is not supported for local models`);
}

function mustExist(path: string, uri: string): string {
  if (!existsSync(path)) {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Model '${uri}' resolves to '${path}', which does not exist`);
  }
  return path;
}

/** The local folder behind a registered version's download URI (which may itself be a URI). */
async function versionDir(registry: FileModelRegistry, name: string, version: number, uri: string, depth: number): Promise<string> {
  const download = await registry.getModelVersionDownloadUri(name, version);
  return resolveWith(registry, download, depth + 1, uri);
}

async function resolveWith(registry: FileModelRegistry, uri: string, depth: number, original: string): Promise<string> {
  if (depth > 5) throw malformed(original, "model versions refer to each other in a loop");
  const parsed = parseModelUri(uri);
  switch (parsed.kind) {
    case "path": {
      const local = uri.startsWith("file:") ? localizeStorePath(registry.root, uri) : parsed.path;
      return mustExist(local, original);
    }
    case "run": {
      const run = await registry.tracking.getRun(parsed.runId);
      const local = await registry.tracking.getArtifactLocalPath(parsed.runId, parsed.artifactPath === "" ? undefined : parsed.artifactPath);
      if (existsSync(local)) return local;
      // MLflow 3 keeps logged model files outside the run, under <experiment>/models/m-…/artifacts.
      const [first = "", ...rest] = parsed.artifactPath.split("/");
      const logged = findLoggedModelOfRun(registry.root, run.info.experimentId, parsed.runId, first);
      if (logged !== undefined) return mustExist(join(loggedModelArtifactDir(registry.root, logged), ...rest), original);
      return mustExist(local, original);
    }
    case "loggedModel": {
      const logged = findLoggedModel(registry.root, parsed.modelId);
      if (logged === undefined) throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Logged model '${parsed.modelId}' does not exist`);
      return mustExist(loggedModelArtifactDir(registry.root, logged), original);
    }
    case "version":
      return versionDir(registry, parsed.name, parsed.version, original, depth);
    case "latest": {
      const versions = await registry.getLatestVersions(parsed.name);
      if (versions.length === 0) throw new LarderError("RESOURCE_DOES_NOT_EXIST", `No versions of model with name '${parsed.name}' found`);
      const newest = versions.reduce((a, b) => (b.version > a.version ? b : a));
      return versionDir(registry, parsed.name, newest.version, original, depth);
    }
    case "stage": {
      const [found] = await registry.getLatestVersions(parsed.name, [parsed.stage]);
      if (found === undefined) {
        throw new LarderError("RESOURCE_DOES_NOT_EXIST", `No versions of model with name '${parsed.name}' and stage '${parsed.stage}' found`);
      }
      return versionDir(registry, parsed.name, found.version, original, depth);
    }
    case "alias": {
      const version = await registry.getModelVersionByAlias(parsed.name, parsed.alias);
      return versionDir(registry, parsed.name, version.version, original, depth);
    }
  }
}

export interface ResolveModelUriOptions {
  trackingUri?: string;
  /** Use this registry instead of the one for `trackingUri`. */
  registry?: FileModelRegistry;
}

/**
 * Resolves a model URI to a local folder (the one holding `MLmodel`) or file: a path or `file:`
 * URI, `runs:/RUN/path`, `models:/NAME/VERSION`, `models:/NAME/STAGE`, `models:/NAME/latest`,
 * `models:/NAME@ALIAS`, or an MLflow 3 `models:/m-…` id. Throws RESOURCE_DOES_NOT_EXIST when the
 * target is missing.
 */
export async function resolveModelUri(uri: string, options: ResolveModelUriOptions = {}): Promise<string> {
  const parsed = parseModelUri(uri);
  if (parsed.kind === "path" && options.registry === undefined && !uri.startsWith("file:")) return mustExist(parsed.path, uri);
  const registry = options.registry ?? getModelRegistry(options.trackingUri);
  return resolveWith(registry, uri, 0, uri);
}
