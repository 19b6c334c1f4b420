import type { Run } from "../entities.js";
import { readIdentifier, type EntityType } from "./identifiers.js";
import { SearchFilterError } from "./SearchFilterError.js";
import { tokenize } from "./tokenize.js";
import { runValue } from "./runValues.js";

export interface OrderByClause {
  entity: EntityType;
  key: string;
  ascending: boolean;
}

/** Parses one `"<identifier> [ASC|DESC]"` entry (direction case-insensitive, default ASC). */
export function parseOrderBy(expression: string): OrderByClause {
  const tokens = tokenize(expression);
  if (tokens.length === 0) throw new SearchFilterError(expression, 0, "empty order-by expression");
  const { identifier, next } = readIdentifier(tokens, 0, expression);
  let ascending = true;
  let i = next;
  const direction = tokens[i];
  if (direction !== undefined) {
    const upper = direction.kind === "word" ? direction.text.toUpperCase() : "";
    if (upper !== "ASC" && upper !== "DESC") {
      throw new SearchFilterError(expression, direction.pos, `expected ASC, DESC or the end, found '${direction.text}'`);
    }
    ascending = upper === "ASC";
    i += 1;
  }
  const extra = tokens[i];
  if (extra !== undefined) throw new SearchFilterError(expression, extra.pos, `unexpected '${extra.text}' after the sort direction`);
  return { entity: identifier.entity, key: identifier.key, ascending };
}

/** 0 for a comparable value, 1 for NaN, 2 for missing: NaN and missing sort last in both directions. */
function rank(value: number | string | undefined): number {
  if (value === undefined) return 2;
  if (typeof value === "number" && Number.isNaN(value)) return 1;
  return 0;
}

function compareBy(clause: OrderByClause): (a: Run, b: Run) => number {
  return (a, b) => {
    const va = runValue(a, clause.entity, clause.key);
    const vb = runValue(b, clause.entity, clause.key);
    const ra = rank(va);
    const rb = rank(vb);
    if (ra !== rb || ra !== 0) return ra - rb;
    const cmp = va! < vb! ? -1 : va! > vb! ? 1 : 0;
    return clause.ascending ? cmp : -cmp;
  };
}

/**
 * MLflow's ordering: first `start_time DESC, run_id ASC`, then each order-by applied as a stable
 * sort from the last entry to the first, so the first entry is the primary key.
 */
export function sortRuns(runs: Run[], orderBy: string[] = []): Run[] {
  const sorted = [...runs].sort((a, b) => {
    const sa = a.info.startTime;
    const sb = b.info.startTime;
    if (sa !== sb) {
      if (sa === null) return 1;
      if (sb === null) return -1;
      return sb - sa;
    }
    return a.info.runId < b.info.runId ? -1 : a.info.runId > b.info.runId ? 1 : 0;
  });
  const clauses = orderBy.map(parseOrderBy);
  for (let i = clauses.length - 1; i >= 0; i--) sorted.sort(compareBy(clauses[i]!));
  return sorted;
}
