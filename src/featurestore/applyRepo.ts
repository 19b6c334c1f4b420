import type { RepoSpecs } from "./definitions/specs.js";
import { diffDefinitions, type Plan } from "./registry/diffDefinitions.js";
import type { FileFeatureRegistry } from "./registry/FileFeatureRegistry.js";
import type { ObjectListKey, RegistryDocument } from "./registry/registryDocument.js";
import type { OnlineStore } from "./online/OnlineStore.js";

/**
 * Executes a plan: online storage first (create kept views, drop deleted ones), then the registry in one
 * atomic write under the registry lock. Meta survives updates (created time, materialization intervals).
 * The diff is recomputed under the lock, so a concurrent apply cannot be overwritten unseen.
 */
export async function applyPlan(registry: FileFeatureRegistry, online: () => Promise<OnlineStore>, desired: RepoSpecs): Promise<Plan> {
  let plan: Plan | undefined;
  await registry.update(async (current) => {
    plan = diffDefinitions(current?.objects, desired, registry.project);
    if (plan.viewsToKeep.length > 0 || plan.viewsToTeardown.length > 0) {
      await (await online()).update(plan.viewsToKeep, plan.viewsToTeardown);
    }
    return nextDocument(current ?? registry.empty(), plan);
  });
  return plan!;
}

function nextDocument(current: RegistryDocument, plan: Plan): RegistryDocument {
  const now = new Date().toISOString();
  const changed = new Set(plan.objectChanges.map((c) => `${c.type}:${c.name}`));
  const typeOf: Record<ObjectListKey, string> = {
    entities: "entity",
    dataSources: "data source",
    featureViews: "feature view",
    onDemandFeatureViews: "on demand feature view",
    featureServices: "feature service",
  };
  const meta = { ...current.meta };
  for (const key of Object.keys(typeOf) as ObjectListKey[]) {
    const before = current.meta[key] ?? {};
    meta[key] = Object.fromEntries(
      plan.desired[key].map((object) => {
        const old = before[object.name];
        if (old === undefined) return [object.name, { createdTimestamp: now, lastUpdatedTimestamp: now, ...(key === "featureViews" ? { materializationIntervals: [] } : {}) }];
        return [object.name, changed.has(`${typeOf[key]}:${object.name}`) ? { ...old, lastUpdatedTimestamp: now } : old];
      }),
    );
  }
  return { ...current, objects: plan.desired, meta };
}
