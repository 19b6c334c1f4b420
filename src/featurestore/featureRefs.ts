import { LarderError } from "../errors.js";
import {
  viewFeatures,
  type AggregationSpec,
  type FeatureViewSpec,
  type FieldSpec,
  type OnDemandFeatureViewSpec,
  type RepoSpecs,
} from "./definitions/specs.js";

export interface SelectedFeature {
  feature: string;
  /** Output column (or internal name for a feature fetched only as an on-demand input). */
  alias: string;
  dtype: string;
}

export interface SelectedView {
  view: FeatureViewSpec;
  features: SelectedFeature[];
  aggregations: (SelectedFeature & { aggregation: AggregationSpec })[];
}

export interface SelectedOnDemandView {
  odfv: OnDemandFeatureViewSpec;
  outputs: SelectedFeature[];
  /** Each source feature the transform receives, and the column it was fetched into. */
  inputs: { view: string; feature: string; alias: string }[];
}

/** Feature refs resolved against the registry: what to fetch, from which views, under which names. */
export interface FeatureSelection {
  /** Requested output columns in ref order (on-demand outputs last, as Feast). */
  outputs: SelectedFeature[];
  /** Views to read, in first-reference order, including ones read only for on-demand inputs. */
  views: SelectedView[];
  onDemand: SelectedOnDemandView[];
  /** Fetched columns that are not outputs (on-demand inputs nobody asked for). */
  hidden: string[];
}

export type FeaturesRequest = { features: readonly string[] } | { featureService: string };

/** Splits `view:feature`; throws Feast's error for refs without a colon. */
export function parseFeatureRef(ref: string): { view: string; feature: string } {
  const colon = ref.indexOf(":");
  if (typeof ref !== "string" || colon <= 0 || colon === ref.length - 1) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Feature reference ${JSON.stringify(ref)} must look like view:feature`);
  }
  return { view: ref.slice(0, colon), feature: ref.slice(colon + 1) };
}

/** The `view:feature` refs a request names; a feature service expands to its selections in order. */
export function featureRefs(specs: RepoSpecs, request: FeaturesRequest, project: string): string[] {
  if ("featureService" in request) {
    const service = specs.featureServices.find((s) => s.name === request.featureService);
    if (service === undefined) {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Feature service ${request.featureService} does not exist in project ${project}`, {
        hint: "Run larder fs list feature-services, or larder fs apply",
      });
    }
    return service.features.flatMap((s) => s.features.map((f) => `${s.view}:${f}`));
  }
  if (!Array.isArray(request.features) || request.features.length === 0) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "Name at least one feature (view:feature) or a feature service");
  }
  return [...request.features];
}

/**
 * Resolves refs to views and output names: `feature`, or `view__feature` with `fullFeatureNames`.
 * Two outputs with the same name are Feast's FeatureNameCollisionError.
 */
export function selectFeatures(specs: RepoSpecs, refs: readonly string[], fullFeatureNames: boolean, project: string): FeatureSelection {
  const views = new Map<string, SelectedView>();
  const onDemand = new Map<string, SelectedOnDemandView>();
  const outputs: SelectedFeature[] = [];
  const odfvOutputs: SelectedFeature[] = [];
  const aliasOf = new Map<string, string>();

  const selectFromView = (view: FeatureViewSpec, field: FieldSpec, alias: string): SelectedFeature => {
    let selected = views.get(view.name);
    if (selected === undefined) {
      selected = { view, features: [], aggregations: [] };
      views.set(view.name, selected);
    }
    const item = { feature: field.name, alias, dtype: field.dtype };
    const aggregation = view.aggregations.find((a) => a.name === field.name);
    if (aggregation !== undefined) selected.aggregations.push({ ...item, aggregation });
    else selected.features.push(item);
    aliasOf.set(`${view.name}:${field.name}`, alias);
    return item;
  };

  for (const ref of refs) {
    const { view: viewName, feature } = parseFeatureRef(ref);
    const alias = fullFeatureNames ? `${viewName}__${feature}` : feature;
    if (aliasOf.has(ref)) continue;
    const view = specs.featureViews.find((v) => v.name === viewName);
    if (view !== undefined) {
      const field = viewFeatures(view).find((f) => f.name === feature);
      if (field === undefined) throw noFeature(feature, viewName);
      outputs.push(selectFromView(view, field, alias));
      continue;
    }
    const odfv = specs.onDemandFeatureViews.find((o) => o.name === viewName);
    if (odfv === undefined) {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Feature view ${viewName} does not exist in project ${project}`, {
        hint: "Run larder fs list feature-views, or larder fs apply",
      });
    }
    const field = odfv.features.find((f) => f.name === feature);
    if (field === undefined) throw noFeature(feature, viewName);
    let selected = onDemand.get(odfv.name);
    if (selected === undefined) {
      selected = { odfv, outputs: [], inputs: [] };
      onDemand.set(odfv.name, selected);
    }
    const item = { feature, alias, dtype: field.dtype };
    selected.outputs.push(item);
    odfvOutputs.push(item);
    aliasOf.set(ref, alias);
  }

  const hidden: string[] = [];
  for (const selected of onDemand.values()) {
    for (const source of selected.odfv.sources) {
      const view = specs.featureViews.find((v) => v.name === source.view);
      if (view === undefined) {
        throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Feature view ${source.view} (a source of ${selected.odfv.name}) does not exist in project ${project}`);
      }
      for (const feature of source.features) {
        const ref = `${view.name}:${feature}`;
        let alias = aliasOf.get(ref);
        if (alias === undefined) {
          const field = viewFeatures(view).find((f) => f.name === feature);
          if (field === undefined) throw noFeature(feature, view.name);
          alias = `__larder_in__${view.name}__${feature}`;
          selectFromView(view, field, alias);
          hidden.push(alias);
        }
        selected.inputs.push({ view: view.name, feature, alias });
      }
    }
  }

  const all = [...outputs, ...odfvOutputs];
  const seen = new Set<string>();
  for (const output of all) {
    if (seen.has(output.alias)) {
      throw new LarderError(
        "INVALID_PARAMETER_VALUE",
        `Duplicate features named ${output.alias} found.\nTo resolve this collision, either use the full feature name by setting 'full_feature_names=True', or ensure that the features in question have different names.`,
        { hint: "Pass --full-feature-names (fullFeatureNames: true) to name outputs view__feature" },
      );
    }
    seen.add(output.alias);
  }
  return { outputs: all, views: [...views.values()], onDemand: [...onDemand.values()], hidden };
}

function noFeature(feature: string, view: string): LarderError {
  return new LarderError("RESOURCE_DOES_NOT_EXIST", `Feature ${feature} does not exist in feature view ${view}`, {
    hint: `Run larder fs describe ${view} to see its features`,
  });
}
