import type { Duck } from "./duckdb.js";
import { quotedIdentifier } from "./sql.js";

export type NumericColumn = Int32Array | Uint8Array | Float64Array;

export interface ColumnSpec {
  name: string;
  /** INTEGER for integer arrays, DOUBLE for Float64Array. */
  type: "INTEGER" | "DOUBLE";
  values: NumericColumn;
}

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

/**
 * Creates `table` (unless `create` is false: then appends to it) and fills it from typed-array columns through the appender's data-chunk
 * path, which skips text conversion (formatting millions of numbers as CSV costs seconds).
 */
export async function appendColumns(duck: Duck, table: string, columns: readonly ColumnSpec[], options: { create?: boolean } = {}): Promise<void> {
  const { DuckDBDataChunk, INTEGER, DOUBLE } = await import("@duckdb/node-api");
  const length = columns[0]?.values.length ?? 0;
  if (options.create !== false) {
    await duck.run(`CREATE TABLE ${quotedIdentifier(table)} (${columns.map((c) => `${quotedIdentifier(c.name)} ${c.type}`).join(", ")})`);
  }
  const appender = await duck.connection.createAppender(table);
  const types = columns.map((c) => (c.type === "INTEGER" ? INTEGER : DOUBLE));
  try {
    for (let lo = 0; lo < length; lo += CHUNK_ROWS) {
      const hi = Math.min(length, lo + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, hi - lo);
      chunk.setColumns(columns.map((c) => Array.from(c.values.subarray(lo, hi))));
      appender.appendDataChunk(chunk);
    }
  } finally {
    appender.closeSync();
  }
}
