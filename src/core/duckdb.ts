import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";

/**
 * A small handle over one DuckDB connection. The native module is imported on first use so that
 * commands which never touch data (`larder --help`) do not pay for loading it.
 */
export class Duck {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens an in-memory database (or `path`), limited to `threads` threads. */
  static async open(path = ":memory:", options: { threads?: number } = {}): Promise<Duck> {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(path, {
      threads: String(options.threads ?? 2),
    });
    const connection = await instance.connect();
    // Timestamps print and bucket the same on every machine, whatever its local zone.
    await connection.run("SET TimeZone = 'UTC'");
    return new Duck(instance, connection);
  }

  async run(sql: string, values?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    await this.connection.run(sql, values);
  }

  /** Runs a query and returns its rows as plain JS objects (BIGINT as bigint, TIMESTAMP as Date). */
  async all<T = Record<string, unknown>>(
    sql: string,
    values?: DuckDBValue[] | Record<string, DuckDBValue>,
  ): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, values);
    return reader.getRowObjectsJS() as T[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Opens a connection, runs `fn`, and always closes it. */
  static async with<T>(fn: (duck: Duck) => Promise<T>, path?: string): Promise<T> {
    const duck = await Duck.open(path);
    try {
      return await fn(duck);
    } finally {
      duck.close();
    }
  }
}
