import { LarderError } from "../../errors.js";
import type { OnDemandTransform } from "../definitions/OnDemandFeatureView.js";
import type { FeatureSelection } from "../featureRefs.js";
import { applyOnDemand } from "../onDemand.js";
import { formatEpochMicros, type EpochMicros } from "../time.js";
import { serializeEntityKey } from "./entityKey.js";
import type { OnlineStore } from "./OnlineStore.js";
import { responseValue, ZERO_TIMESTAMP, type FieldStatus, type OnlineResponse } from "./onlineResponse.js";

/** Entity rows as a list of objects, or column-major (`{participant_id: [3, 4]}`) as Feast's server takes them. */
export type OnlineEntityRows = readonly Record<string, unknown>[] | Record<string, readonly unknown[]>;

export interface OnlineReadRequest {
  selection: FeatureSelection;
  entityRows: OnlineEntityRows;
  transforms: ReadonlyMap<string, OnDemandTransform>;
  /** For the age check; defaults to the current time. */
  nowMicros?: EpochMicros;
}

/** Normalizes rows (a list of objects, or columns) to columns; all rows must name the same keys (Feast's rule). */
export function columnsOfRows(rows: OnlineEntityRows): { names: string[]; columns: Record<string, unknown[]>; rowCount: number } {
  if (Array.isArray(rows)) {
    if (rows.length === 0) throw new LarderError("INVALID_PARAMETER_VALUE", "No entity rows given");
    const names = Object.keys(rows[0]!);
    const columns: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const row of rows as Record<string, unknown>[]) {
      const keys = Object.keys(row);
      if (keys.length !== names.length || keys.some((k) => !(k in columns))) {
        throw new LarderError("INVALID_PARAMETER_VALUE", "All entity_rows must have the same keys.");
      }
      for (const name of names) columns[name]!.push(row[name]);
    }
    return { names, columns, rowCount: rows.length };
  }
  if (typeof rows !== "object" || rows === null) throw new LarderError("INVALID_PARAMETER_VALUE", "entities must be an object of arrays");
  const names = Object.keys(rows);
  const lengths = new Set(names.map((n) => (Array.isArray((rows as Record<string, unknown>)[n]) ? (rows as Record<string, unknown[]>)[n]!.length : -1)));
  if (names.length === 0 || lengths.has(-1) || lengths.size !== 1) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "entities must map each join key to an array, all of the same length");
  }
  const columns = Object.fromEntries(names.map((n) => [n, [...(rows as Record<string, readonly unknown[]>)[n]!]]));
  return { names, columns, rowCount: [...lengths][0]! };
}

/**
 * Reads the selected features for each entity row. Statuses: PRESENT when the key was found (even if the
 * value is null), NOT_FOUND otherwise, OUTSIDE_MAX_AGE when found but older than the view's ttl (ttl > 0;
 * the value is still returned, as Feast's Go and Java servers do). Entity columns come first with status
 * PRESENT and the zero timestamp, then features in request order, then on-demand outputs.
 */
export async function getOnlineFeatures(store: OnlineStore, request: OnlineReadRequest): Promise<OnlineResponse> {
  const { selection } = request;
  const { names, columns, rowCount } = columnsOfRows(request.entityRows);
  const now = request.nowMicros ?? Date.now() * 1000;
  const joinKeys = new Set(selection.views.flatMap((v) => v.view.joinKeys));
  const entityNames = names.filter((n) => joinKeys.has(n));

  const fetched: Record<string, unknown[]> = {};
  const statuses: Record<string, FieldStatus[]> = {};
  const timestamps: Record<string, string[]> = {};
  for (const { view, features, aggregations } of selection.views) {
    const missing = view.joinKeys.filter((k) => !(k in columns));
    if (missing.length > 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Missing join key ${missing.join(", ")} for feature view ${view.name}`, {
        hint: `Give ${view.joinKeys.join(", ")} in every entity row`,
      });
    }
    const dtypes = Object.fromEntries(view.entityColumns.map((f) => [f.name, f.dtype]));
    const keys = Array.from({ length: rowCount }, (_, row) =>
      serializeEntityKey(Object.fromEntries(view.joinKeys.map((k) => [k, columns[k]![row]])), dtypes),
    );
    // Each distinct key is read once even when rows repeat it.
    const distinct = new Map<string, Uint8Array>();
    for (const key of keys) distinct.set(Buffer.from(key).toString("latin1"), key);
    const records = await store.onlineRead(view, [...distinct.values()]);
    const byKey = new Map([...distinct.keys()].map((k, i) => [k, records[i]]));
    const ttlMicros = view.ttlSeconds * 1_000_000;
    for (const feature of [...features, ...aggregations]) {
      const values: unknown[] = [];
      const status: FieldStatus[] = [];
      const times: string[] = [];
      for (const key of keys) {
        const record = byKey.get(Buffer.from(key).toString("latin1"));
        if (record === undefined) {
          values.push(null);
          status.push("NOT_FOUND");
          times.push(ZERO_TIMESTAMP);
          continue;
        }
        values.push(responseValue(record.values[feature.feature], feature.dtype));
        status.push(ttlMicros > 0 && now - record.eventTimestampMicros > ttlMicros ? "OUTSIDE_MAX_AGE" : "PRESENT");
        times.push(formatEpochMicros(record.eventTimestampMicros));
      }
      fetched[feature.alias] = values;
      statuses[feature.alias] = status;
      timestamps[feature.alias] = times;
    }
  }

  if (selection.onDemand.length > 0) {
    const outputs = applyOnDemand(selection.onDemand, fetched, rowCount, request.transforms);
    for (const selected of selection.onDemand) {
      for (const output of selected.outputs) {
        fetched[output.alias] = outputs[output.alias]!.map((v) => responseValue(v, output.dtype));
        statuses[output.alias] = new Array<FieldStatus>(rowCount).fill("PRESENT");
        timestamps[output.alias] = new Array<string>(rowCount).fill(ZERO_TIMESTAMP);
      }
    }
  }

  const featureNames = selection.outputs.map((o) => o.alias);
  const entityDtypes = new Map(selection.views.flatMap((v) => v.view.entityColumns.map((f) => [f.name, f.dtype] as const)));
  return {
    metadata: { feature_names: [...entityNames, ...featureNames] },
    results: [
      ...entityNames.map((name) => ({
        values: columns[name]!.map((v) => entityValue(v, entityDtypes.get(name))),
        statuses: new Array<FieldStatus>(rowCount).fill("PRESENT"),
        event_timestamps: new Array<string>(rowCount).fill(ZERO_TIMESTAMP),
      })),
      ...featureNames.map((name) => ({ values: fetched[name]!, statuses: statuses[name]!, event_timestamps: timestamps[name]! })),
    ],
  };
}

/** An entity value as echoed in the response: converted to its declared type, as Feast does (`"3"` → 3). */
function entityValue(value: unknown, dtype: string | undefined): unknown {
  if ((dtype === "Int64" || dtype === "Int32") && typeof value === "string" && /^-?\d+$/.test(value.trim())) {
    return responseValue(BigInt(value.trim()), dtype);
  }
  return responseValue(value, dtype ?? "");
}
