import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { atomicWriteFile } from "../core/atomicWrite.js";
import { isWritableFolder } from "./writableFolder.js";
import type { Run } from "./entities.js";
import { formatPythonFloat, parsePythonFloat } from "./pythonFloat.js";

/**
 * A rebuildable per-experiment snapshot of every run's info, latest metrics, params and tags,
 * kept in `<experiment>/.larder-search-cache.json` (a file, so MLflow, which lists only folders,
 * ignores it). It is never the source of truth: deleting it only makes the next search slower.
 *
 * A cached run is reused only while its `meta.yaml` is the same file with the same size and
 * mtime. Larder rewrites `meta.yaml` atomically on info changes and touches its mtime after every
 * param, metric or tag write, so one `stat` per run is enough to see Larder's changes (four stats
 * per run, one per folder, would double the cost of a 10 000-run search). Because file times are
 * coarse, a run changed within a second of being cached is re-read until it settles. RUNNING runs
 * are always re-read: another writer (MLflow itself) may add to a live run without touching
 * `meta.yaml`. A later MLflow write to a finished run is only seen once the cache file is deleted.
 */
export const SEARCH_CACHE_FILE = ".larder-search-cache.json";
const FORMAT_VERSION = 2;
const SETTLE_MS = 1000;

/**
 * On disk every string is interned in one table and each run is a flat array of numbers, which
 * keeps the file about a third the size of plain JSON objects and quick to parse:
 * `[runId, fp, capturedAt, settled, experimentId, runName, userId, status, startTime, endTime,
 *   artifactPrefix, lifecycleStage, deletedTime, nMetrics, (key, value)*, nParams, (key, value)*, nTags, (key, value)*]`
 * where string fields are table indices and metric values are numbers (non-finite ones as the
 * strings `nan`, `inf`, `-inf`, since JSON has no such numbers).
 */
type Packed = (number | string | null)[];

