import type { RepoSpecs } from "../definitions/specs.js";

export interface MaterializationInterval {
  /** ISO-8601 UTC instants. */
  start: string;
  end: string;
}

export interface ObjectMeta {
  createdTimestamp: string;
  lastUpdatedTimestamp: string;
  /** Feature views only: every materialized window, in the order run. */
  materializationIntervals?: MaterializationInterval[];
}

export type ObjectListKey = keyof RepoSpecs;

/** The registry file: a project's specs plus per-object meta, rewritten whole on every change. */
export interface RegistryDocument {
  registrySchemaVersion: 1;
  project: string;
  /** A new UUID on every write, as Feast's `version_id`. */
  versionId: string;
  lastUpdated: string;
  projectCreated: string;
  objects: RepoSpecs;
  meta: Record<ObjectListKey, Record<string, ObjectMeta>>;
}

export function emptyMeta(): RegistryDocument["meta"] {
  return { entities: {}, dataSources: {}, featureViews: {}, onDemandFeatureViews: {}, featureServices: {} };
}
