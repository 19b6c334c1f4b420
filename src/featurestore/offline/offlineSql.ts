import type { DuckDBValue } from "@duckdb/node-api";
import { quotedIdentifier as q, quotedString } from "../../core/sql.js";
import type { AggregationSpec, FeatureViewSpec, FileSourceSpec } from "../definitions/specs.js";
import { durationMicros } from "../definitions/duration.js";

/**
 * Every SQL statement of the DuckDB offline store is built here, as text plus bound values, so that the
 * point-in-time logic can be read (and tested) in one place. Conventions: all timestamps are compared as
 * TIMESTAMPTZ instants (the connection runs with TimeZone=UTC, so naive values mean UTC); internal columns
 * start with `__larder_`; identifiers go through `quotedIdentifier`; numbers and instants are bound.
 */

export const ROW_ID = "__larder_row";
const TS = "__larder_ts";
const CREATED = "__larder_created";

/** Run first on every connection: naive timestamps then mean UTC when cast to TIMESTAMPTZ, as in Feast. */
export const USE_UTC_SQL = "SET TimeZone = 'UTC'";

export interface BoundSql {
  sql: string;
  params: Record<string, DuckDBValue>;
}

/**
 * A relation scanning `source` (Parquet or CSV, globs allowed). Paths are absolute; they cannot be bound.
 * With `rowOrder` the scan also yields `filename` (and Parquet `file_row_number`) for the tie-break.
 */
export function scanSql(source: FileSourceSpec, absolutePath: string, rowOrder = true): string {
  const path = quotedString(absolutePath);
  if (!rowOrder) return source.fileFormat === "parquet" ? `read_parquet(${path})` : `read_csv(${path})`;
  return source.fileFormat === "parquet"
    ? `read_parquet(${path}, filename = true, file_row_number = true)`
    : `read_csv(${path}, filename = true)`;
}

/** A relation over a newline-delimited JSON file that Larder wrote (rows given as JS objects). */
export function jsonRowsScanSql(absolutePath: string): string {
  return `read_json(${quotedString(absolutePath)}, format = 'newline_delimited')`;
}

/** A relation over an entity file, for DESCRIBE and loading. */
export function entityScanSql(absolutePath: string): string {
  return /\.csv(\.gz)?$/i.test(absolutePath) ? `read_csv(${quotedString(absolutePath)})` : `read_parquet(${quotedString(absolutePath)})`;
}

/**
 * Creates the entity table: the caller's rows with the timestamp column as a UTC instant and a row id
 * recording input order (every row is kept and returned once, duplicates included, in this order).
 */
export function createEntityTableSql(table: string, relation: string, timestampColumn: string): string {
  const ts = q(timestampColumn);
  return `CREATE OR REPLACE TEMP TABLE ${q(table)} AS
SELECT * REPLACE (CAST(${ts} AS TIMESTAMPTZ) AS ${ts}), row_number() OVER () AS ${ROW_ID}
FROM ${relation}`;
}

export function describeSql(relation: string): string {
  return `DESCRIBE SELECT * FROM ${relation}`;
}

/** One source column wanted from a view's source, under its mapped (feature or join-key) name. */
function sourceColumn(source: FileSourceSpec, name: string): string {
  const raw = Object.entries(source.fieldMapping).find(([, mapped]) => mapped === name)?.[0] ?? name;
  return `${q(raw)} AS ${q(name)}`;
}

/**
 * The view's source rows with mapped names, a UTC event time and created time, de-duplicated per
 * (join keys, event time): the largest `created` wins, a null `created` loses, and a full tie goes to the
 * row that comes last in the source (file name, then row number). Rows with a null event time are dropped.
 */
