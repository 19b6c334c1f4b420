import type { Invocation } from "./parseInvocation.js";
import { isPlainObject, type TabularInput } from "./tabularInput.js";

// Nearly every /invocations body is `{"dataframe_records": [...]}` with the same keys in every
// record, or `{"dataframe_split": {"columns": [...], "data": [[...], ...]}}` with strings for
// names and full-width rows. For those the general path's field search, key union and row
// copies produce exactly what this returns; anything else (params, ragged rows, other fields,
// malformed input) returns null and goes the general way, which also words the errors.

/** Records whose keys are the first record's keys in the same order: columns and rows directly. */
function uniformRecords(records: unknown[]): TabularInput | null {
  const first = records[0];
  if (!isPlainObject(first)) return records.length === 0 ? { columns: [], rows: [] } : null;
  const columns = Object.keys(first);
  const width = columns.length;
  const rows: unknown[][] = new Array(records.length);
  for (let r = 0; r < records.length; r++) {
    const record = records[r];
    if (!isPlainObject(record)) return null;
    const keys = Object.keys(record);
    if (keys.length !== width) return null;
    const row: unknown[] = new Array(width);
    for (let c = 0; c < width; c++) {
      const name = columns[c]!;
      if (keys[c] !== name) return null;
      row[c] = record[name] ?? null;
    }
    rows[r] = row;
  }
  return { columns, rows };
}

/** `{"columns": [names], "data": [rows]}`, optionally with "index", every row as wide as the names. */
function fullSplit(split: unknown): TabularInput | null {
  if (!isPlainObject(split)) return null;
  let keys = 0;
  for (const key in split) {
    if (key !== "columns" && key !== "data" && key !== "index") return null;
    keys++;
  }
  if (keys !== Object.keys(split).length) return null;
  const { columns, data } = split;
  if (!Array.isArray(columns) || !Array.isArray(data)) return null;
  for (let c = 0; c < columns.length; c++) if (typeof columns[c] !== "string") return null;
  for (let r = 0; r < data.length; r++) {
    const row: unknown = data[r];
    if (!Array.isArray(row) || row.length !== columns.length) return null;
  }
  return { columns: columns.slice() as string[], rows: data.slice() as unknown[][] };
}

/** The invocation of a parsed body in one of the common shapes, else null. */
export function commonInvocation(parsed: unknown): Invocation | null {
  if (!isPlainObject(parsed)) return null;
  let field: string | null = null;
  for (const key in parsed) {
    if (field !== null) return null;
    field = key;
  }
  if (field === null || Object.keys(parsed).length !== 1) return null;
  const value = parsed[field];
  let input: TabularInput | null = null;
  if (field === "dataframe_records") input = Array.isArray(value) ? uniformRecords(value) : null;
  else if (field === "dataframe_split") input = fullSplit(value);
  return input === null ? null : { input, params: null };
}
