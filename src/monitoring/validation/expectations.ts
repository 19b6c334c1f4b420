import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { LarderError } from "../../errors.js";
import { parseDuration } from "./duration.js";

export type AllowedValue = string | number | boolean;

/** What one column must satisfy; listing a column at all means it must be present. */
export interface ColumnExpectation {
  column: string;
  /** `numeric`, `integer`, `float`, `string`, `boolean`, `timestamp`, `date`, or a DuckDB type name. */
  type?: string;
  notNull?: boolean;
  /** At most this percentage (0–100) of rows may be null. */
  maxNullPercent?: number;
  min?: number | string;
  max?: number | string;
  allowed?: AllowedValue[];
  unique?: boolean;
  line?: number;
}

export interface FreshnessExpectation {
  column: string;
  maxAgeMs: number;
  maxAge: string;
  line?: number;
}

export interface Expectations {
  source: string;
  rowCount?: { min?: number; max?: number; line?: number };
  freshness: FreshnessExpectation[];
  columns: ColumnExpectation[];
}

const TOP_KEYS = ["row_count", "freshness", "columns"];
const COLUMN_KEYS = ["type", "not_null", "max_null_percent", "range", "min", "max", "allowed", "unique"];

/**
 * Reads an expectations file: YAML (`.yaml`/`.yml`), or a JS module (`.js`/`.mjs`) whose default
 * export (or `expectations` export) is the same structure as a plain object.
 */
export async function loadExpectations(path: string): Promise<Expectations> {
  if (/\.(m?js)$/i.test(path)) {
    const { pathToFileURL } = await import("node:url");
    const mod = (await import(pathToFileURL(path).href)) as { default?: unknown; expectations?: unknown };
    const { stringify } = await import("yaml");
    // Lines of the re-serialised object would point nowhere in the module, so errors name keys only.
    return parseExpectations(stringify(mod.expectations ?? mod.default ?? null), path, { lines: false });
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `No such expectations file: ${path}`);
  }
  return parseExpectations(text, path);
}

/**
 * Parses expectations YAML:
 *
 *   row_count: { min: 100, max: 1000000 }
 *   freshness: { column: date, max_age: 2d }     # or a list of these
 *   columns:
 *     heart_rate: { type: numeric, not_null: true, range: { min: 30, max: 220 } }
 *     steps: { max_null_percent: 5, min: 0 }
 *     activity: { allowed: [Lying, Sitting] }
 *     id: { unique: true }
 *
 * Every mistake names the file, line and key.
 */