export function dedupedSourceSql(
  view: FeatureViewSpec,
  source: FileSourceSpec,
  relation: string,
  columns: readonly string[],
  /** A condition on the UTC event time, written with `__larder_ts`, applied before de-duplicating. */
  timeFilter = "TRUE",
): string {
  const keys = view.joinKeys.map(q);
  const created = source.createdTimestampColumn === null ? "NULL::TIMESTAMPTZ" : `CAST(${q(source.createdTimestampColumn)} AS TIMESTAMPTZ)`;
  const order = source.fileFormat === "parquet" ? "filename DESC, file_row_number DESC" : "__larder_scan_row DESC";
  // The scans add `filename` (and Parquet `file_row_number`) themselves; CSV rows are numbered in scan order.
  const scanRow = source.fileFormat === "parquet" ? "" : ", row_number() OVER () AS __larder_scan_row";
  const wanted = [...new Set([...view.joinKeys, ...columns])].map((c) => sourceColumn(source, c));
  return `SELECT * EXCLUDE (__larder_order) FROM (
  SELECT ${[...wanted, `CAST(${q(source.timestampField)} AS TIMESTAMPTZ) AS ${TS}`, `${created} AS ${CREATED}`].join(", ")},
    row_number() OVER (PARTITION BY ${[...keys, TS].join(", ")} ORDER BY ${CREATED} DESC NULLS LAST, ${order}) AS __larder_order
  FROM (SELECT *${scanRow} FROM ${relation})
  WHERE ${q(source.timestampField)} IS NOT NULL AND ${timeFilter.replaceAll(TS, `CAST(${q(source.timestampField)} AS TIMESTAMPTZ)`)}
) WHERE __larder_order = 1`;
}

/** The view's source rows with mapped names and a UTC event time (and created time, when asked). */
function asofSourceSql(view: FeatureViewSpec, source: FileSourceSpec, relation: string, features: readonly string[], withCreated = false): string {
  const wanted = [...new Set([...view.joinKeys, ...features])].map((c) => sourceColumn(source, c));
  const created = withCreated && source.createdTimestampColumn !== null ? `, CAST(${q(source.createdTimestampColumn)} AS TIMESTAMPTZ) AS ${CREATED}` : "";
  return `SELECT ${wanted.join(", ")}, CAST(${q(source.timestampField)} AS TIMESTAMPTZ) AS ${TS}${created}
    FROM ${relation} WHERE ${q(source.timestampField)} IS NOT NULL`;
}

export interface JoinedFeature {
  /** The feature's name in the view. */
  feature: string;
  /** The output column. */
  alias: string;
}

export interface ViewJoin {
  view: FeatureViewSpec;
  /** Absolute path (or glob) of the batch source. */
  path: string;
  features: JoinedFeature[];
  aggregations: (JoinedFeature & { aggregation: AggregationSpec })[];
}

export interface PointInTimeJoinSpec {
  entityTable: string;
  timestampColumn: string;
  views: ViewJoin[];
}

/** `after` (a FILTER or OVER clause) goes right after the aggregate call, inside any cast. */
const AGGREGATE_SQL: Record<AggregationSpec["function"], (column: string, after: string) => string> = {
  mean: (c, f) => `avg(${c})${f}`,
  std: (c, f) => `stddev_samp(${c})${f}`,
  min: (c, f) => `CAST(min(${c})${f} AS DOUBLE)`,
  max: (c, f) => `CAST(max(${c})${f} AS DOUBLE)`,
  sum: (c, f) => `CAST(sum(${c})${f} AS DOUBLE)`,
  count: (c, f) => `count(${c})${f}`,
};

/**
 * The point-in-time join (feast.md §4.2) for every row of the entity table: for each view, an ASOF JOIN
 * picks the latest source row with the same join keys and `event_time <= T` (ties: largest created, null
 * created last); its values are kept only if `event_time >= T - ttl` (ttl 0: no lower bound), else nulls. Windowed aggregations are
 * window-frame aggregates over the de-duplicated rows with `T - window < event_time <= T`, computed by
 * interleaving the entity rows (as value-less marker rows) into the source rows. Output: the entity
 * columns and row id, then each view's features, one row per entity row (order by the row id).
 */
