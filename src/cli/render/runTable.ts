import type { Run } from "../../tracking/index.js";
import type { CliContext } from "../context.js";

export interface RunTableOptions {
  /** `metrics.x`, `params.y`, `tags.z` or attribute names; default: every metric, then every param. */
  columns?: string[];
  /** Metric keys where lower is better (everything else: higher is better). */
  lowerIsBetter?: (metric: string) => boolean;
}

const LOWER_IS_BETTER = /loss|error|rmse|mae|mse|l1|l2/i;
const shortId = (id: string): string => id.slice(0, 8);

function cell(run: Run, column: string): string | number | undefined {
  if (column.startsWith("metrics.")) return run.data.metrics[column.slice(8)];
  if (column.startsWith("params.")) return run.data.params[column.slice(7)];
  if (column.startsWith("tags.")) return run.data.tags[column.slice(5)];
  switch (column) {
    case "run_id":
      return run.info.runId;
    case "run_name":
      return run.info.runName;
    case "status":
      return run.info.status;
    case "start_time":
      return run.info.startTime === null ? undefined : new Date(run.info.startTime).toISOString().replace("T", " ").slice(0, 19);
    case "user_id":
      return run.info.userId;
    default:
      return undefined;
  }
}

function formatValue(v: string | number | undefined): string {
  if (v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(4).replace(/\.?0+$/, "").replace(/\.?0+e/, "e");
  return v;
}

/** Children listed right under their parent, parents in the given order. */
export function nestRuns(runs: readonly Run[]): Array<{ run: Run; depth: number }> {
  const ids = new Set(runs.map((r) => r.info.runId));
  const children = new Map<string, Run[]>();
  const roots: Run[] = [];
  for (const run of runs) {
    const parent = run.data.tags["mlflow.parentRunId"];
    if (parent !== undefined && ids.has(parent)) children.set(parent, [...(children.get(parent) ?? []), run]);
    else roots.push(run);
  }
  const out: Array<{ run: Run; depth: number }> = [];
  const visit = (run: Run, depth: number) => {
    out.push({ run, depth });
    for (const child of children.get(run.info.runId) ?? []) visit(child, depth + 1);
  };
  roots.forEach((r) => visit(r, 0));
  return out;
}

export function defaultColumns(runs: readonly Run[]): string[] {
  const metrics = new Set<string>();
  const params = new Set<string>();
  for (const r of runs) {
    Object.keys(r.data.metrics).forEach((k) => metrics.add(k));
    Object.keys(r.data.params).forEach((k) => params.add(k));
  }
  return [...[...metrics].sort().map((m) => `metrics.${m}`), ...[...params].sort().map((p) => `params.${p}`)];
}

/**
 * The run table of `track search` / `track compare`: nested runs indented under their parent,
 * and the best value of each metric marked (bold green on a terminal, `*` otherwise).
 */
export async function renderRunTable(ctx: CliContext, runs: readonly Run[], options: RunTableOptions = {}): Promise<string> {
  if (runs.length === 0) return "No runs match.";
  const columns = options.columns ?? defaultColumns(runs);
  const lowerIsBetter = options.lowerIsBetter ?? ((m: string) => LOWER_IS_BETTER.test(m));
  const best = new Map<string, number>();
  for (const column of columns.filter((c) => c.startsWith("metrics."))) {
    const values = runs.map((r) => cell(r, column)).filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
    if (values.length > 1) best.set(column, lowerIsBetter(column.slice(8)) ? Math.min(...values) : Math.max(...values));
  }
  const colored = ctx.out.level > 0;
  const rows = nestRuns(runs).map(({ run, depth }) => [
    shortId(run.info.runId),
    `${depth > 0 ? `${"  ".repeat(depth - 1)}└ ` : ""}${run.info.runName}`,
    run.info.status,
    ...columns.map((c) => {
      const v = cell(run, c);
      const text = formatValue(v);
      if (typeof v === "number" && best.get(c) === v) return colored ? ctx.out.bold.green(text) : `${text} *`;
      return text;
    }),
  ]);
  const header = ["run", "name", "status", ...columns.map((c) => c.replace(/^(metrics|params|tags)\./, ""))];
  const table = await ctx.table(header, rows);
  return best.size > 0 && !colored ? `${table}\n* best value of the metric` : table;
}

/** `track compare RUN1 RUN2 …`: one row per param and metric, one column per run, differences marked. */
export async function renderRunComparison(ctx: CliContext, runs: readonly Run[]): Promise<string> {
  const keys = [
    ...[...new Set(runs.flatMap((r) => Object.keys(r.data.params)))].sort().map((k) => `params.${k}`),
    ...[...new Set(runs.flatMap((r) => Object.keys(r.data.metrics)))].sort().map((k) => `metrics.${k}`),
  ];
  const colored = ctx.out.level > 0;
  const rows = keys.map((key) => {
    const values = runs.map((r) => formatValue(cell(r, key)));
    const differs = new Set(values).size > 1;
    return [differs ? (colored ? ctx.out.yellow(key) : `${key} ≠`) : key, ...values];
  });
  return ctx.table(["", ...runs.map((r) => `${r.info.runName} (${shortId(r.info.runId)})`)], rows);
}
