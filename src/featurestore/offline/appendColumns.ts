import type { Duck } from "../../core/duckdb.js";
import { quotedIdentifier as q } from "../../core/sql.js";
import { LarderError } from "../../errors.js";

const DUCK_TYPES: Record<string, string> = {
  Float32: "FLOAT",
  Float64: "DOUBLE",
  Int32: "INTEGER",
  Int64: "BIGINT",
  String: "VARCHAR",
  Bool: "BOOLEAN",
  UnixTimestamp: "TIMESTAMPTZ",
  Bytes: "BLOB",
};

/** The DuckDB column type for a Larder dtype name (`Float32`, `Array(Int64)`). */
export function duckTypeFor(dtype: string): string {
  const array = /^Array\((\w+)\)$/.exec(dtype);
  const base = DUCK_TYPES[array ? array[1]! : dtype];
  if (base === undefined) throw new LarderError("INVALID_PARAMETER_VALUE", `Unknown feature type ${dtype}`);
  return array ? `${base}[]` : base;
}

/**
 * Appends columns of JS values to `table` (whose columns are in the same order) through DuckDB's appender.
 * Array-typed values are not supported here.
 */
export async function appendColumns(duck: Duck, table: string, columns: { dtype: string; values: readonly unknown[] }[]): Promise<void> {
  const appender = await duck.connection.createAppender(table);
  const rowCount = columns[0]?.values.length ?? 0;
  try {
    for (let row = 0; row < rowCount; row++) {
      for (const column of columns) {
        const value = column.values[row];
        if (value === null || value === undefined) {
          appender.appendNull();
          continue;
        }
        switch (column.dtype) {
          case "Float32":
            appender.appendFloat(Number(value));
            break;
          case "Float64":
            appender.appendDouble(Number(value));
            break;
          case "Int32":
            appender.appendInteger(Number(value));
            break;
          case "Int64":
            appender.appendBigInt(BigInt(value as number | bigint));
            break;
          case "String":
            appender.appendVarchar(String(value));
            break;
          case "Bool":
            appender.appendBoolean(Boolean(value));
            break;
          default:
            throw new LarderError("NOT_IMPLEMENTED", `On demand outputs of type ${column.dtype} are not supported yet (${q(table)})`);
        }
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
