import { Duck } from "../../core/duckdb.js";
import { quotedIdentifier, quotedString } from "../../core/sql.js";
import { isNumericType, loadTable, type ColumnInfo } from "../tableInput.js";
import { formatDuration } from "./duration.js";
import { loadExpectations, type AllowedValue, type ColumnExpectation, type Expectations } from "./expectations.js";
import { typeMatches } from "./typeMatch.js";

export interface ExpectationResult {
  expectation: "present" | "type" | "not_null" | "max_null_percent" | "range" | "allowed" | "unique" | "row_count" | "freshness";
  column: string | null;
  passed: boolean;
  /** What the data has, e.g. `3 nulls (1.5%)` or `min 12, max 240; 2 rows outside`. */
  observed: string;
  expected: string;
  /** Line of the expectation in its file, when read from YAML. */
  line?: number;
}

export interface ValidationReport {
  data: string;
  expectations: string;
  rows: number;
  passed: boolean;
  failures: number;
  results: ExpectationResult[];
}

export interface ValidateDataOptions {
  /** The time freshness is measured against (default: now). */
  now?: Date;
}

const SAMPLE = 5;

/** Checks a CSV/Parquet file against expectations (a parsed object or a file path). */
export async function validateData(path: string, expectations: Expectations | string, options: ValidateDataOptions = {}): Promise<ValidationReport> {
  const spec = typeof expectations === "string" ? await loadExpectations(expectations) : expectations;
  const now = options.now ?? new Date();
  return Duck.with(async (duck) => {
    const columns = await loadTable(duck, "data", path);
    const types = new Map(columns.map((c) => [c.name, c.type]));
    const results: ExpectationResult[] = [];
    const aggregates: string[] = ["count(*) AS n"];
    const pending: Array<(row: Record<string, unknown>) => void> = [];
    let alias = 0;
    const add = (sql: string): string => {
      const name = `a${alias++}`;
      aggregates.push(`${sql} AS ${name}`);
      return name;
    };

    for (const expectation of spec.columns) {
      const type = types.get(expectation.column);
      const line = expectation.line;
      results.push({
        expectation: "present", column: expectation.column, passed: type !== undefined,
        observed: type === undefined ? "missing" : "present", expected: "present", ...(line === undefined ? {} : { line }),
      });
      if (type !== undefined) pending.push(...columnChecks(expectation, type, add, results));
    }
    for (const fresh of spec.freshness) {
      const type = types.get(fresh.column);
      if (type === undefined) {
        results.push({ expectation: "present", column: fresh.column, passed: false, observed: "missing", expected: "present (for freshness)", ...lineOf(fresh.line) });
        continue;
      }
      const newest = add(`max(TRY_CAST(${quotedIdentifier(fresh.column)} AS TIMESTAMP))`);
      const index = results.push(placeholder("freshness", fresh.column, `newest within ${fresh.maxAge}`, fresh.line)) - 1;
      pending.push((row) => {
        const value = row[newest] as Date | null;
        if (value === null) return Object.assign(results[index]!, { passed: false, observed: "no timestamps" });
        const age = now.getTime() - value.getTime();
        Object.assign(results[index]!, { passed: age <= fresh.maxAgeMs, observed: `newest ${value.toISOString()} (${formatDuration(age)} old)` });
      });
    }

    const [row] = await duck.all(`SELECT ${aggregates.join(",\n  ")} FROM data`);
    const rows = Number(row!.n as bigint);
    for (const apply of pending) apply(row!);
    if (spec.rowCount) {
      const { min, max } = spec.rowCount;
      const expected = [min === undefined ? null : `>= ${min}`, max === undefined ? null : `<= ${max}`].filter(Boolean).join(" and ");
      results.unshift({
        expectation: "row_count", column: null, passed: (min === undefined || rows >= min) && (max === undefined || rows <= max),
        observed: `${rows} rows`, expected, ...lineOf(spec.rowCount.line),
      });
    }
    const failures = results.filter((r) => !r.passed).length;
    return { data: path, expectations: spec.source, rows, passed: failures === 0, failures, results };
  });
}

const lineOf = (line: number | undefined) => (line === undefined ? {} : { line });

