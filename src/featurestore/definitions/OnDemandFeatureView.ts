import { DEFINITION_KIND, definitionKind } from "./brand.js";
import { invalid, optionalString, requireArray, requireName, stringRecord } from "./checks.js";
import type { Field } from "./Field.js";
import type { FeatureView, FeatureViewProjection } from "./FeatureView.js";

/** Columns by name, one array entry per row. */
export type Columns = Record<string, unknown[]>;

/**
 * Computes output columns from input columns for a batch of rows. Inputs carry each source feature under
 * both `feature` and `view__feature`; the result must hold one array per schema field, as long as the input.
 */
export type OnDemandTransform = (inputs: Columns) => Columns;

export interface OnDemandFeatureViewOptions {
  name: string;
  sources: (FeatureView | FeatureViewProjection)[];
  schema: Field[];
  transform: OnDemandTransform;
  description?: string;
  tags?: Record<string, string>;
}

/** Features computed at retrieval time (offline and online) from other views' features. */
export class OnDemandFeatureView {
  readonly [DEFINITION_KIND] = "OnDemandFeatureView" as const;
  readonly name: string;
  readonly sources: readonly (FeatureView | FeatureViewProjection)[];
  readonly schema: readonly Field[];
  readonly transform: OnDemandTransform;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: OnDemandFeatureViewOptions) {
    this.name = requireName("On demand feature view", options?.name);
    const what = `On demand feature view ${this.name}`;
    const sources = requireArray<FeatureView | FeatureViewProjection>(`${what}: sources`, options.sources);
    if (sources.length === 0) throw invalid(`${what}: sources must name at least one feature view`);
    for (const source of sources) {
      const kind = definitionKind(source);
      if (kind !== "FeatureView" && kind !== "FeatureViewProjection") {
        throw invalid(`${what}: sources must be feature views or view.select([...]) projections`);
      }
    }
    this.sources = Object.freeze([...sources]);
    const schema = requireArray<Field>(`${what}: schema`, options.schema);
    if (schema.length === 0 || schema.some((f) => definitionKind(f) !== "Field")) {
      throw invalid(`${what}: schema must hold at least one Field`);
    }
    this.schema = Object.freeze([...schema]);
    if (typeof options.transform !== "function") throw invalid(`${what}: transform must be a function`);
    this.transform = options.transform;
    this.description = optionalString(`${what}: description`, options.description) ?? "";
    this.tags = stringRecord(`${what}: tags`, options.tags);
    Object.freeze(this);
  }
}
