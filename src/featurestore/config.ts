import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { LarderError } from "../errors.js";
import { ONLINE_STORE_TYPES } from "./online/onlineStoreTypes.js";
import { suggestNearest as nearest } from "../core/suggest.js";

export const CONFIG_FILE = "feature_store.yaml";

export interface OnlineStoreConfig {
  type: string;
  /** Absolute path of the store (for `lmdb`), resolved against the repo. */
  path: string;
  [option: string]: unknown;
}

/** `feature_store.yaml`, validated, with paths made absolute. */
export interface RepoConfig {
  repoDir: string;
  project: string;
  projectDescription: string;
  provider: "local";
  /** Absolute path of the JSON registry file. */
  registryPath: string;
  offlineStore: { type: "duckdb" };
  onlineStore: OnlineStoreConfig;
  entityKeySerializationVersion: 3;
}

const TOP_LEVEL_KEYS = [
  "project",
  "project_description",
  "registry",
  "provider",
  "offline_store",
  "online_store",
  "entity_key_serialization_version",
  "auth",
  "coerce_tz_aware",
  "batch_engine",
] as const;
const REGISTRY_KEYS = ["path", "registry_type", "cache_ttl_seconds"];
// Feast's default `file`/`dask` store is accepted as a name for the DuckDB one, which implements
// the documented point-in-time rule that the dask store only approximates (feast.md §4.3).
const OFFLINE_STORE_TYPES = ["duckdb", "file", "dask"];
const DEFAULT_ONLINE_PATH = "data/online_store.lmdb";

/** Reads and validates `feature_store.yaml` in `repoDir`; every problem is reported at once. */
export async function loadRepoConfig(repoDir: string, configPath = join(repoDir, CONFIG_FILE)): Promise<RepoConfig> {
  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (err) {
    throw new LarderError(
      "RESOURCE_DOES_NOT_EXIST",
      `Can't find feature repo configuration file at ${configPath}`,
      { hint: "Run larder fs in a feature repo, or pass -c DIR", cause: err },
    );
  }
  return parseRepoConfig(text, resolve(repoDir), configPath);
}

