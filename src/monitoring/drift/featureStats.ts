import type { Duck } from "../../core/duckdb.js";
import { chiSquareHomogeneity, ksPValue, populationStabilityIndex, type ChiSquareResult } from "../stats/tests.js";

/** Shares of a histogram shown in the report: bin labels and the share of each side per bin. */
export interface Histogram {
  labels: string[];
  reference: number[];
  current: number[];
}

export interface ColumnDrift {
  kind: "numeric" | "categorical";
  referenceRows: number;
  currentRows: number;
  referenceNullShare: number;
  currentNullShare: number;
  psi: number;
  /** PSI bins: upper edges of all but the last bin (numeric), or the categories compared. */
  bins: string[];
  ks?: { statistic: number; pValue: number };
  chiSquare?: ChiSquareResult;
  histogram: Histogram;
}

/** Quantiles of the reference that bound the PSI bins (deciles: 10 bins). */
export const PSI_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const HISTOGRAM_BINS = 20;
const HISTOGRAM_CATEGORIES = 20;

/**
 * Compares one column between two relations, each given as a `SELECT ... AS x` relation. Counting,
 * quantiles, binning and the ECDF gap run in DuckDB; only per-bin counts come back.
 */
export async function columnDrift(duck: Duck, reference: string, current: string, kind: "numeric" | "categorical"): Promise<ColumnDrift> {
  const value = kind === "numeric" ? "TRY_CAST(x AS DOUBLE)" : "CAST(x AS VARCHAR)";
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE drift_values AS
       SELECT 'r' AS side, ${value} AS v FROM ${reference} UNION ALL SELECT 'c' AS side, ${value} AS v FROM ${current}`,
  );
  const [counts] = await duck.all<{ r_all: bigint; r: bigint; c_all: bigint; c: bigint }>(
    `SELECT count(*) FILTER (side = 'r') AS r_all, count(v) FILTER (side = 'r') AS r,
            count(*) FILTER (side = 'c') AS c_all, count(v) FILTER (side = 'c') AS c FROM drift_values`,
  );
  const referenceRows = Number(counts!.r_all);
  const currentRows = Number(counts!.c_all);
  const shares = {
    referenceRows,
    currentRows,
    referenceNullShare: referenceRows === 0 ? 0 : 1 - Number(counts!.r) / referenceRows,
    currentNullShare: currentRows === 0 ? 0 : 1 - Number(counts!.c) / currentRows,
  };
  return kind === "numeric" ? { kind, ...shares, ...(await numericStats(duck)) } : { kind, ...shares, ...(await categoricalStats(duck)) };
}

async function binCounts(duck: Duck, binSql: string, bins: number): Promise<{ r: number[]; c: number[] }> {
  const rows = await duck.all<{ side: string; bin: number; n: bigint }>(
    `SELECT side, (${binSql})::INTEGER AS bin, count(*) AS n FROM drift_values WHERE v IS NOT NULL GROUP BY ALL`,
  );
  const r = new Array<number>(bins).fill(0);
  const c = new Array<number>(bins).fill(0);
  for (const row of rows) (row.side === "r" ? r : c)[row.bin] = Number(row.n);
  return { r, c };
}

/** `CASE WHEN v <= e1 THEN 0 WHEN v <= e2 THEN 1 ... ELSE k END`: bins closed on the right. */
function binCase(edges: number[]): string {
  if (edges.length === 0) return "0";
  return `CASE ${edges.map((e, i) => `WHEN v <= ${e} THEN ${i}`).join(" ")} ELSE ${edges.length} END`;
}

async function numericStats(duck: Duck) {
  const [q] = await duck.all<{ edges: number[] | null; lo: number | null; hi: number | null }>(
    `SELECT quantile_cont(v, [${PSI_QUANTILES.join(", ")}]) FILTER (side = 'r') AS edges, min(v) AS lo, max(v) AS hi
     FROM drift_values WHERE v IS NOT NULL`,
  );
  // Repeated quantiles (a discrete or constant column) would make empty, meaningless bins.
  const edges = [...new Set(q!.edges ?? [])].filter(Number.isFinite);
  const psiCounts = await binCounts(duck, binCase(edges), edges.length + 1);
  const [ks] = await duck.all<{ d: number | null; n: bigint; m: bigint }>(
    `WITH steps AS (SELECT v, count(*) FILTER (side = 'r') AS r, count(*) FILTER (side = 'c') AS c FROM drift_values WHERE v IS NOT NULL GROUP BY v),
          totals AS (SELECT sum(r) AS n, sum(c) AS m FROM steps)
     SELECT max(abs(cr / n - cc / m)) AS d, any_value(n)::BIGINT AS n, any_value(m)::BIGINT AS m
     FROM (SELECT sum(r) OVER w AS cr, sum(c) OVER w AS cc FROM steps WINDOW w AS (ORDER BY v)), totals`,
  );
  const n = Number(ks!.n ?? 0);
  const m = Number(ks!.m ?? 0);
  const d = n > 0 && m > 0 ? Number(ks!.d) : NaN;
  return {
    psi: populationStabilityIndex(psiCounts.r, psiCounts.c),
    bins: edges.map((e) => `<= ${formatEdge(e)}`).concat(edges.length > 0 ? [`> ${formatEdge(edges[edges.length - 1]!)}`] : ["all"]),
    ks: { statistic: d, pValue: ksPValue(d, n, m) },
    histogram: await numericHistogram(duck, q!.lo, q!.hi),
  };
}

async function numericHistogram(duck: Duck, lo: number | null, hi: number | null): Promise<Histogram> {
  if (lo === null || hi === null) return { labels: [], reference: [], current: [] };
  const bins = lo === hi ? 1 : HISTOGRAM_BINS;
  const width = (hi - lo) / bins;
  const binSql = bins === 1 ? "0" : `least(floor((v - ${lo}) / ${width}), ${bins - 1})`;
  const { r, c } = await binCounts(duck, binSql, bins);
  const labels = Array.from({ length: bins }, (_, b) => formatEdge(lo + b * width));
  return { labels, reference: toShares(r), current: toShares(c) };
}

async function categoricalStats(duck: Duck) {
  const rows = await duck.all<{ v: string; r: bigint; c: bigint }>(
    `SELECT v, count(*) FILTER (side = 'r') AS r, count(*) FILTER (side = 'c') AS c
     FROM drift_values WHERE v IS NOT NULL GROUP BY v ORDER BY r + c DESC, v`,
  );
  const r = rows.map((row) => Number(row.r));
  const c = rows.map((row) => Number(row.c));
  const labels = rows.map((row) => row.v);
  const shown = Math.min(labels.length, HISTOGRAM_CATEGORIES);
  const histogram: Histogram = { labels: labels.slice(0, shown), reference: toShares(r).slice(0, shown), current: toShares(c).slice(0, shown) };
  if (labels.length > shown) {
    histogram.labels.push("(other)");
    histogram.reference.push(toShares(r).slice(shown).reduce((s, v) => s + v, 0));
    histogram.current.push(toShares(c).slice(shown).reduce((s, v) => s + v, 0));
  }
  return { psi: populationStabilityIndex(r, c), bins: labels, chiSquare: chiSquareHomogeneity(r, c), histogram };
}

function toShares(counts: number[]): number[] {
  const total = counts.reduce((s, v) => s + v, 0);
  return counts.map((v) => (total === 0 ? 0 : v / total));
}

function formatEdge(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
