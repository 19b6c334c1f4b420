/**
 * Definitions are recognised by a registered symbol rather than `instanceof`, so an object built by
 * another copy of Larder (a user's features.ts bundled against a different install) is still accepted.
 */
export const DEFINITION_KIND = Symbol.for("larder.featurestore.definitionKind");

export type DefinitionKind =
  | "Entity"
  | "FileSource"
  | "PushSource"
  | "Field"
  | "FeatureView"
  | "OnDemandFeatureView"
  | "FeatureService"
  | "FeatureViewProjection";

export function definitionKind(value: unknown): DefinitionKind | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as { [DEFINITION_KIND]?: DefinitionKind })[DEFINITION_KIND];
}
