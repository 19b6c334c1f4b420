import type { Run } from "../entities.js";
import type { FilterClause } from "./parseSearchFilter.js";
import { runValue } from "./runValues.js";

const likeCache = new Map<string, RegExp>();

/**
 * SQL LIKE: `%` is any run of characters, `_` any one character, everything else literal.
 * (MLflow's file store leaves other regex characters unescaped, so `.` matches anything there;
 * Larder treats them literally, which is what SQL stores and users expect.)
 */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? "i" : "s"}:${pattern}`;
  let re = likeCache.get(cacheKey);
  if (re === undefined) {
    let source = "";
    for (const ch of pattern) {
      if (ch === "%") source += "[\\s\\S]*";
      else if (ch === "_") source += "[\\s\\S]";
      else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
    re = new RegExp(`^${source}$`, caseInsensitive ? "iu" : "u");
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(cacheKey, re);
  }
  return re;
}

/** Whether one clause holds for a run. A run lacking the key never matches, even for `!=`. */
export function clauseMatches(run: Run, clause: FilterClause): boolean {
  const actual = runValue(run, clause.entity, clause.key);
  if (actual === undefined) return false;
  const expected = clause.value;
  switch (clause.comparator) {
    case "=":
      return typeof actual === "number" ? actual === Number(expected) : actual === expected;
    case "!=":
      return typeof actual === "number" ? actual !== Number(expected) : actual !== expected;
    case "<":
      return Number(actual) < Number(expected);
    case "<=":
      return Number(actual) <= Number(expected);
    case ">":
      return Number(actual) > Number(expected);
    case ">=":
      return Number(actual) >= Number(expected);
    case "LIKE":
      return likeToRegExp(String(expected), false).test(String(actual));
    case "ILIKE":
      return likeToRegExp(String(expected), true).test(String(actual));
    case "IN":
      return (expected as string[]).includes(String(actual));
    case "NOT IN":
      return !(expected as string[]).includes(String(actual));
  }
}

export function matchesFilter(run: Run, clauses: FilterClause[]): boolean {
  for (const clause of clauses) if (!clauseMatches(run, clause)) return false;
  return true;
}
