import { DEFINITION_KIND, definitionKind } from "./brand.js";
import { invalid, optionalString, requireArray, requireName, stringRecord } from "./checks.js";
import { durationSeconds } from "./duration.js";
import type { Entity } from "./Entity.js";
import type { Field } from "./Field.js";
import type { FileSource } from "./FileSource.js";
import type { PushSource } from "./PushSource.js";

export type AggregationFunction = "mean" | "std" | "min" | "max" | "sum" | "count";
const AGGREGATION_FUNCTIONS: readonly AggregationFunction[] = ["mean", "std", "min", "max", "sum", "count"];

export interface AggregationOptions {
  column: string;
  function: AggregationFunction;
  /** Seconds or a duration string; the value at T covers rows with `T - window < event_timestamp <= T`. */
  timeWindow: number | string;
  /** Output feature name; defaults to Feast's `{function}_{column}_{seconds}s`. */
  name?: string;
}

export interface Aggregation {
  readonly column: string;
  readonly function: AggregationFunction;
  readonly timeWindowSeconds: number;
  readonly name: string;
}

export interface FeatureViewOptions {
  name: string;
  /** Entity objects, or names of entities defined elsewhere in the repo. */
  entities?: (Entity | string)[];
  /** Seconds or a duration string (`"1h"`); `0` (the default) looks back without limit. */
  ttl?: number | string;
  /** Omit to infer the features from the source's columns at apply time. */
  schema?: Field[];
  source: FileSource | PushSource;
  online?: boolean;
  description?: string;
  tags?: Record<string, string>;
  aggregations?: AggregationOptions[];
}

/** A selection of a view's features, written `view.select(["a", "b"])` (Feast's `view[["a", "b"]]`). */
export interface FeatureViewProjection {
  readonly [DEFINITION_KIND]: "FeatureViewProjection";
  readonly view: FeatureView;
  readonly features: readonly string[];
}

/** Features of one or more entities read from one source, point-in-time joined within `ttl`. */
export class FeatureView {
  readonly [DEFINITION_KIND] = "FeatureView" as const;
  readonly name: string;
  readonly entities: readonly (Entity | string)[];
  readonly ttlSeconds: number;
  readonly schema: readonly Field[] | undefined;
  readonly source: FileSource | PushSource;
  readonly online: boolean;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly aggregations: readonly Aggregation[];

  constructor(options: FeatureViewOptions) {
    this.name = requireName("Feature view", options?.name);
    const what = `Feature view ${this.name}`;
    const entities = requireArray<Entity | string>(`${what}: entities`, options.entities ?? []);
    for (const entity of entities) {
      if (typeof entity !== "string" && definitionKind(entity) !== "Entity") {
        throw invalid(`${what}: entities must be Entity objects or entity names`);
      }
    }
    this.entities = Object.freeze([...entities]);
    this.ttlSeconds = durationSeconds(options.ttl ?? 0, `${what}: ttl`);
    if (options.schema !== undefined) {
      const schema = requireArray<Field>(`${what}: schema`, options.schema);
      for (const field of schema) {
        if (definitionKind(field) !== "Field") throw invalid(`${what}: schema must hold Field objects`);
      }
      const seen = new Set<string>();
      for (const field of schema) {
        if (seen.has(field.name)) throw invalid(`${what}: field ${field.name} appears twice in the schema`);
        seen.add(field.name);
      }
      this.schema = Object.freeze([...schema]);
    } else {
      this.schema = undefined;
    }
    const sourceKind = definitionKind(options.source);
    if (sourceKind !== "FileSource" && sourceKind !== "PushSource") {
      throw invalid(`${what}: source must be a FileSource or a PushSource`);
    }
    this.source = options.source;
    if (options.online !== undefined && typeof options.online !== "boolean") throw invalid(`${what}: online must be true or false`);
    this.online = options.online ?? true;
    this.description = optionalString(`${what}: description`, options.description) ?? "";
    this.tags = stringRecord(`${what}: tags`, options.tags);
    this.aggregations = Object.freeze(
      requireArray<AggregationOptions>(`${what}: aggregations`, options.aggregations ?? []).map((a) => aggregation(what, a)),
    );
    const names = new Set((this.schema ?? []).map((f) => f.name));
    for (const a of this.aggregations) {
      if (names.has(a.name)) throw invalid(`${what}: aggregation output ${a.name} clashes with another feature name`);
      names.add(a.name);
    }
    Object.freeze(this);
  }

  /** The batch source rows are read from (a push source's `batchSource`). */
  get batchSource(): FileSource {
    return definitionKind(this.source) === "PushSource" ? (this.source as PushSource).batchSource : (this.source as FileSource);
  }

  select(features: string[]): FeatureViewProjection {
    return Object.freeze({ [DEFINITION_KIND]: "FeatureViewProjection" as const, view: this, features: Object.freeze([...features]) });
  }
}

function aggregation(what: string, options: AggregationOptions): Aggregation {
  if (typeof options !== "object" || options === null) throw invalid(`${what}: each aggregation must be an object`);
  const column = requireName(`${what}: aggregation column`, options.column);
  if (!AGGREGATION_FUNCTIONS.includes(options.function)) {
    throw invalid(
      `${what}: aggregation function ${JSON.stringify(options.function)} is not supported`,
      `Use one of ${AGGREGATION_FUNCTIONS.join(", ")}`,
    );
  }
  const timeWindowSeconds = durationSeconds(options.timeWindow, `${what}: aggregation timeWindow`);
  if (timeWindowSeconds <= 0) throw invalid(`${what}: aggregation timeWindow must be positive`);
  const name = options.name === undefined
    ? `${options.function}_${column}_${formatSeconds(timeWindowSeconds)}s`
    : requireName(`${what}: aggregation name`, options.name);
  return Object.freeze({ column, function: options.function, timeWindowSeconds, name });
}

function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? String(seconds) : String(seconds).replace(".", "_");
}