export function parseExpectations(text: string, source = "expectations", options: { lines?: boolean } = {}): Expectations {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const withLines = options.lines !== false;
  const lineOf = (node: Node | null | undefined): number | undefined => (withLines && node?.range ? lines.linePos(node.range[0]).line : undefined);
  const fail = (node: Node | null | undefined, message: string, hint?: string): never => {
    const line = lineOf(node);
    throw new LarderError("CONFIG_ERROR", `${source}${line === undefined ? "" : `:${line}`}: ${message}`, hint === undefined ? {} : { hint });
  };
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new LarderError("CONFIG_ERROR", `${source}${withLines ? `:${first.linePos?.[0]?.line ?? "?"}` : ""}: not valid YAML: ${first.message.split("\n")[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, "expected a mapping with row_count, freshness and/or columns");

  const result: Expectations = { source, freshness: [], columns: [] };
  for (const pair of (root as YAMLMap).items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const value = pair.value as Node | null;
    if (!TOP_KEYS.includes(key)) fail(keyNode, `unknown key '${key}'`, `Known keys: ${TOP_KEYS.join(", ")}.`);
    if (key === "row_count") {
      const bounds = readMap(value, `row_count`, ["min", "max"], fail);
      const min = optionalNumber(bounds, "min", "row_count", fail);
      const max = optionalNumber(bounds, "max", "row_count", fail);
      if (min === undefined && max === undefined) fail(value, "row_count needs min and/or max");
      result.rowCount = { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), line: lineOf(keyNode) };
    } else if (key === "freshness") {
      const entries = isSeq(value) ? (value.items as Node[]) : [value];
      for (const entry of entries) {
        const fields = readMap(entry, "freshness", ["column", "max_age"], fail);
        const column = fields.get("column");
        const maxAge = fields.get("max_age");
        if (!column || !isScalar(column.value) || typeof column.value.value !== "string") fail(entry, "freshness needs 'column: NAME'");
        if (!maxAge || !isScalar(maxAge.value)) return fail(entry, "freshness needs 'max_age' (e.g. 24h, 7d)");
        const raw = maxAge.value.value as string | number;
        const ms = parseDuration(raw);
        if (ms === null) fail(maxAge.value, `freshness.max_age '${String(raw)}' is not a duration`, "Use a number and a unit: 90s, 30m, 24h, 7d, 2w.");
        result.freshness.push({ column: (column!.value as { value: string }).value, maxAgeMs: ms!, maxAge: String(raw), line: lineOf(entry) });
      }
    } else {
      if (!isMap(value)) fail(value ?? keyNode, "columns must be a mapping of column name to its expectations");
      for (const columnPair of (value as YAMLMap).items) {
        const nameNode = columnPair.key as Node;
        const column = isScalar(nameNode) ? String(nameNode.value) : fail(nameNode, "a column name must be a plain string");
        result.columns.push(readColumn(column, columnPair.value as Node | null, lineOf(nameNode), fail));
      }
    }
  }
  return result;
}

type Fail = (node: Node | null | undefined, message: string, hint?: string) => never;
type Entry = { key: Node; value: Node | null };

function readMap(node: Node | null, where: string, known: string[], fail: Fail): Map<string, Entry> {
  if (!isMap(node)) return fail(node, `${where} must be a mapping (${known.join(", ")})`);
  const out = new Map<string, Entry>();
  for (const pair of (node as YAMLMap).items) {
    const key = pair.key as Node;
    const name = isScalar(key) ? String(key.value) : "";
    if (!known.includes(name)) fail(key, `unknown key '${name}' in ${where}`, `Known keys: ${known.join(", ")}.`);
    out.set(name, { key, value: pair.value as Node | null });
  }
  return out;
}

function optionalNumber(fields: Map<string, Entry>, key: string, where: string, fail: Fail): number | undefined {
  const entry = fields.get(key);
  if (!entry) return undefined;
  const v = isScalar(entry.value) ? entry.value.value : undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) fail(entry.value ?? entry.key, `${where}.${key} must be a number`);
  return v as number;
}

function boundValue(entry: Entry | undefined, where: string, fail: Fail): number | string | undefined {
  if (!entry) return undefined;
  const v = isScalar(entry.value) ? entry.value.value : undefined;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  // Dates and timestamps are bounds too (compared by DuckDB after casting).
  if (typeof v === "string" && v !== "") return v;
  if (v instanceof Date) return v.toISOString();
  return fail(entry.value ?? entry.key, `${where} must be a number or a date`);
}

function flag(entry: Entry | undefined, where: string, fail: Fail): boolean | undefined {
  if (!entry) return undefined;
  const v = isScalar(entry.value) ? entry.value.value : undefined;
  if (typeof v !== "boolean") fail(entry.value ?? entry.key, `${where} must be true or false`);
  return v as boolean;
}

function readColumn(column: string, node: Node | null, line: number | undefined, fail: Fail): ColumnExpectation {
  // `column: {}` or a bare `column:` only asks for the column to be present.
  if (node === null || (isScalar(node) && node.value === null)) return { column, line };
  const where = `columns.${column}`;
  const fields = readMap(node, where, COLUMN_KEYS, fail);
  const out: ColumnExpectation = { column, line };
  const type = fields.get("type");
  if (type) {
    const v = isScalar(type.value) ? type.value.value : undefined;
    if (typeof v !== "string" || !/^[A-Za-z][A-Za-z0-9_ (),]*$/.test(v)) fail(type.value ?? type.key, `${where}.type must be a type name (numeric, integer, float, string, boolean, timestamp, date, or a DuckDB type)`);
    out.type = v as string;
  }
  out.notNull = flag(fields.get("not_null"), `${where}.not_null`, fail);
  const maxNull = fields.get("max_null_percent");
  if (maxNull) {
    const v = isScalar(maxNull.value) ? maxNull.value.value : undefined;
    if (typeof v !== "number" || v < 0 || v > 100) fail(maxNull.value ?? maxNull.key, `${where}.max_null_percent must be a number from 0 to 100`);
    out.maxNullPercent = v as number;
  }
  const range = fields.get("range");
  if (range) {
    if (fields.has("min") || fields.has("max")) fail(range.key, `${where}: give either range or min/max, not both`);
    const bounds = readMap(range.value, `${where}.range`, ["min", "max"], fail);
    out.min = boundValue(bounds.get("min"), `${where}.range.min`, fail);
    out.max = boundValue(bounds.get("max"), `${where}.range.max`, fail);
  } else {
    out.min = boundValue(fields.get("min"), `${where}.min`, fail);
    out.max = boundValue(fields.get("max"), `${where}.max`, fail);
  }
  const allowed = fields.get("allowed");
  if (allowed) {
    if (!isSeq(allowed.value) || allowed.value.items.length === 0) fail(allowed.value ?? allowed.key, `${where}.allowed must be a non-empty list`);
    out.allowed = (allowed.value as { items: Node[] }).items.map((item) => {
      const v = isScalar(item) ? item.value : undefined;
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return fail(item, `${where}.allowed values must be strings, numbers or booleans`);
      return v;
    });
  }
  out.unique = flag(fields.get("unique"), `${where}.unique`, fail);
  for (const k of Object.keys(out) as (keyof ColumnExpectation)[]) if (out[k] === undefined) delete out[k];
  return out;
}
