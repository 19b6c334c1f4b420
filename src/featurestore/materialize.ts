import { LarderError } from "../errors.js";
import { viewFeatures, type FeatureViewSpec, type RepoSpecs } from "./definitions/specs.js";
import type { OfflineStore } from "./offline/OfflineStore.js";
import { entityKeySerializer } from "./online/entityKey.js";
import type { OnlineRecord, OnlineStore } from "./online/OnlineStore.js";
import type { FileFeatureRegistry } from "./registry/FileFeatureRegistry.js";
import type { RegistryDocument } from "./registry/registryDocument.js";
import { formatLogTimestamp, toEpochMicros, type EpochMicros } from "./time.js";

const WEEK_MICROS = 7 * 86_400_000_000;
/** Records handed to the online store per call, so progress can be reported while writing. */
const WRITE_CHUNK = 10_000;

export interface ViewWindow {
  view: FeatureViewSpec;
  startMicros: EpochMicros;
  endMicros: EpochMicros;
  /** Feast's note when an incremental window had to be guessed (ttl 0, never materialized). */
  notice?: string;
}

export interface MaterializedView extends ViewWindow {
  /** Entity keys with a row in the window. */
  rows: number;
  /** Keys written (rows older than what was online are skipped). */
  written: number;
}

export interface MaterializeProgress {
  /** Called first, with Feast's `Materializing N feature views ...` line. */
  onBegin?(header: string): void;
  /** Called once per view before writing, with the number of keys to write and Feast's `name:` line. */
  onViewStart?(view: string, total: number, line: string): void;
  /** Called as keys are written. */
  onProgress?(view: string, done: number, total: number): void;
}

export interface MaterializeDeps {
  offline: OfflineStore;
  online: OnlineStore;
  registry: FileFeatureRegistry;
  /** `online_store.type`, for the log lines. */
  storeType: string;
}

/**
 * The online feature views to materialize: all of them, or those named (each must exist and be online,
 * with Feast's messages).
 */
