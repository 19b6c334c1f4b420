import { ScoringError } from "./scoringError.js";

/** A request's data as a table: named columns (or positional when null) and row-major cells. */
export interface TabularInput {
  columns: string[] | null;
  rows: unknown[][];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Row objects → a table; keys in order of first appearance, absent keys as null (NaN in pandas). */
export function fromRecords(records: unknown[], field: string): TabularInput {
  const columns: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (!isPlainObject(record)) throw ScoringError.badRequest(`Invalid input. ${field}[${i}] must be a JSON object mapping column names to values.`);
    for (const key of Object.keys(record)) {
      if (!index.has(key)) {
        index.set(key, columns.length);
        columns.push(key);
      }
    }
  }
  const rows: unknown[][] = new Array(records.length);
  for (let r = 0; r < records.length; r++) {
    const record = records[r] as Record<string, unknown>;
    const row: unknown[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = record[columns[c]!] ?? null;
    rows[r] = row;
  }
  return { columns, rows };
}

/** Column object `{col: [values]}` → a table; all columns must have the same length. */
export function fromColumns(data: Record<string, unknown>, field: string): TabularInput {
  const columns = Object.keys(data);
  const lists = columns.map((c) => (Array.isArray(data[c]) ? (data[c] as unknown[]) : [data[c]]));
  const length = lists[0]?.length ?? 0;
  if (lists.some((l) => l.length !== length)) {
    throw ScoringError.badRequest(`Invalid input. The columns of '${field}' must all have the same length.`);
  }
  return { columns, rows: Array.from({ length }, (_, r) => lists.map((l) => l[r])) };
}

export function fromArray(data: unknown[], field: string): TabularInput {
  if (data.length === 0) return { columns: null, rows: [] };
  if (data.every(isPlainObject)) return fromRecords(data, field);
  if (data.every(Array.isArray)) return { columns: null, rows: data as unknown[][] };
  if (data.every((v) => !Array.isArray(v) && !isPlainObject(v))) return { columns: null, rows: [data] };
  throw ScoringError.badRequest(`Invalid input. '${field}' mixes rows of different shapes.`);
}

export function fromDataframeSplit(value: unknown): TabularInput {
  if (!isPlainObject(value)) throw ScoringError.badRequest("Invalid input. 'dataframe_split' must be a JSON object with 'columns' and 'data'.");
  const extra = Object.keys(value).filter((k) => k !== "columns" && k !== "data" && k !== "index");
  if (extra.length > 0) {
    throw ScoringError.badRequest(`Invalid input. 'dataframe_split' may only have the keys 'columns', 'data' and 'index'; got ${extra.map((k) => `'${k}'`).join(", ")}.`);
  }
  if (!("data" in value)) throw ScoringError.badRequest("Invalid input. 'dataframe_split' is missing the required key 'data'.");
  const data = value.data;
  if (!Array.isArray(data)) throw ScoringError.badRequest("Invalid input. 'dataframe_split.data' must be a list of rows.");
  const rows = data.map((row) => (Array.isArray(row) ? row : [row]));
  let columns: string[] | null = null;
  if (value.columns !== undefined && value.columns !== null) {
    if (!Array.isArray(value.columns)) throw ScoringError.badRequest("Invalid input. 'dataframe_split.columns' must be a list of names.");
    columns = value.columns.map(String);
    const width = columns.length;
    const bad = rows.findIndex((r) => r.length !== width);
    if (bad >= 0) {
      throw ScoringError.badRequest(`Invalid input. ${width} columns passed, but row ${bad} of 'dataframe_split.data' has ${rows[bad]!.length} values.`);
    }
  }
  return { columns, rows };
}
