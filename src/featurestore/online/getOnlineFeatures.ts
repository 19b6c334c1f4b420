import { LarderError } from "../../errors.js";
import type { OnDemandTransform } from "../definitions/OnDemandFeatureView.js";
import type { FeatureSelection } from "../featureRefs.js";
import { applyOnDemand } from "../onDemand.js";
import { formatEpochMicros, type EpochMicros } from "../time.js";
import { onlineReadPlan, type ViewRead } from "./onlineReadPlan.js";
import type { OnlineRecord, OnlineStore } from "./OnlineStore.js";
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

type EntityColumns = Record<string, readonly unknown[]>;

/**
 * Normalizes rows (a list of objects, or columns) to columns; all rows must name the same keys (Feast's rule).
 * Columns given as columns are used as they are, not copied: nothing here writes to them.
 */
export function columnsOfRows(rows: OnlineEntityRows): { names: string[]; columns: EntityColumns; rowCount: number } {
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
  const columns = rows as Record<string, unknown>;
  const names = Object.keys(columns);
  let rowCount = -1;
  for (const name of names) {
    const column = columns[name];
    if (!Array.isArray(column) || (rowCount >= 0 && column.length !== rowCount)) {
      rowCount = -1;
      break;
    }
    rowCount = column.length;
  }
  if (rowCount < 0) throw new LarderError("INVALID_PARAMETER_VALUE", "entities must map each join key to an array, all of the same length");
  return { names, columns: columns as EntityColumns, rowCount };
}

/**
 * Reads the selected features for each entity row. Statuses: PRESENT when the key was found (even if the
 * value is null), NOT_FOUND otherwise, OUTSIDE_MAX_AGE when found but older than the view's ttl (ttl > 0;
 * the value is still returned, as Feast's Go and Java servers do). Entity columns come first with status
 * PRESENT and the zero timestamp, then features in request order, then on-demand outputs.
 */
export async function getOnlineFeatures(store: OnlineStore, request: OnlineReadRequest): Promise<OnlineResponse> {
  const { selection } = request;
  const plan = onlineReadPlan(selection);
  const { names, columns, rowCount } = columnsOfRows(request.entityRows);
  const now = request.nowMicros ?? Date.now() * 1000;

  const byAlias = new Map<string, ResultColumn>();
  for (const read of plan.views) {
    const missing = read.view.joinKeys.filter((k) => !(k in columns));
    if (missing.length > 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Missing join key ${missing.join(", ")} for feature view ${read.view.name}`, {
        hint: `Give ${read.view.joinKeys.join(", ")} in every entity row`,
      });
    }
    const keys = entityKeys(read, columns, rowCount);
    // Each distinct key is read once even when rows repeat it.
    const { distinct, rowToDistinct } = distinctKeys(keys);
    // Memory-mapped stores answer without a promise, which keeps a one-entity read to a few microseconds.
    const records = store.onlineReadSync !== undefined ? store.onlineReadSync(read.view, distinct) : await store.onlineRead(read.view, distinct);
    const rowRecords = rowToDistinct === undefined ? records : rowToDistinct.map((i) => records[i]);
    addViewColumns(byAlias, read, rowRecords, now);
  }

  if (selection.onDemand.length > 0) {
    const fetched: Record<string, unknown[]> = {};
    for (const [alias, column] of byAlias) fetched[alias] = column.values;
    const outputs = applyOnDemand(selection.onDemand, fetched, rowCount, request.transforms);
    for (const selected of selection.onDemand) {
      for (const output of selected.outputs) {
        byAlias.set(output.alias, {
          values: outputs[output.alias]!.map((v) => responseValue(v, output.dtype)),
          statuses: new Array<FieldStatus>(rowCount).fill("PRESENT"),
          event_timestamps: new Array<string>(rowCount).fill(ZERO_TIMESTAMP),
        });
      }
    }
  }

  const entityNames = names.filter((n) => plan.joinKeys.has(n));
  const results: ResultColumn[] = [];
  for (const name of entityNames) {
    const dtype = plan.entityDtypes.get(name);
    results.push({
      values: columns[name]!.map((v) => entityValue(v, dtype)),
      statuses: new Array<FieldStatus>(rowCount).fill("PRESENT"),
      event_timestamps: new Array<string>(rowCount).fill(ZERO_TIMESTAMP),
    });
  }
  for (const name of plan.featureNames) results.push(byAlias.get(name)!);
  return { metadata: { feature_names: [...entityNames, ...plan.featureNames] }, results };
}

type ResultColumn = OnlineResponse["results"][number];

function entityKeys(read: ViewRead, columns: EntityColumns, rowCount: number): Uint8Array[] {
  const keyColumns = read.key.names.map((k) => columns[k]!);
  const values = new Array<unknown>(keyColumns.length);
  const keys = new Array<Uint8Array>(rowCount);
  for (let row = 0; row < rowCount; row++) {
    for (let k = 0; k < keyColumns.length; k++) values[k] = keyColumns[k]![row];
    keys[row] = read.key.serialize(values);
  }
  return keys;
}

/** The keys without repeats, and for each row its key's index among them (undefined when none repeat). */
function distinctKeys(keys: Uint8Array[]): { distinct: Uint8Array[]; rowToDistinct: number[] | undefined } {
  if (keys.length < 2) return { distinct: keys, rowToDistinct: undefined };
  const indexOf = new Map<string, number>();
  const distinct: Uint8Array[] = [];
  const rowToDistinct = keys.map((key) => {
    const id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
    let index = indexOf.get(id);
    if (index === undefined) {
      index = distinct.push(key) - 1;
      indexOf.set(id, index);
    }
    return index;
  });
  return distinct.length === keys.length ? { distinct, rowToDistinct: undefined } : { distinct, rowToDistinct };
}

/** One response column per field of the view; a row's status and timestamp are worked out once for all fields. */
function addViewColumns(byAlias: Map<string, ResultColumn>, read: ViewRead, records: readonly (OnlineRecord | undefined)[], now: EpochMicros): void {
  const rowCount = records.length;
  const statuses = new Array<FieldStatus>(rowCount);
  const times = new Array<string>(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const record = records[row];
    if (record === undefined) {
      statuses[row] = "NOT_FOUND";
      times[row] = ZERO_TIMESTAMP;
    } else {
      statuses[row] = read.ttlMicros > 0 && now - record.eventTimestampMicros > read.ttlMicros ? "OUTSIDE_MAX_AGE" : "PRESENT";
      times[row] = formatEpochMicros(record.eventTimestampMicros);
    }
  }
  for (const [index, field] of read.fields.entries()) {
    const values = new Array<unknown>(rowCount);
    for (let row = 0; row < rowCount; row++) {
      const record = records[row];
      values[row] = record === undefined ? null : responseValue(record.values[field.feature], field.dtype);
    }
    // The last field takes the row arrays themselves; the others get their own copies.
    const last = index === read.fields.length - 1;
    byAlias.set(field.alias, { values, statuses: last ? statuses : statuses.slice(), event_timestamps: last ? times : times.slice() });
  }
}

/** An entity value as echoed in the response: converted to its declared type, as Feast does (`"3"` → 3). */
function entityValue(value: unknown, dtype: string | undefined): unknown {
  if ((dtype === "Int64" || dtype === "Int32") && typeof value === "string" && /^-?\d+$/.test(value.trim())) {
    return responseValue(BigInt(value.trim()), dtype);
  }
  return responseValue(value, dtype ?? "");
}
