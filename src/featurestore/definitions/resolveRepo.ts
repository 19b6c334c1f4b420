import { LarderError } from "../../errors.js";
import { definitionKind } from "./brand.js";
import { dtypeName } from "./dtypes.js";
import type { Entity } from "./Entity.js";
import type { FeatureService } from "./FeatureService.js";
import type { FeatureView, FeatureViewProjection } from "./FeatureView.js";
import type { Field } from "./Field.js";
import type { FileSource } from "./FileSource.js";
import type { OnDemandFeatureView, OnDemandTransform } from "./OnDemandFeatureView.js";
import type { PushSource } from "./PushSource.js";
import type {
  DataSourceSpec,
  EntitySpec,
  FeatureSelectionSpec,
  FeatureServiceSpec,
  FeatureViewSpec,
  FieldSpec,
  FileSourceSpec,
  OnDemandFeatureViewSpec,
  RepoSpecs,
} from "./specs.js";

/** A repo's definitions as specs, plus the transform functions, which cannot live in JSON. */
export interface ResolvedRepo {
  specs: RepoSpecs;
  transforms: Map<string, OnDemandTransform>;
}

type Definition = Entity | FileSource | PushSource | FeatureView | OnDemandFeatureView | FeatureService;

/**
 * Checks the definitions of one repo against each other (duplicate names, unknown entities, features a
 * projection names but the view lacks) and turns them into specs. Objects that others reference (an entity
 * of a view, a view in a service) count as defined even when not exported. `origin` (the file) prefixes
 * every problem; all problems are reported together.
 */
