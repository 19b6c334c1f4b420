import { DEFINITION_KIND, definitionKind } from "./brand.js";
import { invalid, optionalString, requireArray, requireName, stringRecord } from "./checks.js";
import type { FeatureView, FeatureViewProjection } from "./FeatureView.js";
import type { OnDemandFeatureView } from "./OnDemandFeatureView.js";

export type FeatureServiceMember = FeatureView | OnDemandFeatureView | FeatureViewProjection;

export interface FeatureServiceOptions {
  name: string;
  features: FeatureServiceMember[];
  description?: string;
  tags?: Record<string, string>;
}

/** A named list of features that a model consumes, expanded to `view:feature` refs in listed order. */
export class FeatureService {
  readonly [DEFINITION_KIND] = "FeatureService" as const;
  readonly name: string;
  readonly features: readonly FeatureServiceMember[];
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: FeatureServiceOptions) {
    this.name = requireName("Feature service", options?.name);
    const what = `Feature service ${this.name}`;
    const features = requireArray<FeatureServiceMember>(`${what}: features`, options.features);
    if (features.length === 0) throw invalid(`${what}: features must not be empty`);
    for (const member of features) {
      const kind = definitionKind(member);
      if (kind !== "FeatureView" && kind !== "OnDemandFeatureView" && kind !== "FeatureViewProjection") {
        throw invalid(`${what}: features must be feature views, on demand feature views or view.select([...])`);
      }
    }
    this.features = Object.freeze([...features]);
    this.description = optionalString(`${what}: description`, options.description) ?? "";
    this.tags = stringRecord(`${what}: tags`, options.tags);
    Object.freeze(this);
  }
}
