import type { FeatureViewSpec } from "../definitions/specs.js";

/** One entity's latest feature values for one view, as written by materialization or push. */
export interface OnlineRecord {
  /** Entity key serialized with Feast's v3 layout (see `entityKey.ts`). */
  entityKey: Uint8Array;
  /** Feature name → value (numbers, bigint beyond 2^53, strings, booleans, Date, arrays, or null). */
  values: Record<string, unknown>;
  /** Event time of the row the values came from, in microseconds since the Unix epoch (UTC). */
  eventTimestampMicros: number;
  /** The row's created time in microseconds, or null when the source has none. */
  createdTimestampMicros: number | null;
}

/**
 * Key-value storage of the latest feature values per entity, one namespace per feature view
 * (Feast's `OnlineStore`: `online_write_batch`, `online_read`, `update`, `teardown`).
 * Implementations must make each record's write atomic: a reader sees a key's old or new record, never a mix.
 */
export interface OnlineStore {
  /**
   * Writes records of `view`. A record whose event time is older than the one stored for its key is skipped,
   * so re-running an old materialization window never regresses values. Resolves to the number written.
   */
  onlineWriteBatch(view: FeatureViewSpec, records: readonly OnlineRecord[]): Promise<number>;
  /** The stored record for each key, in the order given; `undefined` where a key has none. */
  onlineRead(view: FeatureViewSpec, entityKeys: readonly Uint8Array[]): Promise<(OnlineRecord | undefined)[]>;
  /** `onlineRead` without a promise, for stores that never wait to read (memory-mapped ones); serving uses it when present. */
  onlineReadSync?(view: FeatureViewSpec, entityKeys: readonly Uint8Array[]): (OnlineRecord | undefined)[];
  /** Prepares storage for `toKeep` and drops all data of `toDelete` (called by apply). */
  update(toKeep: readonly FeatureViewSpec[], toDelete: readonly FeatureViewSpec[]): Promise<void>;
  /** Drops all data of `views` and whatever the store keeps beside them (called by teardown). */
  teardown(views: readonly FeatureViewSpec[]): Promise<void>;
  close(): Promise<void>;
}
