import { mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { Duck } from "../../core/duckdb.js";
import { withFileLock } from "../../core/fileLock.js";
import { LarderError } from "../../errors.js";
import { batchSourceOf, type FeatureViewSpec, type FileSourceSpec } from "../definitions/specs.js";
import { applyOnDemand } from "../onDemand.js";
import type { EpochMicros } from "../time.js";
import { appendColumns, duckTypeFor } from "./appendColumns.js";
import type { HistoricalRequest, LatestRows, OfflineStore, SourceColumn } from "./OfflineStore.js";
import {
  appendRowsSql,
  countSql,
  createEntityTableSql,
  createOnDemandTableSql,
  createTableAsSql,
  describeSql,
  entityScanSql,
  joinOnDemandSql,
  jsonRowsScanSql,
  latestRowsSql,
  onDemandInputsSql,
  pointInTimeJoin,
  ROW_ID,
  scanSql,
  selectAllSql,
  USE_UTC_SQL,
} from "./offlineSql.js";
import { RetrievalJob } from "./RetrievalJob.js";

const ENTITY_TABLE = "__larder_entities";
const JOINED_TABLE = "__larder_joined";
const ON_DEMAND_TABLE = "__larder_on_demand";
const OUTPUT_TABLE = "__larder_output";
const DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

/** The offline store over DuckDB: point-in-time joins as ASOF joins, sources read in place. */
export class DuckDBOfflineStore implements OfflineStore {
  constructor(
    /** Relative source paths are resolved against this directory (the feature repo). */
    private readonly repoDir: string,
  ) {}

  private static async connect(): Promise<Duck> {
    const duck = await Duck.open();
    await duck.run(USE_UTC_SQL);
    return duck;
  }

  sourcePath(source: FileSourceSpec): string {
    return isAbsolute(source.path) ? source.path : resolve(this.repoDir, source.path);
  }

  async describeSource(source: FileSourceSpec): Promise<SourceColumn[]> {
    const duck = await DuckDBOfflineStore.connect();
    try {
      return await describe(duck, scanSql(source, this.sourcePath(source), false), `source ${source.name} (${source.path})`);
    } finally {
      duck.close();
    }
  }

  async getHistoricalFeatures(request: HistoricalRequest): Promise<RetrievalJob> {
    const duck = await DuckDBOfflineStore.connect();
    let tempDir: string | undefined;
    try {
      let relation: string;
      if (typeof request.entities === "string") {
        relation = entityScanSql(resolve(request.entities));
      } else {
        tempDir = await mkdtemp(join(tmpdir(), "larder-entities-"));
        relation = await rowsRelation(request.entities, tempDir);
      }
      const columns = await describe(duck, relation, "entity rows");
      const timestampColumn = pickTimestampColumn(columns, request.timestampColumn);
      const { selection } = request;
      const missing = [...new Set(selection.views.flatMap((v) => v.view.joinKeys))].filter((k) => !columns.some((c) => c.name === k));
      if (missing.length > 0) {
        throw new LarderError("INVALID_PARAMETER_VALUE", `The entity rows lack the join key column(s) ${missing.join(", ")}`, {
          hint: `The entity rows need every join key of the requested views, and ${timestampColumn}`,
        });
      }
      await duck.run(createEntityTableSql(ENTITY_TABLE, relation, timestampColumn));

      const joinSql = pointInTimeJoin({
        entityTable: ENTITY_TABLE,
        timestampColumn,
        views: selection.views.map((v) => ({ ...v, path: this.sourcePath(batchSourceOf(v.view)) })),
      });
      const outputNames = [...columns.map((c) => c.name), ...selection.outputs.map((o) => o.alias)];
      const [{ n }] = await duck.all<{ n: bigint }>(countSql(ENTITY_TABLE));
      if (selection.onDemand.length === 0) {
        // Binding now reports a missing source file or column here rather than at the first read.
        await bindCheck(duck, joinSql.sql);
        return new RetrievalJob(duck, joinSql, outputNames, Number(n));
      }
      // Transforms run in JS, so the join is materialized once and their outputs joined back by row id.
      await duck.run(createTableAsSql(JOINED_TABLE, joinSql.sql), joinSql.params);
      await this.addOnDemand(duck, request);
      return new RetrievalJob(duck, { sql: selectAllSql(OUTPUT_TABLE), params: {} }, outputNames, Number(n));
    } catch (err) {
      duck.close();
      throw err;
    } finally {
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    }
  }

  /** Runs the on-demand transforms in JS over the joined inputs and joins their outputs back by row id. */
  private async addOnDemand(duck: Duck, request: HistoricalRequest): Promise<void> {
    const { selection } = request;
    const inputs = [...new Set(selection.onDemand.flatMap((o) => o.inputs.map((i) => i.alias)))];
    const reader = await duck.connection.runAndReadAll(onDemandInputsSql(JOINED_TABLE, inputs));
    const fetched = reader.getColumnsObjectJS() as Record<string, unknown[]>;
    const rowIds = fetched[ROW_ID] as bigint[];
    const outputs = applyOnDemand(selection.onDemand, fetched, rowIds.length, request.transforms);
    const fields = selection.onDemand.flatMap((o) => o.outputs);
    await duck.run(createOnDemandTableSql(ON_DEMAND_TABLE, fields.map((f) => ({ name: f.alias, duckType: duckTypeFor(f.dtype) }))));
    await appendColumns(duck, ON_DEMAND_TABLE, [
      { dtype: "Int64", values: rowIds },
      ...fields.map((f) => ({ dtype: f.dtype, values: outputs[f.alias]! })),
    ]);
    await duck.run(joinOnDemandSql(OUTPUT_TABLE, JOINED_TABLE, ON_DEMAND_TABLE, fields.map((f) => f.alias)));
  }

  async appendRows(source: FileSourceSpec, rows: readonly Record<string, unknown>[]): Promise<number> {
    const path = this.sourcePath(source);
    if (/[*?[]/.test(path)) {
      throw new LarderError("NOT_IMPLEMENTED", `Cannot append to source ${source.name}: its path ${source.path} is a glob`, {
        hint: "Point the push source's batch source at a single file",
      });
    }
    if (rows.length === 0) return 0;
    return withFileLock(`${path}.lock`, async () => {
      const duck = await DuckDBOfflineStore.connect();
      const tempDir = await mkdtemp(join(tmpdir(), "larder-push-"));
      try {
        const relation = await rowsRelation(rows, tempDir);
        const given = await describe(duck, relation, "pushed rows");
        const exists = await stat(path).then(() => true, () => false);
        const columns = exists ? await describe(duck, scanSql(source, path, false), `source ${source.name} (${source.path})`) : given;
        const missing = columns.filter((c) => !given.some((g) => g.name === c.name)).map((c) => c.name);
        const extra = given.filter((g) => !columns.some((c) => c.name === g.name)).map((g) => g.name);
        if (missing.length > 0 || extra.length > 0) {
          throw new LarderError(
            "INVALID_PARAMETER_VALUE",
            `Pushed rows must have exactly the columns of source ${source.name}${missing.length > 0 ? `; missing: ${missing.join(", ")}` : ""}${extra.length > 0 ? `; unknown: ${extra.join(", ")}` : ""}`,
          );
        }
        // Write beside the source, then rename over it: readers see the old file or the new one.
        const output = join(dirname(path), `.${basename(path)}.${process.pid}.push`);
        await mkdir(dirname(path), { recursive: true });
        await duck.run(appendRowsSql(source, exists ? path : undefined, relation, columns, output));
        await rename(output, path);
        return rows.length;
      } finally {
        duck.close();
        await rm(tempDir, { recursive: true, force: true });
      }
    });
  }

  async pullLatest(view: FeatureViewSpec, startMicros: EpochMicros, endMicros: EpochMicros): Promise<LatestRows> {
    const duck = await DuckDBOfflineStore.connect();
    try {
      const { sql, params } = latestRowsSql({ view, path: this.sourcePath(batchSourceOf(view)), startMicros, endMicros });
      const reader = await duck.connection.runAndReadAll(sql, params);
      const columns = reader.getColumnsObjectJS() as Record<string, unknown[]>;
      const eventTimestamps = (columns.__larder_ts_us ?? []).map((v) => Number(v));
      const createdTimestamps = (columns.__larder_created_us ?? []).map((v) => (v === null ? null : Number(v)));
      delete columns.__larder_ts_us;
      delete columns.__larder_created_us;
      return { rowCount: eventTimestamps.length, columns, eventTimestamps, createdTimestamps };
    } catch (err) {
      throw sourceError(err, view);
    } finally {
      duck.close();
    }
  }

  async close(): Promise<void> {}
}

async function bindCheck(duck: Duck, sql: string): Promise<void> {
  try {
    await duck.connection.prepare(sql);
  } catch (err) {
    throw new LarderError("DATA_ERROR", `Cannot read the feature sources: ${(err as Error).message}`, { cause: err });
  }
}

async function describe(duck: Duck, relation: string, what: string): Promise<SourceColumn[]> {
  try {
    const rows = await duck.all<{ column_name: string; column_type: string }>(describeSql(relation));
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  } catch (err) {
    throw new LarderError("DATA_ERROR", `Cannot read ${what}: ${(err as Error).message}`, { cause: err });
  }
}

function sourceError(err: unknown, view: FeatureViewSpec): unknown {
  if (err instanceof LarderError) return err;
  return new LarderError("DATA_ERROR", `Cannot read the source of feature view ${view.name}: ${(err as Error).message}`, { cause: err });
}

function pickTimestampColumn(columns: readonly SourceColumn[], requested: string | undefined): string {
  if (requested !== undefined) {
    if (!columns.some((c) => c.name === requested)) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `The entity rows have no column ${requested}`, {
        hint: `Columns: ${columns.map((c) => c.name).join(", ")}`,
      });
    }
    return requested;
  }
  if (columns.some((c) => c.name === DEFAULT_TIMESTAMP_COLUMN)) return DEFAULT_TIMESTAMP_COLUMN;
  const timestamps = columns.filter((c) => c.type.startsWith("TIMESTAMP"));
  if (timestamps.length === 1) return timestamps[0]!.name;
  throw new LarderError(
    "INVALID_PARAMETER_VALUE",
    "Please provide an entity_df with a column named event_timestamp representing the time of events.",
    { hint: "Or name the column with --timestamp-column (timestampColumn)" },
  );
}

/**
 * Rows given as JS objects go through a newline-delimited JSON file, which DuckDB reads with type
 * inference; bigints are written as JSON numbers so int64 keys stay exact.
 */
async function rowsRelation(rows: readonly Record<string, unknown>[], dir: string): Promise<string> {
  if (rows.length === 0) throw new LarderError("INVALID_PARAMETER_VALUE", "No entity rows given");
  const names = Object.keys(rows[0]!);
  const lines = rows.map((row) => `{${names.map((name) => `${JSON.stringify(name)}:${jsonValue(row[name])}`).join(",")}}`);
  const path = join(dir, "rows.ndjson");
  await writeFile(path, `${lines.join("\n")}\n`);
  return jsonRowsScanSql(path);
}

function jsonValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value === undefined) return "null";
  return JSON.stringify(value);
}