export function viewsToMaterialize(specs: RepoSpecs, names: readonly string[] | undefined, project: string): FeatureViewSpec[] {
  if (names === undefined || names.length === 0) return specs.featureViews.filter((v) => v.online);
  return names.map((name) => {
    const view = specs.featureViews.find((v) => v.name === name);
    if (view === undefined) {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Feature view ${name} does not exist in project ${project}`, {
        hint: "Run larder fs list feature-views, or larder fs apply",
      });
    }
    if (!view.online) throw new LarderError("INVALID_PARAMETER_VALUE", `FeatureView ${name} is not configured to be served online.`);
    return view;
  });
}

/**
 * Windows for `materialize-incremental END`: from the end of the view's latest materialization, else
 * `END - ttl`, else (ttl 0) `END - 52 weeks`.
 */
export function incrementalWindows(views: readonly FeatureViewSpec[], document: RegistryDocument | undefined, endMicros: EpochMicros): ViewWindow[] {
  return views.map((view) => {
    const intervals = document?.meta.featureViews[view.name]?.materializationIntervals ?? [];
    const ends = intervals.map((i) => toEpochMicros(i.end, "materialization interval end"));
    if (ends.length > 0) return { view, startMicros: Math.max(...ends), endMicros };
    if (view.ttlSeconds > 0) return { view, startMicros: endMicros - view.ttlSeconds * 1_000_000, endMicros };
    return {
      view,
      startMicros: endMicros - 52 * WEEK_MICROS,
      endMicros,
      notice: `Since the ttl is 0 for feature view ${view.name}, the start date will be set to 1 year before the current time.`,
    };
  });
}

/**
 * Copies, per view, the latest row of every entity key in the window from the offline to the online
 * store, then records the window in the registry. Rows never replace newer ones already online; each
 * key's write is atomic, so an interrupted run leaves every key old or new, and a re-run completes it.
 */
export async function materializeWindows(
  deps: MaterializeDeps,
  windows: readonly ViewWindow[],
  incremental: boolean,
  progress: MaterializeProgress = {},
): Promise<MaterializedView[]> {
  const { header, viewLines } = materializationLog(windows, incremental, deps.storeType);
  progress.onBegin?.(header);
  const done: MaterializedView[] = [];
  for (const [index, window] of windows.entries()) {
    const { view, startMicros, endMicros } = window;
    if (startMicros > endMicros) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `The start (${formatLogTimestamp(startMicros)}) of the window for ${view.name} is after its end (${formatLogTimestamp(endMicros)})`);
    }
    const latest = await deps.offline.pullLatest(view, startMicros, endMicros);
    const dtypes = Object.fromEntries(view.entityColumns.map((f) => [f.name, f.dtype]));
    const features = viewFeatures(view).map((f) => f.name);
    const entityKey = entityKeySerializer([...new Set(view.joinKeys)].sort(), dtypes);
    const keyColumns = entityKey.names.map((key) => latest.columns[key]!);
    const keyValues = new Array<unknown>(keyColumns.length);
    const records: OnlineRecord[] = new Array(latest.rowCount);
    for (let row = 0; row < latest.rowCount; row++) {
      for (let k = 0; k < keyColumns.length; k++) keyValues[k] = keyColumns[k]![row];
      const values: Record<string, unknown> = {};
      for (const feature of features) values[feature] = latest.columns[feature]?.[row] ?? null;
      records[row] = {
        entityKey: entityKey.serialize(keyValues),
        values,
        eventTimestampMicros: latest.eventTimestamps[row]!,
        createdTimestampMicros: latest.createdTimestamps[row]!,
      };
    }
    progress.onViewStart?.(view.name, records.length, viewLines[index]!);
    let written = 0;
    for (let start = 0; start < records.length; start += WRITE_CHUNK) {
      written += await deps.online.onlineWriteBatch(view, records.slice(start, start + WRITE_CHUNK));
      progress.onProgress?.(view.name, Math.min(start + WRITE_CHUNK, records.length), records.length);
    }
    await recordInterval(deps.registry, view.name, startMicros, endMicros);
    done.push({ ...window, rows: records.length, written });
  }
  return done;
}

async function recordInterval(registry: FileFeatureRegistry, view: string, startMicros: EpochMicros, endMicros: EpochMicros): Promise<void> {
  await registry.update((current) => {
    if (current === undefined) {
      throw new LarderError("INVALID_STATE", "Nothing has been applied to the registry yet", { hint: "Run larder fs apply" });
    }
    const meta = current.meta.featureViews[view];
    if (meta !== undefined) {
      meta.materializationIntervals = [...(meta.materializationIntervals ?? []), { start: isoMicros(startMicros), end: isoMicros(endMicros) }];
      meta.lastUpdatedTimestamp = new Date().toISOString();
    }
    return current;
  });
}

/** ISO-8601 with microseconds, so an incremental run starts exactly where the last one ended. */
function isoMicros(micros: EpochMicros): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  return new Date(ms).toISOString().replace("Z", `${String(rest).padStart(3, "0")}Z`);
}

/**
 * Feast's materialization log: the header line, then per view `name:` (or `name from A to B:`), preceded
 * by the view's notice if it has one.
 */
export function materializationLog(windows: readonly ViewWindow[], incremental: boolean, storeType: string): { header: string; viewLines: string[] } {
  const n = windows.length;
  const first = windows[0];
  const header = incremental || first === undefined
    ? `Materializing ${n} feature views to ${formatLogTimestamp(first?.endMicros ?? 0)} into the ${storeType} online store.`
    : `Materializing ${n} feature views from ${formatLogTimestamp(first.startMicros)} to ${formatLogTimestamp(first.endMicros)} into the ${storeType} online store.`;
  const viewLines = windows.map((w) => {
    const line = incremental ? `${w.view.name} from ${formatLogTimestamp(w.startMicros)} to ${formatLogTimestamp(w.endMicros)}:` : `${w.view.name}:`;
    return w.notice === undefined ? line : `${w.notice}\n${line}`;
  });
  return { header, viewLines };
}
