import { stat } from "node:fs/promises";
import type { Duck } from "../core/duckdb.js";
import { quotedIdentifier } from "../core/sql.js";
import { LarderError } from "../errors.js";
import { tableReader } from "../models/predictFile.js";

export interface ColumnInfo {
  name: string;
  type: string;
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Copies a CSV/Parquet file into a table, so each statistic does not re-read the file. With
 * `csvAsText`, CSV cells stay text: labels like yes/no or 1.0 are kept as written, not re-typed.
 */
export async function loadTable(duck: Duck, table: string, path: string, options: { csvAsText?: boolean } = {}): Promise<ColumnInfo[]> {
  try {
    await stat(path);
  } catch {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `No such file: ${path}`);
  }
  const typed = tableReader(path);
  const reader = options.csvAsText && typed.startsWith("read_csv(") ? typed.replace(/\)$/, ", all_varchar = true)") : typed;
  await duck.run(`CREATE OR REPLACE TABLE ${quotedIdentifier(table)} AS SELECT * FROM ${reader}`).catch((err: Error) => {
    throw new LarderError("IO_ERROR", `Could not read ${path}: ${err.message.split("\n")[0]}`);
  });
  return describeTable(duck, table);
}

export async function describeTable(duck: Duck, table: string): Promise<ColumnInfo[]> {
  const rows = await duck.all<{ column_name: string; column_type: string }>(`DESCRIBE ${quotedIdentifier(table)}`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/i;
const TEMPORAL_TYPE = /^(DATE|TIME.*|TIMESTAMP.*|INTERVAL)$/i;

export const isNumericType = (type: string): boolean => NUMERIC_TYPE.test(type);
export const isTemporalType = (type: string): boolean => TEMPORAL_TYPE.test(type);
