import type { Duck } from "../../core/duckdb.js";
import { quotedIdentifier } from "../../core/sql.js";
import { LarderError } from "../../errors.js";
import type { ColumnInfo } from "../tableInput.js";

export type LabelJoin = "request_id" | "entity_key" | "entity_key+timestamp" | "entity_columns" | "entity_columns+timestamp";

/**
 * How ground-truth labels meet logged predictions (the `label` column is required):
 * - `request_id` (optionally `row_index`, 0-based, for requests of several rows): that request's
 *   row(s).
 * - else `entity_key`: predictions whose X-Larder-Entity-Key equals it.
 * - else every other column (but `timestamp`) is an entity column, and the key is
 *   `name=value` pairs joined by `,` in file order (`participant_id=7`); with a single entity
 *   column the bare value matches too.
 * With an entity and a `timestamp` column, each prediction takes the first label of its entity
 * at or after its own time (an ASOF join: the outcome observed after the prediction); without
 * one, each entity must have a single label.
 *
 * Creates the table `labeled(variant, predicted, label)` and returns the join used.
 */
export async function joinLabels(duck: Duck, rows: string, labelColumns: ColumnInfo[], predicted: string): Promise<LabelJoin> {
  const names = labelColumns.map((c) => c.name);
  if (!names.includes("label")) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "The labels file has no 'label' column", {
      hint: "Give columns request_id,label or entity_key,label (optionally timestamp), or entity columns plus label.",
    });
  }
  const select = (on: string) =>
    `CREATE OR REPLACE TEMP TABLE labeled AS SELECT p.variant, ${predicted} AS predicted, CAST(l.label AS VARCHAR) AS label
     FROM ${rows} p ${on} WHERE l.label IS NOT NULL`;
  if (names.includes("request_id")) {
    const byRow = names.includes("row_index") ? " AND p.row_index = l.row_index::BIGINT" : "";
    await duck.run(select(`JOIN labels l ON p.request_id = CAST(l.request_id AS VARCHAR)${byRow}`));
    return "request_id";
  }
  const timed = names.includes("timestamp");
  let keySql: string;
  let alternative: string | null = null;
  if (names.includes("entity_key")) {
    keySql = "CAST(entity_key AS VARCHAR)";
  } else {
    const entityColumns = names.filter((n) => n !== "label" && n !== "timestamp");
    if (entityColumns.length === 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", "The labels file has a label but no key to join on", {
        hint: "Add request_id, entity_key, or the entity column(s) the serving requests were keyed by.",
      });
    }
    keySql = entityColumns.map((c) => `'${c.replaceAll("'", "''")}=' || CAST(${quotedIdentifier(c)} AS VARCHAR)`).join(" || ',' || ");
    if (entityColumns.length === 1) alternative = `CAST(${quotedIdentifier(entityColumns[0]!)} AS VARCHAR)`;
  }
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE label_keys AS
       SELECT ${keySql} AS key, label${timed ? ", TRY_CAST(timestamp AS TIMESTAMPTZ) AS label_time" : ""} FROM labels
       ${alternative ? `UNION ALL SELECT ${alternative}, label${timed ? ", TRY_CAST(timestamp AS TIMESTAMPTZ)" : ""} FROM labels` : ""}`,
  );
  if (timed) {
    await duck.run(select(`ASOF JOIN label_keys l ON p.entity_key = l.key AND p.timestamp <= l.label_time`));
  } else {
    const [dupes] = await duck.all<{ key: string | null }>(`SELECT key FROM label_keys GROUP BY key HAVING count(*) > 1 LIMIT 1`);
    if (dupes) {
      throw new LarderError("DATA_ERROR", `The labels file has several labels for entity '${dupes.key}'`, {
        hint: "Add a timestamp column so each prediction takes the label observed after it.",
      });
    }
    await duck.run(select(`JOIN label_keys l ON p.entity_key = l.key`));
  }
  const base = names.includes("entity_key") ? "entity_key" : "entity_columns";
  return timed ? `${base}+timestamp` : base;
}
