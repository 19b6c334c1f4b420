/**
 * A plainly-correct point-in-time join, written as loops and slow on purpose, used as the oracle for
 * the DuckDB implementation. The rule (feast.md §4.2, plus Larder's documented tie-break):
 * for entity row (keys, T) and view V, candidates are V's rows with equal keys and
 * `T - ttl <= ts <= T` (no lower bound when ttl is 0); the winner has the largest ts, then a non-null
 * created beats a null one, then the larger created. Rows tied on event time and created are interchangeable
 * (Feast leaves the choice open), so the join returns every acceptable answer; windowed aggregations
 * de-duplicate fully tied rows by keeping the one later in the source. No candidate → nulls.
 */
export type Micros = bigint;

export interface NaiveSourceRow {
  keys: Record<string, unknown>;
  ts: Micros | null;
  created: Micros | null;
  values: Record<string, unknown>;
}

export interface NaiveAggregation {
  name: string;
  column: string;
  fn: "mean" | "std" | "min" | "max" | "sum" | "count";
  windowMicros: Micros;
}

export interface NaiveView {
  joinKeys: string[];
  ttlMicros: Micros;
  features: string[];
  aggregations: NaiveAggregation[];
  /** In source order. */
  rows: NaiveSourceRow[];
}

export interface NaiveEntityRow {
  keys: Record<string, unknown>;
  ts: Micros;
}

function sameKeys(joinKeys: string[], a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return joinKeys.every((k) => a[k] !== null && a[k] !== undefined && a[k] === b[k]);
}

/** Whether `a` is newer than `b` by event time, then created (non-null beats null); false when tied on both. */
function newer(a: NaiveSourceRow, b: NaiveSourceRow): boolean {
  if (a.ts! !== b.ts!) return a.ts! > b.ts!;
  if ((a.created === null) !== (b.created === null)) return a.created !== null;
  return a.created !== null && b.created !== null && a.created > b.created;
}

/** `newer`, with a full tie going to the row later in the source. */
function beats(a: NaiveSourceRow, aIndex: number, b: NaiveSourceRow, bIndex: number): boolean {
  return newer(a, b) || (!newer(b, a) && aIndex > bIndex);
}

/**
 * For each entity row, every acceptable set of feature values of `view` (more than one only when the
 * winning rows tie on both event time and created).
 */
export function naivePointInTimeJoin(entities: NaiveEntityRow[], view: NaiveView): Record<string, unknown>[][] {
  return entities.map((entity) => {
    const candidates = view.rows.filter((row) => {
      if (row.ts === null || !sameKeys(view.joinKeys, entity.keys, row.keys)) return false;
      if (row.ts > entity.ts) return false;
      return !(view.ttlMicros > 0n && row.ts < entity.ts - view.ttlMicros);
    });
    const valuesOf = (row: NaiveSourceRow | undefined) =>
      Object.fromEntries(view.features.map((feature) => [feature, row === undefined ? null : (row.values[feature] ?? null)]));
    if (candidates.length === 0) return [valuesOf(undefined)];
    let best = candidates[0]!;
    for (const row of candidates) if (newer(row, best)) best = row;
    return candidates.filter((row) => !newer(best, row)).map(valuesOf);
  });
}

/** Rows left after keeping one winner per (keys, ts), by the same tie-break. */
export function naiveDeduplicate(view: NaiveView): NaiveSourceRow[] {
  const kept: { row: NaiveSourceRow; index: number }[] = [];
  view.rows.forEach((row, index) => {
    if (row.ts === null) return;
    const rival = kept.findIndex((k) => k.row.ts === row.ts && sameKeys(view.joinKeys, k.row.keys, row.keys));
    if (rival < 0) kept.push({ row, index });
    else if (beats(row, index, kept[rival]!.row, kept[rival]!.index)) kept[rival] = { row, index };
  });
  return kept.map((k) => k.row);
}

/** Windowed aggregates at each entity row's time over de-duplicated rows with `T - window < ts <= T`. */
export function naiveAggregations(entities: NaiveEntityRow[], view: NaiveView): Record<string, number | null>[] {
  const rows = naiveDeduplicate(view);
  return entities.map((entity) => {
    const out: Record<string, number | null> = {};
    for (const a of view.aggregations) {
      const values: number[] = [];
      for (const row of rows) {
        if (!sameKeys(view.joinKeys, entity.keys, row.keys)) continue;
        if (row.ts! > entity.ts || row.ts! <= entity.ts - a.windowMicros) continue;
        const v = row.values[a.column];
        if (v !== null && v !== undefined) values.push(Number(v));
      }
      out[a.name] = aggregate(a.fn, values);
    }
    return out;
  });
}

function aggregate(fn: NaiveAggregation["fn"], values: number[]): number | null {
  if (fn === "count") return values.length;
  if (values.length === 0) return null;
  const sum = values.reduce((s, v) => s + v, 0);
  switch (fn) {
    case "sum":
      return sum;
    case "mean":
      return sum / values.length;
    case "min":
      return Math.min(...values);
    case "max":
      return Math.max(...values);
    case "std": {
      if (values.length < 2) return null;
      const mean = sum / values.length;
      return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    }
  }
}

/**
 * Materialization's rule: per entity key, the row with `start <= ts <= end` that beats all others (latest
 * ts, then created, then later in the source). Keyed by the join-key values joined with "|".
 */
export function naiveLatestRows(view: NaiveView, start: Micros, end: Micros): Map<string, NaiveSourceRow> {
  const best = new Map<string, { row: NaiveSourceRow; index: number }>();
  view.rows.forEach((row, index) => {
    if (row.ts === null || row.ts < start || row.ts > end) return;
    const key = view.joinKeys.map((k) => String(row.keys[k])).join("|");
    const current = best.get(key);
    if (current === undefined || beats(row, index, current.row, current.index)) best.set(key, { row, index });
  });
  return new Map([...best].map(([key, { row }]) => [key, row]));
}