/** Validates the YAML text of a `feature_store.yaml` (after `${VAR}` expansion, as Feast does). */
export async function parseRepoConfig(text: string, repoDir: string, origin = CONFIG_FILE): Promise<RepoConfig> {
  const { parse } = await import("yaml");
  let raw: unknown;
  try {
    raw = parse(expandEnv(text));
  } catch (err) {
    throw new LarderError("CONFIG_ERROR", `${origin} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  const problems: string[] = [];
  const config = validate(raw, repoDir, problems);
  if (problems.length > 0 || config === undefined) {
    throw new LarderError("CONFIG_ERROR", `Invalid ${origin}:\n${problems.map((p) => `  - ${p}`).join("\n")}`, {
      hint: "See the feature_store.yaml keys in the Larder README (they are Feast's)",
    });
  }
  return config;
}

function expandEnv(text: string): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = process.env[(braced ?? bare)!];
    return value === undefined ? whole : value;
  });
}

function unknownKeys(object: Record<string, unknown>, allowed: readonly string[], path: string, problems: string[]): void {
  for (const key of Object.keys(object)) {
    if (allowed.includes(key)) continue;
    const guess = nearest(key, allowed);
    problems.push(`${path}${key}: unknown key${guess ? ` (did you mean ${guess}?)` : ""}; valid keys: ${allowed.join(", ")}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function absolute(repoDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(repoDir, path);
}

function validate(raw: unknown, repoDir: string, problems: string[]): RepoConfig | undefined {
  if (!isObject(raw)) {
    problems.push("the file must be a mapping of keys such as project, registry, online_store");
    return undefined;
  }
  unknownKeys(raw, TOP_LEVEL_KEYS, "", problems);

  const project = raw.project;
  if (typeof project !== "string" || !/^[A-Za-z0-9][\w-]*$/.test(project)) {
    problems.push(
      project === undefined
        ? "project: required"
        : "project: must be letters, digits, underscores and hyphens, not starting with an underscore or hyphen",
    );
  }
  const description = raw.project_description ?? "";
  if (typeof description !== "string") problems.push("project_description: must be a string");

  let registryPath = "";
  const registry = raw.registry;
  if (typeof registry === "string") {
    registryPath = registry;
  } else if (isObject(registry)) {
    unknownKeys(registry, REGISTRY_KEYS, "registry.", problems);
    if (typeof registry.path !== "string") problems.push("registry.path: required string");
    else registryPath = registry.path;
    if (registry.registry_type !== undefined && registry.registry_type !== "file") {
      problems.push(`registry.registry_type: ${JSON.stringify(registry.registry_type)} is not supported; valid types: file`);
    }
  } else {
    problems.push("registry: required (the path of the registry file, e.g. data/registry.json)");
  }

  const provider = raw.provider ?? "local";
  if (provider !== "local") problems.push(`provider: ${JSON.stringify(provider)} is not supported; valid providers: local`);

  const offline = typeof raw.offline_store === "string" ? { type: raw.offline_store } : raw.offline_store ?? { type: "duckdb" };
  if (!isObject(offline)) {
    problems.push("offline_store: must be a mapping such as {type: duckdb}");
  } else {
    unknownKeys(offline, ["type"], "offline_store.", problems);
    const type = offline.type ?? "duckdb";
    if (typeof type !== "string" || !OFFLINE_STORE_TYPES.includes(type)) {
      const guess = typeof type === "string" ? nearest(type, OFFLINE_STORE_TYPES) : undefined;
      problems.push(`offline_store.type: ${JSON.stringify(type)} is not supported${guess ? ` (did you mean ${guess}?)` : ""}; valid types: duckdb`);
    }
  }

  const onlineStore = validateOnlineStore(raw.online_store, repoDir, problems);

  const version = raw.entity_key_serialization_version ?? 3;
  if (version !== 3) problems.push(`entity_key_serialization_version: only 3 is supported, got ${JSON.stringify(version)}`);

  if (raw.auth !== undefined && !(isObject(raw.auth) && raw.auth.type === "no_auth" && Object.keys(raw.auth).length === 1)) {
    problems.push("auth: only {type: no_auth} is supported");
  }
  if (raw.coerce_tz_aware !== undefined && raw.coerce_tz_aware !== true) {
    problems.push("coerce_tz_aware: only true is supported (naive timestamps always mean UTC)");
  }
  if (raw.batch_engine !== undefined && raw.batch_engine !== "local" && !(isObject(raw.batch_engine) && raw.batch_engine.type === "local")) {
    problems.push("batch_engine: only local is supported");
  }

  if (problems.length > 0 || onlineStore === undefined) return undefined;
  return {
    repoDir,
    project: project as string,
    projectDescription: description as string,
    provider: "local",
    registryPath: absolute(repoDir, registryPath),
    offlineStore: { type: "duckdb" },
    onlineStore,
    entityKeySerializationVersion: 3,
  };
}

function validateOnlineStore(raw: unknown, repoDir: string, problems: string[]): OnlineStoreConfig | undefined {
  const object = raw === undefined ? { type: "lmdb" } : typeof raw === "string" ? { type: raw } : raw;
  if (!isObject(object)) {
    problems.push("online_store: must be a mapping such as {type: lmdb, path: data/online_store.lmdb}");
    return undefined;
  }
  const type = object.type ?? "lmdb";
  const valid = Object.keys(ONLINE_STORE_TYPES);
  if (typeof type !== "string" || !valid.includes(type)) {
    const guess = typeof type === "string" ? nearest(type, valid) : undefined;
    problems.push(
      `online_store.type: ${JSON.stringify(type)} is not supported${guess ? ` (did you mean ${guess}?)` : ""}; valid types: ${valid.join(", ")}`,
    );
    return undefined;
  }
  const allowed = ONLINE_STORE_TYPES[type]!.configKeys;
  unknownKeys(object, ["type", ...allowed], "online_store.", problems);
  const path = object.path ?? DEFAULT_ONLINE_PATH;
  if (typeof path !== "string") {
    problems.push("online_store.path: must be a string");
    return undefined;
  }
  return { ...object, type, path: absolute(repoDir, path) };
}
