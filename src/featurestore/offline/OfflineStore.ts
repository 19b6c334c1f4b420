import type { OnDemandTransform } from "../definitions/OnDemandFeatureView.js";
import type { FeatureViewSpec, FileSourceSpec } from "../definitions/specs.js";
import type { FeatureSelection } from "../featureRefs.js";
import type { EpochMicros } from "../time.js";
import type { RetrievalJob } from "./RetrievalJob.js";

/** Entity rows: a Parquet/CSV file path, or rows as objects. */
export type EntityRows = string | readonly Record<string, unknown>[];

export interface HistoricalRequest {
  entities: EntityRows;
  /** Column holding each row's time; defaults to `event_timestamp`, else the only timestamp column. */
  timestampColumn?: string;
  selection: FeatureSelection;
  transforms: ReadonlyMap<string, OnDemandTransform>;
}

export interface SourceColumn {
  name: string;
  /** DuckDB type, e.g. `BIGINT`, `TIMESTAMP WITH TIME ZONE`. */
  type: string;
}

/** The latest row per entity key of one view, columnar; times in epoch microseconds. */
export interface LatestRows {
  rowCount: number;
  columns: Record<string, unknown[]>;
  eventTimestamps: EpochMicros[];
  createdTimestamps: (EpochMicros | null)[];
}

/**
 * Reads feature sources. Naive timestamps in sources and entity rows are UTC; times compare as instants.
 * Relative source paths are relative to the feature repo.
 */
export interface OfflineStore {
  /**
   * Point-in-time-correct features for every entity row (feast.md §4.2): each row exactly once, in input
   * order, its columns first, then the selected features; nulls where no row is within ttl.
   */
  getHistoricalFeatures(request: HistoricalRequest): Promise<RetrievalJob>;
  /**
   * For materialization: per entity key, the latest row with `start <= event_time <= end`, ties broken by
   * the largest created time; aggregations computed as of `end`.
   */
  pullLatest(view: FeatureViewSpec, startMicros: EpochMicros, endMicros: EpochMicros): Promise<LatestRows>;
  /**
   * Appends rows (for `push` to offline) to a single-file source, atomically and under a lock; the rows
   * must have exactly the source's columns and are cast to its types. Resolves to the number appended.
   */
  appendRows(source: FileSourceSpec, rows: readonly Record<string, unknown>[]): Promise<number>;
  /** The columns of a source, for apply's validation. */
  describeSource(source: FileSourceSpec): Promise<SourceColumn[]>;
  close(): Promise<void>;
}