export function pointInTimeJoin(spec: PointInTimeJoinSpec): BoundSql {
  const params: Record<string, DuckDBValue> = {};
  const ctes: string[] = [];
  const asofJoins: string[] = [];
  const joins: string[] = [];
  const outputs: string[] = [];
  const entities = q(spec.entityTable);
  const t = q(spec.timestampColumn);

  spec.views.forEach((join, i) => {
    const { view } = join;
    const keys = view.joinKeys.map(q);
    const source = view.source.type === "push" ? view.source.batchSource : view.source;
    const columns = join.aggregations.map((a) => a.aggregation.column);
    const src = `__larder_src_${i}`;
    if (join.aggregations.length > 0) ctes.push(`${src} AS (${dedupedSourceSql(view, source, scanSql(source, join.path), columns)})`);

    if (join.features.length > 0) {
      if (view.ttlSeconds > 0) params[`ttl_${i}`] = durationMicros(view.ttlSeconds);
      // Whether source row `f` is within the ttl of entity row `e`.
      const fresh = (f: string) => (view.ttlSeconds > 0 ? `epoch_us(${f}.${TS}) >= epoch_us(e.${t}) - CAST($ttl_${i} AS BIGINT)` : "TRUE");
      const asofOn = (f: string) => [...keys.map((k) => `e.${k} = ${f}.${k}`), `e.${t} >= ${f}.${TS}`].join(" AND ");
      const relation = scanSql(source, join.path, false);
      const features = join.features.map((x) => x.feature);
      if (source.createdTimestampColumn === null) {
        // Views are chained ASOF joins off the entity table, so each entity row flows through once.
        const f = `__larder_f_${i}`;
        asofJoins.push(`ASOF LEFT JOIN (${asofSourceSql(view, source, relation, features)}) ${f} ON ${asofOn(f)}`);
        outputs.push(...join.features.map((x) => `CASE WHEN ${fresh(f)} THEN ${f}.${q(x.feature)} END AS ${q(x.alias)}`));
      } else {
        // With a created column, ties on event time go to the largest created. The ASOF join finds each
        // row's winning event time over a narrow (keys, time) scan; the tied rows are then fetched by an
        // equi-join and the best created kept. This costs little more than the ASOF join alone.
        const match = `__larder_match_${i}`;
        const pit = `__larder_pit_${i}`;
        ctes.push(`${match} AS (
  SELECT e.${ROW_ID}, ${keys.map((k) => `e.${k}`).join(", ")}, f.${TS}
  FROM ${entities} e ASOF JOIN (${asofSourceSql(view, source, relation, [])}) f ON ${asofOn("f")}
  WHERE ${fresh("f")}
)`);
        ctes.push(`${pit} AS (
  SELECT m.${ROW_ID}, ${features.map((x) => `s.${q(x)}`).join(", ")}
  FROM ${match} m JOIN (${asofSourceSql(view, source, relation, features, true)}) s
    ON ${[...keys.map((k) => `s.${k} = m.${k}`), `s.${TS} = m.${TS}`].join(" AND ")}
  QUALIFY row_number() OVER (PARTITION BY m.${ROW_ID} ORDER BY s.${CREATED} DESC NULLS LAST) = 1
)`);
        joins.push(`LEFT JOIN ${pit} ON ${pit}.${ROW_ID} = e.${ROW_ID}`);
        outputs.push(...join.features.map((x) => `${pit}.${q(x.feature)} AS ${q(x.alias)}`));
      }
    }

    if (join.aggregations.length > 0) {
      const cte = `__larder_agg_${i}`;
      const windows = new Map<number, string>();
      const values = join.aggregations.map((a) => {
        const seconds = a.aggregation.timeWindowSeconds;
        let name = windows.get(seconds);
        if (name === undefined) {
          name = `w_${i}_${windows.size}`;
          windows.set(seconds, name);
          // RANGE ... PRECEDING includes its bound; one microsecond less makes the window open at T - window.
          params[name] = durationMicros(seconds) - 1n;
        }
        return `${AGGREGATE_SQL[a.aggregation.function](q(a.aggregation.column), ` OVER ${name}`)} AS ${q(a.alias)}`;
      });
      const windowClauses = [...windows.values()].map(
        (name) => `${name} AS (PARTITION BY ${keys.join(", ")} ORDER BY ${TS} RANGE BETWEEN to_microseconds(CAST($${name} AS BIGINT)) PRECEDING AND CURRENT ROW)`,
      );
      const aggregated = [...new Set(join.aggregations.map((a) => q(a.aggregation.column)))];
      ctes.push(`${cte} AS (
  SELECT ${ROW_ID}, ${values.join(", ")}
  FROM (
    SELECT ${[...keys, TS, ...aggregated].join(", ")}, NULL::BIGINT AS ${ROW_ID} FROM ${src}
    UNION ALL BY NAME
    SELECT ${keys.join(", ")}, ${t} AS ${TS}, ${ROW_ID} FROM ${entities}
  )
  WINDOW ${windowClauses.join(", ")}
  QUALIFY ${ROW_ID} IS NOT NULL
)`);
      joins.push(`LEFT JOIN ${cte} ON ${cte}.${ROW_ID} = e.${ROW_ID}`);
      outputs.push(...join.aggregations.map((a) => `${cte}.${q(a.alias)}`));
    }
  });

  const select = [`e.*`, ...outputs].join(",\n  ");
  const sql = `${ctes.length > 0 ? `WITH ${ctes.join(",\n")}\n` : ""}SELECT
  ${select}
FROM ${entities} e
${[...asofJoins, ...joins].join("\n")}`;
  return { sql, params };
}

