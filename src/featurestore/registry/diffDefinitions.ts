import type { FeatureViewSpec, RepoSpecs } from "../definitions/specs.js";

export type ObjectType = "project" | "entity" | "feature view" | "on demand feature view" | "feature service";
export type ChangeAction = "create" | "update" | "delete";

export interface PropertyChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface ObjectChange {
  type: ObjectType;
  name: string;
  action: ChangeAction;
  /** For updates: each spec field that differs. */
  properties: PropertyChange[];
}

export interface InfraChange {
  action: "create" | "delete";
  /** `<project>_<view>`, the online store's namespace for the view. */
  table: string;
  view: string;
}

/** What `apply` would change; `plan` prints it, `apply` executes it. */
export interface Plan {
  project: string;
  objectChanges: ObjectChange[];
  infraChanges: InfraChange[];
  /** The definitions the registry holds after apply (with unchanged data-source changes too). */
  desired: RepoSpecs;
  /** Feature views whose online data is dropped (deleted, or no longer online). */
  viewsToTeardown: FeatureViewSpec[];
  /** Online feature views that stay or are created. */
  viewsToKeep: FeatureViewSpec[];
}

const LIST_TYPES: [keyof RepoSpecs, ObjectType][] = [
  ["entities", "entity"],
  ["featureViews", "feature view"],
  ["onDemandFeatureViews", "on demand feature view"],
  ["featureServices", "feature service"],
];
const ACTION_ORDER: Record<ChangeAction, number> = { create: 0, delete: 1, update: 2 };

/**
 * Compares the registry's definitions (`current`, undefined before the first apply) with the repo's
 * (`desired`) by name within each type, as Feast's declarative `apply`: only in the repo → create, only in
 * the registry → delete, in both with any differing spec field → update. Data sources are applied but not
 * listed, as in Feast. Changes are ordered by type, then create/delete/update, then name.
 */
export function diffDefinitions(current: RepoSpecs | undefined, desired: RepoSpecs, project: string): Plan {
  const objectChanges: ObjectChange[] = [];
  if (current === undefined) objectChanges.push({ type: "project", name: project, action: "create", properties: [] });
  for (const [key, type] of LIST_TYPES) {
    const before = new Map((current?.[key] ?? []).map((o) => [o.name, o as unknown as Record<string, unknown>]));
    const after = new Map(desired[key].map((o) => [o.name, o as unknown as Record<string, unknown>]));
    const changes: ObjectChange[] = [];
    for (const [name, spec] of after) {
      const old = before.get(name);
      if (old === undefined) {
        changes.push({ type, name, action: "create", properties: [] });
        continue;
      }
      const properties = propertyChanges(old, spec);
      if (properties.length > 0) changes.push({ type, name, action: "update", properties });
    }
    for (const name of before.keys()) {
      if (!after.has(name)) changes.push({ type, name, action: "delete", properties: [] });
    }
    changes.sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || (a.name < b.name ? -1 : 1));
    objectChanges.push(...changes);
  }

  const onlineBefore = new Map((current?.featureViews ?? []).filter((v) => v.online).map((v) => [v.name, v]));
  const onlineAfter = new Map(desired.featureViews.filter((v) => v.online).map((v) => [v.name, v]));
  const infraChanges: InfraChange[] = [];
  for (const name of [...onlineAfter.keys()].sort()) {
    if (!onlineBefore.has(name)) infraChanges.push({ action: "create", table: `${project}_${name}`, view: name });
  }
  for (const name of [...onlineBefore.keys()].sort()) {
    if (!onlineAfter.has(name)) infraChanges.push({ action: "delete", table: `${project}_${name}`, view: name });
  }
  return {
    project,
    objectChanges,
    infraChanges,
    desired,
    viewsToTeardown: [...onlineBefore.values()].filter((v) => !onlineAfter.has(v.name)),
    viewsToKeep: [...onlineAfter.values()],
  };
}

function propertyChanges(old: Record<string, unknown>, next: Record<string, unknown>): PropertyChange[] {
  const fields = new Set([...Object.keys(old), ...Object.keys(next)]);
  const changes: PropertyChange[] = [];
  for (const field of fields) {
    if (field === "name") continue;
    if (stableJson(old[field]) !== stableJson(next[field])) changes.push({ field, old: old[field], new: next[field] });
  }
  return changes;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  ) ?? "undefined";
}

const VERB: Record<ChangeAction, string> = { create: "Created", update: "Updated", delete: "Deleted" };

/**
 * Feast's `plan`/`apply` output: the registry block, a blank line, the infrastructure block
 * (`Created lmdb table <project>_<view>`, as Feast's `Created sqlite table ...`).
 */
export function planLines(plan: Plan, storeType = "lmdb"): string[] {
  const lines: string[] = [];
  for (const change of plan.objectChanges) {
    lines.push(`${VERB[change.action]} ${change.type} ${change.name}`);
    for (const p of change.properties) lines.push(`\t${p.field}: ${brief(p.old)} -> ${brief(p.new)}`);
  }
  if (plan.objectChanges.length === 0) lines.push("No changes to registry");
  lines.push("");
  for (const change of plan.infraChanges) lines.push(`${VERB[change.action]} ${storeType} table ${change.table}`);
  if (plan.infraChanges.length === 0) lines.push("No changes to infrastructure");
  return lines;
}

function brief(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "null";
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}
