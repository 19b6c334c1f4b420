import { LarderError } from "../errors.js";
import { batchSourceOf, type FeatureViewSpec, type RepoSpecs } from "./definitions/specs.js";
import type { OfflineStore } from "./offline/OfflineStore.js";
import { serializeEntityKey } from "./online/entityKey.js";
import { columnsOfRows, type OnlineEntityRows } from "./online/getOnlineFeatures.js";
import type { OnlineRecord, OnlineStore } from "./online/OnlineStore.js";
import { toEpochMicros } from "./time.js";

export type PushTarget = "online" | "offline" | "online_and_offline";
const TARGETS: readonly PushTarget[] = ["online", "offline", "online_and_offline"];

export interface PushResult {
  /** Feature views fed by the push source. */
  views: string[];
  /** Entity keys written online, over all views. */
  onlineWritten: number;
  /** Rows appended to the batch source file. */
  offlineAppended: number;
}

export interface PushDeps {
  specs: RepoSpecs;
  offline: OfflineStore;
  online: () => Promise<OnlineStore>;
  project: string;
}

/**
 * Feast's push: rows for a push source go to every feature view fed by it, online (latest row per entity
 * key, never replacing a newer stored row) and/or appended to the batch source offline. Rows hold the join
 * keys, the batch source's timestamp field, and the features (source column or feature names). Windowed
 * aggregation features need history, so pushed records carry them as null until the next materialization.
 */
export async function pushRows(deps: PushDeps, pushSource: string, rows: OnlineEntityRows, to: PushTarget = "online"): Promise<PushResult> {
  if (!TARGETS.includes(to)) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `to must be one of ${TARGETS.join(", ")}, got ${JSON.stringify(to)}`);
  }
  const source = deps.specs.dataSources.find((s) => s.name === pushSource && s.type === "push");
  if (source === undefined || source.type !== "push") {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Push source ${pushSource} does not exist in project ${deps.project}`, {
      hint: "Run larder fs list data-sources, or larder fs apply",
    });
  }
  const views = deps.specs.featureViews.filter((v) => v.source.type === "push" && v.source.name === pushSource);
  const { names, columns, rowCount } = columnsOfRows(rows);
  const batch = source.batchSource;
  if (!(batch.timestampField in columns)) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Pushed rows lack the timestamp column ${batch.timestampField}`);
  }

  let offlineAppended = 0;
  if (to !== "online") {
    const list = Array.from({ length: rowCount }, (_, row) => Object.fromEntries(names.map((n) => [n, columns[n]![row]])));
    offlineAppended = await deps.offline.appendRows(batch, list);
  }
  let onlineWritten = 0;
  if (to !== "offline") {
    const online = await deps.online();
    for (const view of views.filter((v) => v.online)) {
      onlineWritten += await online.onlineWriteBatch(view, latestRecords(view, columns, rowCount));
    }
  }
  return { views: views.map((v) => v.name), onlineWritten, offlineAppended };
}

function latestRecords(view: FeatureViewSpec, columns: Record<string, readonly unknown[]>, rowCount: number): OnlineRecord[] {
  const batch = batchSourceOf(view);
  const rawName = (name: string) => Object.entries(batch.fieldMapping).find(([, mapped]) => mapped === name)?.[0] ?? name;
  const column = (name: string): readonly unknown[] | undefined => columns[name] ?? columns[rawName(name)];
  for (const key of view.joinKeys) {
    if (column(key) === undefined) throw new LarderError("INVALID_PARAMETER_VALUE", `Pushed rows lack the join key ${key} of feature view ${view.name}`);
  }
  const dtypes = Object.fromEntries(view.entityColumns.map((f) => [f.name, f.dtype]));
  const created = batch.createdTimestampColumn === null ? undefined : columns[batch.createdTimestampColumn];
  const latest = new Map<string, OnlineRecord>();
  for (let row = 0; row < rowCount; row++) {
    const entityKey = serializeEntityKey(Object.fromEntries(view.joinKeys.map((k) => [k, column(k)![row]])), dtypes);
    const ts = toEpochMicros(columns[batch.timestampField]![row] as string, batch.timestampField);
    const createdValue = created?.[row];
    const createdMicros = createdValue === null || createdValue === undefined ? null : toEpochMicros(createdValue as string, batch.createdTimestampColumn!);
    const id = Buffer.from(entityKey).toString("latin1");
    const current = latest.get(id);
    const newer =
      current === undefined ||
      ts > current.eventTimestampMicros ||
      (ts === current.eventTimestampMicros && (createdMicros ?? -Infinity) >= (current.createdTimestampMicros ?? -Infinity));
    if (!newer) continue;
    const values: Record<string, unknown> = {};
    for (const feature of view.features) values[feature.name] = column(feature.name)?.[row] ?? null;
    for (const aggregation of view.aggregations) values[aggregation.name] = null;
    latest.set(id, { entityKey, values, eventTimestampMicros: ts, createdTimestampMicros: createdMicros });
  }
  return [...latest.values()];
}