export interface LatestRowsSpec {
  view: FeatureViewSpec;
  /** Absolute path (or glob) of the batch source. */
  path: string;
  startMicros: number;
  endMicros: number;
}

/**
 * Materialization: per entity key, the latest de-duplicated row with `start <= event_time <= end`
 * (inclusive, as Feast), with times as epoch microseconds, plus each aggregation as of `end`
 * (rows with `end - window < event_time <= end`).
 */
export function latestRowsSql(spec: LatestRowsSpec): BoundSql {
  const { view } = spec;
  const source = view.source.type === "push" ? view.source.batchSource : view.source;
  const keys = view.joinKeys.map(q);
  const features = view.features.map((f) => f.name);
  const params: Record<string, DuckDBValue> = { start: BigInt(spec.startMicros), end: BigInt(spec.endMicros) };
  const end = "make_timestamptz(CAST($end AS BIGINT))";
  // A grouped arg_max (3-4x faster than a window over every row) keeps per key the row with the largest
  // (event time, created with null lowest, file name, row number): latest, then created, then source order.
  const created = source.createdTimestampColumn === null ? "NULL::TIMESTAMPTZ" : `CAST(${q(source.createdTimestampColumn)} AS TIMESTAMPTZ)`;
  const [fileOrder, rowOrder] = source.fileFormat === "parquet" ? ["filename", "file_row_number"] : ["filename", "__larder_scan_row"];
  const scanRow = source.fileFormat === "parquet" ? "" : ", row_number() OVER () AS __larder_scan_row";
  const wanted = [...new Set([...view.joinKeys, ...features])].map((c) => sourceColumn(source, c));
  const row = [...features.map(q), TS, CREATED].map((c) => `${c} := ${c}`).join(", ");
  const rank = `t := ${TS}, c := coalesce(epoch_us(${CREATED}), -9223372036854775807), f := ${fileOrder}, r := ${rowOrder}`;
  const latest = `SELECT ${[...keys, ...features.map((f) => `__larder_w.${q(f)} AS ${q(f)}`)].join(", ")},
    epoch_us(__larder_w.${TS}) AS __larder_ts_us, epoch_us(__larder_w.${CREATED}) AS __larder_created_us
  FROM (
    SELECT ${keys.join(", ")}, arg_max(struct_pack(${row}), struct_pack(${rank})) AS __larder_w
    FROM (
      SELECT ${wanted.join(", ")}, CAST(${q(source.timestampField)} AS TIMESTAMPTZ) AS ${TS}, ${created} AS ${CREATED}, ${fileOrder}, ${rowOrder}
      FROM (SELECT *${scanRow} FROM ${scanSql(source, spec.path)})
    )
    WHERE ${TS} BETWEEN make_timestamptz(CAST($start AS BIGINT)) AND ${end}
    GROUP BY ${keys.join(", ")}
  )`;
  if (view.aggregations.length === 0) return { sql: latest, params };

  const aggregates = view.aggregations.map((a, i) => {
    params[`w_${i}`] = durationMicros(a.timeWindowSeconds);
    const inWindow = `${TS} > make_timestamptz(CAST($end AS BIGINT) - CAST($w_${i} AS BIGINT))`;
    return `${AGGREGATE_SQL[a.function](q(a.column), ` FILTER (WHERE ${inWindow})`)} AS ${q(a.name)}`;
  });
  params.longest = durationMicros(Math.max(...view.aggregations.map((a) => a.timeWindowSeconds)));
  const recent = `${TS} > make_timestamptz(CAST($end AS BIGINT) - CAST($longest AS BIGINT)) AND ${TS} <= ${end}`;
  const columns = [...new Set(view.aggregations.map((a) => a.column))];
  const sql = `WITH __larder_latest AS (${latest}),
__larder_aggregates AS (
  SELECT ${[...keys, ...aggregates].join(", ")}
  FROM (${dedupedSourceSql(view, source, scanSql(source, spec.path), columns, recent)})
  GROUP BY ${keys.join(", ")}
)
SELECT l.*, ${view.aggregations.map((a) => `a.${q(a.name)}`).join(", ")}
FROM __larder_latest l LEFT JOIN __larder_aggregates a ON ${keys.map((k) => `a.${k} = l.${k}`).join(" AND ")}`;
  return { sql, params };
}