export function resolveRepo(objects: readonly unknown[], origin: string): ResolvedRepo {
  const problems: string[] = [];
  const byKind = collect(objects, problems);
  const entities = byKind.get("Entity") as Map<string, Entity>;
  const views = byKind.get("FeatureView") as Map<string, FeatureView>;
  const odfvs = byKind.get("OnDemandFeatureView") as Map<string, OnDemandFeatureView>;
  const services = byKind.get("FeatureService") as Map<string, FeatureService>;
  const sources = new Map<string, DataSourceSpec>();

  const viewNames = new Map<string, string>();
  for (const name of [...views.keys(), ...odfvs.keys()]) {
    const lower = name.toLowerCase();
    if (viewNames.has(lower)) problems.push(`Feature view names must be unique (case-insensitively): ${viewNames.get(lower)} and ${name}`);
    viewNames.set(lower, name);
  }

  const viewSpecs = [...views.values()].map((view) => featureViewSpec(view, entities, problems));
  for (const spec of viewSpecs) addSource(sources, spec.source, problems);
  for (const source of byKind.get("FileSource")!.values()) addSource(sources, fileSourceSpec(source as FileSource), problems);
  for (const source of byKind.get("PushSource")!.values()) addSource(sources, pushSourceSpec(source as PushSource), problems);
  const specByName = new Map(viewSpecs.map((v) => [v.name, v]));

  const odfvSpecs = [...odfvs.values()].map((odfv) => onDemandSpec(odfv, specByName, problems));
  const odfvByName = new Map(odfvSpecs.map((o) => [o.name, o]));
  const serviceSpecs = [...services.values()].map((service) => serviceSpec(service, specByName, odfvByName, problems));

  if (problems.length > 0) {
    throw new LarderError(
      "INVALID_PARAMETER_VALUE",
      `Invalid definitions in ${origin}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  const byName = <T extends { name: string }>(items: T[]) => items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    specs: {
      entities: byName([...entities.values()].map(entitySpec)),
      dataSources: byName([...sources.values()]),
      featureViews: byName(viewSpecs),
      onDemandFeatureViews: byName(odfvSpecs),
      featureServices: byName(serviceSpecs),
    },
    transforms: new Map([...odfvs.values()].map((o) => [o.name, o.transform])),
  };
}

function collect(objects: readonly unknown[], problems: string[]): Map<string, Map<string, Definition>> {
  const kinds = ["Entity", "FileSource", "PushSource", "FeatureView", "OnDemandFeatureView", "FeatureService"];
  const byKind = new Map(kinds.map((k) => [k, new Map<string, Definition>()]));
  const labels: Record<string, string> = {
    Entity: "entity",
    FileSource: "data source",
    PushSource: "data source",
    FeatureView: "feature view",
    OnDemandFeatureView: "on demand feature view",
    FeatureService: "feature service",
  };
  const add = (object: Definition): void => {
    const kind = definitionKind(object)!;
    const map = byKind.get(kind)!;
    const existing = map.get(object.name);
    if (existing === object) return;
    if (existing !== undefined) {
      problems.push(`two different ${labels[kind]} objects are named ${object.name}`);
      return;
    }
    map.set(object.name, object);
    // Referenced objects are registered implicitly, as Feast does for data sources.
    if (kind === "FeatureView") {
      const view = object as FeatureView;
      for (const entity of view.entities) if (typeof entity !== "string") add(entity);
    } else if (kind === "OnDemandFeatureView") {
      for (const source of (object as OnDemandFeatureView).sources) add(viewOf(source));
    } else if (kind === "FeatureService") {
      for (const member of (object as FeatureService).features) {
        add(definitionKind(member) === "FeatureViewProjection" ? (member as FeatureViewProjection).view : (member as Definition));
      }
    }
  };
  for (const object of objects) {
    const kind = definitionKind(object);
    if (kind !== undefined && byKind.has(kind)) add(object as Definition);
  }
  return byKind;
}

function viewOf(member: FeatureView | FeatureViewProjection): FeatureView {
  return definitionKind(member) === "FeatureViewProjection" ? (member as FeatureViewProjection).view : (member as FeatureView);
}

function addSource(sources: Map<string, DataSourceSpec>, spec: DataSourceSpec, problems: string[]): void {
  const existing = sources.get(spec.name);
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(spec)) {
    problems.push(`two different data sources are named ${spec.name}`);
  }
  sources.set(spec.name, spec);
  if (spec.type === "push") addSource(sources, spec.batchSource, problems);
}

function fieldSpec(field: Field): FieldSpec {
  return { name: field.name, dtype: dtypeName(field.dtype), description: field.description, tags: { ...field.tags } };
}

function entitySpec(entity: Entity): EntitySpec {
  return { name: entity.name, joinKeys: [...entity.joinKeys], description: entity.description, tags: { ...entity.tags } };
}

function fileSourceSpec(source: FileSource): FileSourceSpec {
  return {
    type: "file",
    name: source.name,
    path: source.path,
    fileFormat: source.fileFormat,
    timestampField: source.timestampField,
    createdTimestampColumn: source.createdTimestampColumn ?? null,
    fieldMapping: { ...source.fieldMapping },
    description: source.description,
    tags: { ...source.tags },
  };
}

function pushSourceSpec(source: PushSource): DataSourceSpec {
  return {
    type: "push",
    name: source.name,
    batchSource: fileSourceSpec(source.batchSource),
    description: source.description,
    tags: { ...source.tags },
  };
}

function featureViewSpec(view: FeatureView, entities: Map<string, Entity>, problems: string[]): FeatureViewSpec {
  const what = `Feature view ${view.name}`;
  const entityNames: string[] = [];
  const joinKeys: string[] = [];
  for (const ref of view.entities) {
    const name = typeof ref === "string" ? ref : ref.name;
    const entity = entities.get(name);
    if (entity === undefined) {
      problems.push(`${what}: entity ${name} is not defined`);
      continue;
    }
    entityNames.push(name);
    joinKeys.push(entity.joinKey);
  }
  const schema = view.schema ?? [];
  const source = definitionKind(view.source) === "PushSource" ? pushSourceSpec(view.source as PushSource) : fileSourceSpec(view.source as FileSource);
  const batch = source.type === "push" ? source.batchSource : source;
  for (const field of schema) {
    if (Object.prototype.hasOwnProperty.call(batch.fieldMapping, field.name) && batch.fieldMapping[field.name] !== field.name) {
      problems.push(`${what}: fieldMapping of source ${batch.name} renames ${field.name}, which is also a schema field`);
    }
  }
  for (const aggregation of view.aggregations) {
    if (joinKeys.includes(aggregation.name)) problems.push(`${what}: aggregation ${aggregation.name} is named like a join key`);
  }
  return {
    name: view.name,
    entities: entityNames,
    joinKeys,
    entityColumns: schema.filter((f) => joinKeys.includes(f.name)).map(fieldSpec),
    features: schema.filter((f) => !joinKeys.includes(f.name)).map(fieldSpec),
    schemaInferred: view.schema === undefined,
    aggregations: view.aggregations.map((a) => ({ ...a })),
    ttlSeconds: view.ttlSeconds,
    online: view.online,
    source,
    description: view.description,
    tags: { ...view.tags },
  };
}

function selection(
  member: FeatureView | FeatureViewProjection,
  views: Map<string, FeatureViewSpec>,
  what: string,
  problems: string[],
): FeatureSelectionSpec {
  const view = viewOf(member);
  const spec = views.get(view.name);
  const all = spec === undefined ? [] : [...spec.features.map((f) => f.name), ...spec.aggregations.map((a) => a.name)];
  if (definitionKind(member) !== "FeatureViewProjection") return { view: view.name, features: all };
  const features = [...(member as FeatureViewProjection).features];
  // With an inferred schema the features are only known after apply reads the source.
  if (view.schema !== undefined) {
    for (const feature of features) {
      if (!all.includes(feature)) problems.push(`${what}: feature view ${view.name} has no feature ${feature}`);
    }
  }
  return { view: view.name, features };
}

function onDemandSpec(odfv: OnDemandFeatureView, views: Map<string, FeatureViewSpec>, problems: string[]): OnDemandFeatureViewSpec {
  const what = `On demand feature view ${odfv.name}`;
  return {
    name: odfv.name,
    sources: odfv.sources.map((s) => selection(s, views, what, problems)),
    features: odfv.schema.map(fieldSpec),
    transformSource: odfv.transform.toString(),
    description: odfv.description,
    tags: { ...odfv.tags },
  };
}

function serviceSpec(
  service: FeatureService,
  views: Map<string, FeatureViewSpec>,
  odfvs: Map<string, OnDemandFeatureViewSpec>,
  problems: string[],
): FeatureServiceSpec {
  const what = `Feature service ${service.name}`;
  const features = service.features.map((member) => {
    if (definitionKind(member) === "OnDemandFeatureView") {
      const odfv = odfvs.get((member as OnDemandFeatureView).name)!;
      return { view: odfv.name, features: odfv.features.map((f) => f.name) };
    }
    return selection(member as FeatureView | FeatureViewProjection, views, what, problems);
  });
  return { name: service.name, features, description: service.description, tags: { ...service.tags } };
}