function placeholder(expectation: ExpectationResult["expectation"], column: string, expected: string, line: number | undefined): ExpectationResult {
  return { expectation, column, passed: false, observed: "", expected, ...lineOf(line) };
}

function literal(value: AllowedValue | number | string, numeric: boolean): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return numeric && Number.isFinite(Number(value)) ? String(Number(value)) : quotedString(value);
}

/** Adds the SQL aggregates one column's expectations need; returns how to read them back. */
function columnChecks(
  e: ColumnExpectation,
  type: ColumnInfo["type"],
  add: (sql: string) => string,
  results: ExpectationResult[],
): Array<(row: Record<string, unknown>) => void> {
  const col = quotedIdentifier(e.column);
  const numeric = isNumericType(type);
  const out: Array<(row: Record<string, unknown>) => void> = [];
  const slot = (expectation: ExpectationResult["expectation"], expected: string) => results.push(placeholder(expectation, e.column, expected, e.line)) - 1;
  if (e.type !== undefined) {
    const passed = typeMatches(e.type, type);
    results.push({ expectation: "type", column: e.column, passed, observed: type, expected: e.type, ...lineOf(e.line) });
  }
  if (e.notNull || e.maxNullPercent !== undefined) {
    const nulls = add(`count(*) - count(${col})`);
    const total = add("count(*)");
    const index = slot(e.notNull ? "not_null" : "max_null_percent", e.notNull ? "no nulls" : `<= ${e.maxNullPercent}% null`);
    out.push((row) => {
      const n = Number(row[nulls] as bigint);
      const all = Number(row[total] as bigint);
      const percent = all === 0 ? 0 : (100 * n) / all;
      const passed = e.notNull ? n === 0 : percent <= e.maxNullPercent!;
      Object.assign(results[index]!, { passed, observed: `${n} null (${percent.toFixed(2)}%)` });
    });
  }
  if (e.min !== undefined || e.max !== undefined) {
    const conditions = [
      e.min === undefined ? null : `${col} < ${literal(e.min, numeric)}`,
      e.max === undefined ? null : `${col} > ${literal(e.max, numeric)}`,
    ].filter(Boolean);
    const outside = add(`count(*) FILTER (${conditions.join(" OR ")})`);
    const lo = add(`min(${col})::VARCHAR`);
    const hi = add(`max(${col})::VARCHAR`);
    const expected = [e.min === undefined ? null : `>= ${e.min}`, e.max === undefined ? null : `<= ${e.max}`].filter(Boolean).join(" and ");
    const index = slot("range", expected);
    out.push((row) => {
      const n = Number(row[outside] as bigint);
      Object.assign(results[index]!, { passed: n === 0, observed: `min ${row[lo] ?? "–"}, max ${row[hi] ?? "–"}; ${n} outside` });
    });
  }
  if (e.allowed !== undefined) {
    const numericList = numeric && e.allowed.every((v) => typeof v === "number");
    const list = e.allowed.map((v) => (numericList ? String(v) : quotedString(String(v)))).join(", ");
    const value = numericList ? col : `${col}::VARCHAR`;
    const condition = `${col} IS NOT NULL AND ${value} NOT IN (${list})`;
    const bad = add(`count(*) FILTER (${condition})`);
    const sample = add(`list_sort(list(DISTINCT ${col}::VARCHAR) FILTER (${condition}))[1:${SAMPLE}]`);
    const index = slot("allowed", e.allowed.length <= 6 ? `one of ${e.allowed.join(", ")}` : `one of ${e.allowed.length} values`);
    out.push((row) => {
      const n = Number(row[bad] as bigint);
      const examples = (row[sample] as string[] | null) ?? [];
      Object.assign(results[index]!, { passed: n === 0, observed: n === 0 ? "all allowed" : `${n} rows not allowed, e.g. ${examples.join(", ")}` });
    });
  }
  if (e.unique) {
    const duplicates = add(`count(${col}) - count(DISTINCT ${col})`);
    const index = slot("unique", "unique");
    out.push((row) => {
      const n = Number(row[duplicates] as bigint);
      Object.assign(results[index]!, { passed: n === 0, observed: n === 0 ? "unique" : `${n} duplicate values` });
    });
  }
  return out;
}