/** Count of rows in a table. */
export function countSql(table: string): string {
  return `SELECT count(*) AS n FROM ${q(table)}`;
}

/** The output columns of a join query (or `SELECT * FROM` its table), in entity-row order. */
export function selectOutputSql(query: string, columns: readonly string[]): string {
  return `SELECT ${columns.map(q).join(", ")} FROM (${query}) ORDER BY ${ROW_ID}`;
}

export function selectAllSql(table: string): string {
  return `SELECT * FROM ${q(table)}`;
}

/** Writes a query's rows to a Parquet or CSV file (paths cannot be bound). */
export function copyToSql(query: string, path: string, format: "parquet" | "csv"): string {
  return `COPY (${query}) TO ${quotedString(path)} (${format === "parquet" ? "FORMAT PARQUET" : "FORMAT CSV, HEADER"})`;
}

/** The on-demand transforms' input columns of the joined table, by row id. */
export function onDemandInputsSql(joinedTable: string, inputs: readonly string[]): string {
  return `SELECT ${[ROW_ID, ...inputs].map(q).join(", ")} FROM ${q(joinedTable)} ORDER BY ${ROW_ID}`;
}

/** The table the transforms' outputs are appended to: the row id, then one column per output. */
export function createOnDemandTableSql(table: string, outputs: readonly { name: string; duckType: string }[]): string {
  return `CREATE OR REPLACE TEMP TABLE ${q(table)} (${[`${ROW_ID} BIGINT`, ...outputs.map((o) => `${q(o.name)} ${o.duckType}`)].join(", ")})`;
}

/** The joined table with the on-demand outputs added by row id. */
export function joinOnDemandSql(outputTable: string, joinedTable: string, onDemandTable: string, outputs: readonly string[]): string {
  return `CREATE OR REPLACE TEMP TABLE ${q(outputTable)} AS
SELECT j.*, ${outputs.map((o) => `o.${q(o)}`).join(", ")}
FROM ${q(joinedTable)} j LEFT JOIN ${q(onDemandTable)} o ON o.${ROW_ID} = j.${ROW_ID}
ORDER BY j.${ROW_ID}`;
}

/** Materializes a query into a temporary table. */
export function createTableAsSql(table: string, query: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${q(table)} AS ${query}`;
}

/**
 * A source file with pushed rows appended (for `push` with `to: offline`): the existing rows, then the new
 * ones cast to the existing column types. Written to `outputPath`, which the caller renames over the source.
 */
export function appendRowsSql(
  source: FileSourceSpec,
  existingPath: string | undefined,
  newRowsRelation: string,
  columns: readonly { name: string; type: string }[],
  outputPath: string,
): string {
  const casted = columns.map((c) => `CAST(${q(c.name)} AS ${c.type}) AS ${q(c.name)}`).join(", ");
  const rows = `SELECT ${casted} FROM ${newRowsRelation}`;
  const query = existingPath === undefined ? rows : `SELECT * FROM ${scanSql(source, existingPath, false)} UNION ALL BY NAME ${rows}`;
  return copyToSql(query, outputPath, source.fileFormat);
}
