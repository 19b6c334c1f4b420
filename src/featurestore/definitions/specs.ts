/**
 * The JSON form of every definition, as stored in the registry and compared by `plan`. Plain data:
 * no classes and no functions, so a registry read back from disk equals what apply wrote.
 */
export interface FieldSpec {
  name: string;
  dtype: string;
  description: string;
  tags: Record<string, string>;
}

export interface FileSourceSpec {
  type: "file";
  name: string;
  path: string;
  fileFormat: "parquet" | "csv";
  timestampField: string;
  createdTimestampColumn: string | null;
  fieldMapping: Record<string, string>;
  description: string;
  tags: Record<string, string>;
}

export interface PushSourceSpec {
  type: "push";
  name: string;
  batchSource: FileSourceSpec;
  description: string;
  tags: Record<string, string>;
}

export type DataSourceSpec = FileSourceSpec | PushSourceSpec;

export interface EntitySpec {
  name: string;
  joinKeys: string[];
  description: string;
  tags: Record<string, string>;
}

export interface AggregationSpec {
  name: string;
  column: string;
  function: "mean" | "std" | "min" | "max" | "sum" | "count";
  timeWindowSeconds: number;
}

export interface FeatureViewSpec {
  name: string;
  entities: string[];
  /** One join key per entity, in entity order. */
  joinKeys: string[];
  /** Join-key columns with a known type (declared in the schema, or read from the source by apply). */
  entityColumns: FieldSpec[];
  /** Plain features, point-in-time joined; aggregation outputs are in `aggregations`. */
  features: FieldSpec[];
  /** No schema was given: apply fills `features` from the source's columns. */
  schemaInferred: boolean;
  aggregations: AggregationSpec[];
  /** 0 means no look-back limit. */
  ttlSeconds: number;
  online: boolean;
  source: DataSourceSpec;
  description: string;
  tags: Record<string, string>;
}

export interface FeatureSelectionSpec {
  view: string;
  features: string[];
}

export interface OnDemandFeatureViewSpec {
  name: string;
  sources: FeatureSelectionSpec[];
  features: FieldSpec[];
  /** The transform's source text: shown by describe, compared by plan; the function itself comes from features.ts. */
  transformSource: string;
  description: string;
  tags: Record<string, string>;
}

export interface FeatureServiceSpec {
  name: string;
  features: FeatureSelectionSpec[];
  description: string;
  tags: Record<string, string>;
}

/** Every object of a repo, each list sorted by name. */
export interface RepoSpecs {
  entities: EntitySpec[];
  dataSources: DataSourceSpec[];
  featureViews: FeatureViewSpec[];
  onDemandFeatureViews: OnDemandFeatureViewSpec[];
  featureServices: FeatureServiceSpec[];
}

export function emptyRepoSpecs(): RepoSpecs {
  return { entities: [], dataSources: [], featureViews: [], onDemandFeatureViews: [], featureServices: [] };
}

export function batchSourceOf(view: FeatureViewSpec): FileSourceSpec {
  return view.source.type === "push" ? view.source.batchSource : view.source;
}

/** Output type of an aggregation feature. */
export function aggregationDtype(aggregation: AggregationSpec): string {
  return aggregation.function === "count" ? "Int64" : "Float64";
}

/** All features a view serves: plain features, then aggregation outputs. */
export function viewFeatures(view: FeatureViewSpec): FieldSpec[] {
  return [
    ...view.features,
    ...view.aggregations.map((a) => ({ name: a.name, dtype: aggregationDtype(a), description: "", tags: {} })),
  ];
}
