import type { FeatureViewSpec } from "../definitions/specs.js";
import type { FeatureSelection, SelectedFeature } from "../featureRefs.js";
import { entityKeySerializer, type EntityKeySerializer } from "./entityKey.js";

/** How to read one view: its key layout and the fields to answer from each record. */
export interface ViewRead {
  view: FeatureViewSpec;
  key: EntityKeySerializer;
  /** Features then aggregation outputs, as the response lists them. */
  fields: readonly SelectedFeature[];
  /** 0 means no age limit. */
  ttlMicros: number;
}

/** Everything about an online read that depends on the selection only, worked out once per selection. */
export interface OnlineReadPlan {
  views: readonly ViewRead[];
  /** Every view's join keys: the entity columns echoed in the response. */
  joinKeys: ReadonlySet<string>;
  entityDtypes: ReadonlyMap<string, string>;
  /** Output columns after the entity columns, in response order. */
  featureNames: readonly string[];
}

// Keyed by the selection object: FeatureStore keeps one selection per request per registry version,
// so a re-applied registry yields new selections and the old plans go with the old selections.
const plans = new WeakMap<FeatureSelection, OnlineReadPlan>();

export function onlineReadPlan(selection: FeatureSelection): OnlineReadPlan {
  let plan = plans.get(selection);
  if (plan === undefined) {
    plan = buildPlan(selection);
    plans.set(selection, plan);
  }
  return plan;
}

function buildPlan(selection: FeatureSelection): OnlineReadPlan {
  const views = selection.views.map(({ view, features, aggregations }): ViewRead => {
    const dtypes = Object.fromEntries(view.entityColumns.map((f) => [f.name, f.dtype]));
    return {
      view,
      key: entityKeySerializer([...new Set(view.joinKeys)].sort(), dtypes),
      fields: [...features, ...aggregations],
      ttlMicros: view.ttlSeconds * 1_000_000,
    };
  });
  return {
    views,
    joinKeys: new Set(selection.views.flatMap((v) => v.view.joinKeys)),
    entityDtypes: new Map(selection.views.flatMap((v) => v.view.entityColumns.map((f) => [f.name, f.dtype] as const))),
    featureNames: selection.outputs.map((o) => o.alias),
  };
}
