import { resolve } from "node:path";
import { LarderError } from "../errors.js";
import { FileTrackingStore, localPathFromUri } from "./FileTrackingStore.js";
import type { TrackingStore } from "./TrackingStore.js";

export const DEFAULT_TRACKING_URI = "./mlruns";

/**
 * The tracking URI in effect: the explicit one (`--tracking-uri`), else `MLFLOW_TRACKING_URI`,
 * else `./mlruns`. Empty strings count as unset, so `MLFLOW_TRACKING_URI=` does not point the
 * store at the current folder.
 */
export function resolveTrackingUri(explicit?: string): string {
  const fromEnv = process.env.MLFLOW_TRACKING_URI;
  if (explicit !== undefined && explicit !== "") return explicit;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return DEFAULT_TRACKING_URI;
}

/** The scheme of a URI, `""` for a plain path (including Windows drive paths such as `C:\runs`). */
export function uriScheme(uri: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri);
  if (match === null || /^[a-zA-Z]:[\\/]/.test(uri)) return "";
  return match[1]!.toLowerCase();
}

export type TrackingStoreFactory = (uri: string) => TrackingStore;

const notYet = (uri: string): TrackingStore => {
  throw new LarderError("NOT_IMPLEMENTED", `Tracking URI '${uri}' points at a tracking server; Larder does not support remote tracking servers yet`, {
    hint: "Use a local store: a folder path or a file: URI (e.g. --tracking-uri ./mlruns).",
  });
};

/** Scheme → store, one entry per backend (MLflow's registry of tracking stores). */
export const trackingStoreFactories: Record<string, TrackingStoreFactory> = {
  "": (uri) => new FileTrackingStore(uri),
  file: (uri) => new FileTrackingStore(uri),
  http: notYet,
  https: notYet,
};

const stores = new Map<string, TrackingStore>();

/** The cache key is the resolved location: `./mlruns` means different stores in different folders. */
function cacheKey(scheme: string, uri: string): string {
  return scheme === "" || scheme === "file" ? `file:${localPathFromUri(uri)}` : uri;
}

/** The store for a tracking URI (resolved with `resolveTrackingUri`); one instance per location. */
export function getTrackingStore(uri?: string): TrackingStore {
  const resolved = resolveTrackingUri(uri);
  const scheme = uriScheme(resolved);
  const factory = trackingStoreFactories[scheme];
  if (factory === undefined) {
    const known = Object.keys(trackingStoreFactories).filter((s) => s !== "").map((s) => `${s}:`);
    throw new LarderError("INVALID_PARAMETER_VALUE", `Unsupported tracking URI scheme '${scheme}:' in '${resolved}'`, {
      hint: `Use a folder path or one of: ${known.join(", ")}.`,
    });
  }
  const key = cacheKey(scheme, resolved);
  let store = stores.get(key);
  if (store === undefined) {
    store = factory(resolved);
    stores.set(key, store);
  }
  return store;
}

/** The local root folder behind a `file:` / plain tracking URI (for the model registry). */
export function localStoreRoot(uri?: string): string {
  const resolved = resolveTrackingUri(uri);
  const scheme = uriScheme(resolved);
  if (scheme !== "" && scheme !== "file") getTrackingStore(resolved);
  return scheme === "" ? resolve(resolved) : localPathFromUri(resolved);
}
