import type { Run } from "../tracking/entities.js";
import { formatPythonFloat } from "../tracking/pythonFloat.js";
import { clauseMatches } from "../tracking/search/matchesFilter.js";
import { parseSearchFilter, type FilterClause } from "../tracking/search/parseSearchFilter.js";
import { runValue } from "../tracking/search/runValues.js";

export interface GateCheck {
  /** The clause as written back, e.g. `metrics.f1_macro >= 0.9`. */
  requirement: string;
  /** The run's value; undefined when the run does not have it. */
  measured: number | string | undefined;
  passed: boolean;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
}

const ENTITY_PREFIX = { metric: "metrics", param: "params", tag: "tags", attribute: "attributes" } as const;

function describeClause(clause: FilterClause): string {
  const value = Array.isArray(clause.value)
    ? `(${clause.value.map((v) => `'${v}'`).join(", ")})`
    : typeof clause.value === "number"
      ? String(clause.value)
      : `'${clause.value}'`;
  return `${ENTITY_PREFIX[clause.entity]}.${clause.key} ${clause.comparator} ${value}`;
}

/**
 * Evaluates a promotion gate (a search filter such as `metrics.f1_macro >= 0.9 AND params.data = 'v2'`)
 * against the run behind a model version, clause by clause, so that a refusal can say what was measured.
 */
export function evaluatePromotionGate(run: Run, expression: string): GateResult {
  const checks = parseSearchFilter(expression).map((clause) => ({
    requirement: describeClause(clause),
    measured: runValue(run, clause.entity, clause.key),
    passed: clauseMatches(run, clause),
  }));
  return { passed: checks.every((c) => c.passed), checks };
}

export function describeMeasured(value: number | string | undefined): string {
  if (value === undefined) return "not logged";
  return typeof value === "number" ? formatPythonFloat(value) : `'${value}'`;
}