interface CachedRun {
  fp: string;
  capturedAt: number;
  settled: boolean;
  run: Run;
}

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  id(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

const ARTIFACTS_SUFFIX = "/artifacts";

function pack(runId: string, entry: CachedRun, table: StringTable): Packed {
  const { info, data } = entry.run;
  const suffix = `/${runId}${ARTIFACTS_SUFFIX}`;
  // The artifact URI is nearly always <experiment location>/<run id>/artifacts: store the shared prefix.
  const artifact = info.artifactUri.endsWith(suffix) ? table.id(info.artifactUri.slice(0, -suffix.length)) : -1 - table.id(info.artifactUri);
  const out: Packed = [
    runId,
    entry.fp,
    entry.capturedAt,
    entry.settled ? 1 : 0,
    table.id(info.experimentId),
    table.id(info.runName),
    table.id(info.userId),
    table.id(info.status),
    info.startTime,
    info.endTime,
    artifact,
    table.id(info.lifecycleStage),
    info.deletedTime,
  ];
  const metrics = Object.entries(data.metrics);
  out.push(metrics.length);
  for (const [k, v] of metrics) out.push(table.id(k), Number.isFinite(v) ? v : formatPythonFloat(v));
  for (const record of [data.params, data.tags]) {
    const entries = Object.entries(record);
    out.push(entries.length);
    for (const [k, v] of entries) out.push(table.id(k), table.id(v));
  }
  return out;
}

function unpack(p: Packed, strings: string[]): { runId: string; entry: CachedRun } {
  const s = (i: unknown) => strings[i as number]!;
  const runId = p[0] as string;
  const artifact = p[10] as number;
  const run: Run = {
    info: {
      runId,
      experimentId: s(p[4]),
      runName: s(p[5]),
      userId: s(p[6]),
      status: s(p[7]) as Run["info"]["status"],
      startTime: p[8] as number | null,
      endTime: p[9] as number | null,
      artifactUri: artifact >= 0 ? `${s(artifact)}/${runId}${ARTIFACTS_SUFFIX}` : s(-1 - artifact),
      lifecycleStage: s(p[11]) as Run["info"]["lifecycleStage"],
      deletedTime: p[12] as number | null,
    },
    data: { metrics: {}, params: {}, tags: {} },
  };
  let i = 13;
  const nMetrics = p[i++] as number;
  for (let m = 0; m < nMetrics; m++) {
    const key = s(p[i++]);
    const v = p[i++] as number | string;
    run.data.metrics[key] = typeof v === "string" ? parsePythonFloat(v) : v;
  }
  for (const record of [run.data.params, run.data.tags]) {
    const n = p[i++] as number;
    for (let k = 0; k < n; k++) {
      const key = s(p[i++]);
      record[key] = s(p[i++]);
    }
  }
  return { runId, entry: { fp: p[1] as string, capturedAt: p[2] as number, settled: p[3] === 1, run } };
}

export interface RunFingerprint {
  fp: string;
  newestChange: number;
}

/** Undefined when the folder has no `meta.yaml` (not a run, or one still being created). */
export function fingerprintRun(runDir: string): RunFingerprint | undefined {
  const meta = statSync(join(runDir, "meta.yaml"), { throwIfNoEntry: false });
  if (meta === undefined) return undefined;
  return { fp: `${meta.ino}:${meta.size}:${meta.mtimeMs}`, newestChange: meta.mtimeMs };
}

export class RunSearchCache {
  /** Rows as read from disk, unpacked only when used. */
  private packed = new Map<string, Packed>();
  private strings: string[] = [];
  /** Runs read or refreshed in this search. */
  private fresh = new Map<string, CachedRun>();
  private seen = new Set<string>();
  private dirty = false;

  private constructor(private readonly path: string) {}

  static open(experimentDir: string): RunSearchCache {
    const cache = new RunSearchCache(join(experimentDir, SEARCH_CACHE_FILE));
    try {
      const parsed = JSON.parse(readFileSync(cache.path, "utf8")) as { version?: number; strings?: string[]; runs?: Packed[] };
      if (parsed.version === FORMAT_VERSION && Array.isArray(parsed.strings) && Array.isArray(parsed.runs)) {
        cache.strings = parsed.strings;
        for (const row of parsed.runs) cache.packed.set(row[0] as string, row);
      }
    } catch {
      // Missing or unreadable: start empty; it is rebuilt from the runs.
    }
    return cache;
  }

  /** The cached run if still valid for this fingerprint. */
  lookup(runId: string, fingerprint: RunFingerprint): Run | undefined {
    this.seen.add(runId);
    const row = this.packed.get(runId);
    if (row === undefined || row[3] !== 1 || row[1] !== fingerprint.fp || this.strings[row[7] as number] === "RUNNING") return undefined;
    return unpack(row, this.strings).entry.run;
  }

  store(runId: string, fingerprint: RunFingerprint, run: Run, capturedAt: number): void {
    this.seen.add(runId);
    const settled = capturedAt - fingerprint.newestChange > SETTLE_MS;
    const row = this.packed.get(runId);
    // A RUNNING or unsettled run that has not changed since it was cached needs no rewrite.
    if (row !== undefined && row[1] === fingerprint.fp && (row[3] === 1) === settled) return;
    this.fresh.set(runId, { fp: fingerprint.fp, capturedAt, settled, run });
    this.dirty = true;
  }

  /** Writes the snapshot back (dropping runs no longer present); failures are ignored, it is only a cache. */
  async save(): Promise<void> {
    for (const id of this.packed.keys()) if (!this.seen.has(id)) this.dirty = true;
    if (!this.dirty || !isWritableFolder(dirname(this.path))) return;
    const table = new StringTable();
    const rows: Packed[] = [];
    for (const id of this.seen) {
      const fresh = this.fresh.get(id);
      if (fresh !== undefined) {
        rows.push(pack(id, fresh, table));
        continue;
      }
      const old = this.packed.get(id);
      if (old !== undefined) rows.push(pack(id, unpack(old, this.strings).entry, table));
    }
    try {
      await atomicWriteFile(this.path, JSON.stringify({ version: FORMAT_VERSION, strings: table.strings, runs: rows }));
      this.dirty = false;
    } catch {
      // Read-only store (e.g. a shared reference copy): searching still works, just uncached.
    }
  }
}
