import { LarderError } from "../errors.js";
import { FileTrackingStore } from "../tracking/FileTrackingStore.js";
import { getTrackingStore } from "../tracking/trackingUri.js";
import { FileModelRegistry } from "./FileModelRegistry.js";

const registries = new Map<FileTrackingStore, FileModelRegistry>();

/**
 * The registry that shares a store with tracking (MLflow's default): `<store>/models/`. Resolves
 * the URI like the tracking store (explicit, `MLFLOW_TRACKING_URI`, `./mlruns`); remote URIs are
 * refused the same way.
 */
export function getModelRegistry(trackingUri?: string): FileModelRegistry {
  const store = getTrackingStore(trackingUri);
  if (!(store instanceof FileTrackingStore)) {
    throw new LarderError("NOT_IMPLEMENTED", `The model registry needs a local store; '${store.uri}' is not one`);
  }
  let registry = registries.get(store);
  if (registry === undefined) {
    registry = new FileModelRegistry(store);
    registries.set(store, registry);
  }
  return registry;
}
