import type { DuckDBValue } from "@duckdb/node-api";
import type { Duck } from "../../core/duckdb.js";
import { LarderError } from "../../errors.js";
import { copyToSql, selectOutputSql } from "./offlineSql.js";

/** A query over the job's connection, with its bound values. */
export interface ResultQuery {
  sql: string;
  params: Record<string, DuckDBValue>;
}

/**
 * The result of `getHistoricalFeatures`: a query over a DuckDB connection that holds the entity rows (and
 * any on-demand outputs) in temporary tables until closed. Write it to Parquet or CSV without passing
 * through JS, or read it as rows or columns; each read runs the join. Close it when done.
 */
export class RetrievalJob {
  constructor(
    private readonly duck: Duck,
    private readonly query: ResultQuery,
    /** Output columns in order: the entity columns, then the features. */
    readonly columnNames: readonly string[],
    readonly rowCount: number,
  ) {}

  /** The SQL of the result, in entity-row order (Feast's `to_sql`); its values are in `toSqlParams()`. */
  toSql(): string {
    return selectOutputSql(this.query.sql, this.columnNames);
  }

  toSqlParams(): Record<string, DuckDBValue> {
    return { ...this.query.params };
  }

  /** Rows as objects (BIGINT as bigint, timestamps as Date, which keeps milliseconds only). */
  async toRows(): Promise<Record<string, unknown>[]> {
    return this.duck.all(this.toSql(), this.query.params);
  }

  async toColumns(): Promise<Record<string, unknown[]>> {
    const reader = await this.duck.connection.runAndReadAll(this.toSql(), this.query.params);
    return reader.getColumnsObjectJS() as Record<string, unknown[]>;
  }

  /** Writes `.parquet` or `.csv` (by extension unless `format` says), keeping microsecond timestamps. */
  async writeTo(path: string, format?: "parquet" | "csv"): Promise<void> {
    const chosen = format ?? (/\.parquet$/i.test(path) ? "parquet" : /\.csv$/i.test(path) ? "csv" : undefined);
    if (chosen === undefined) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Cannot tell the output format of ${path}`, { hint: "Use a .parquet or .csv file name" });
    }
    await this.duck.run(copyToSql(this.toSql(), path, chosen), this.query.params);
  }

  async close(): Promise<void> {
    this.duck.close();
  }
}
