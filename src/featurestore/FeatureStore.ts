import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { LarderError } from "../errors.js";
import { applyPlan } from "./applyRepo.js";
import { loadRepoConfig, type RepoConfig } from "./config.js";
import type { OnDemandTransform } from "./definitions/OnDemandFeatureView.js";
import type { ResolvedRepo } from "./definitions/resolveRepo.js";
import type { DataSourceSpec, EntitySpec, FeatureServiceSpec, FeatureViewSpec, OnDemandFeatureViewSpec, RepoSpecs } from "./definitions/specs.js";
import { featureRefs, selectFeatures, type FeatureSelection } from "./featureRefs.js";
import { DEFINITIONS_FILE, loadDefinitions } from "./loadDefinitions.js";
import {
  incrementalWindows,
  materializationLog,
  materializeWindows,
  viewsToMaterialize,
  type MaterializedView,
  type MaterializeProgress,
} from "./materialize.js";
import { DuckDBOfflineStore } from "./offline/DuckDBOfflineStore.js";
import type { EntityRows } from "./offline/OfflineStore.js";
import type { RetrievalJob } from "./offline/RetrievalJob.js";
import { getOnlineFeatures, type OnlineEntityRows } from "./online/getOnlineFeatures.js";
import type { OnlineResponse } from "./online/onlineResponse.js";
import type { OnlineStore } from "./online/OnlineStore.js";
import { ONLINE_STORE_TYPES } from "./online/onlineStoreTypes.js";
import { diffDefinitions, planLines, type Plan } from "./registry/diffDefinitions.js";
import { FileFeatureRegistry } from "./registry/FileFeatureRegistry.js";
import type { ObjectMeta, RegistryDocument } from "./registry/registryDocument.js";
import { pushRows, type PushResult, type PushTarget } from "./push.js";
import { toEpochMicros } from "./time.js";
import { validateSources } from "./validateSources.js";

export interface OpenOptions {
  /** `feature_store.yaml` elsewhere than in the repo (Feast's `-f`). */
  configPath?: string;
  /** Module that `import … from "larder"` in features.ts resolves to; defaults to the running Larder. */
  larderModule?: string;
}

export interface PlanOptions {
  /** Do not read the sources to check columns and types (Feast's `--skip-source-validation`). */
  skipSourceValidation?: boolean;
}

export interface PlanResult {
  plan: Plan;
  /** Feast's output lines: registry changes, a blank line, infrastructure changes. */
  lines: string[];
}

/** Features by refs (`view:feature`) or by a feature service's name. */
export type FeatureChoice = { features: readonly string[]; featureService?: undefined } | { featureService: string; features?: undefined };

export type HistoricalFeaturesOptions = FeatureChoice & {
  /** A Parquet/CSV file of entity rows, or the rows. */
  entities: EntityRows;
  fullFeatureNames?: boolean;
  timestampColumn?: string;
};

export type OnlineFeaturesOptions = FeatureChoice & {
  entityRows: OnlineEntityRows;
  fullFeatureNames?: boolean;
  /** Reference time for OUTSIDE_MAX_AGE; defaults to now. */
  now?: Date | string;
};

export interface MaterializeOptions extends MaterializeProgress {
  /** Only these views (default: every online view). */
  views?: readonly string[];
}

export interface MaterializeResult {
  /** Feast's `Materializing N feature views ...` line. */
  header: string;
  /** Per view, Feast's `name:` or `name from A to B:` line, in `views` order. */
  viewLines: string[];
  views: MaterializedView[];
}

export type DescribedObject =
  | { type: "entity"; spec: EntitySpec; meta?: ObjectMeta }
  | { type: "feature view"; spec: FeatureViewSpec; meta?: ObjectMeta }
  | { type: "on demand feature view"; spec: OnDemandFeatureViewSpec; meta?: ObjectMeta }
  | { type: "feature service"; spec: FeatureServiceSpec; meta?: ObjectMeta }
  | { type: "data source"; spec: DataSourceSpec; meta?: ObjectMeta };

/** How long registry contents are trusted before the file's modification time is checked again. */
const REGISTRY_RECHECK_MS = 1000;
/** Distinct feature requests whose resolution is remembered (per registry version). */
const SELECTION_CACHE_SIZE = 256;
const NO_TRANSFORMS: ReadonlyMap<string, OnDemandTransform> = new Map();

/** Names a request for the selection cache; length prefixes keep it unambiguous whatever the refs contain. */
function selectionCacheKey(choice: FeatureChoice, fullFeatureNames: boolean): string {
  let key = fullFeatureNames ? "full " : "short ";
  if (choice.featureService !== undefined) return `${key}service ${String(choice.featureService)}`;
  if (!Array.isArray(choice.features)) return `${key}features ${typeof choice.features}`;
  key += "features";
  for (const ref of choice.features as unknown[]) {
    // JSON.stringify of the whole request would do, but at about 0.7 µs it was a tenth of an in-process online read.
    key += typeof ref === "string" ? ` ${ref.length}:${ref}` : ` ${JSON.stringify(ref)}`;
  }
  return key;
}

/**
 * A feature repo: `feature_store.yaml`, `features.ts`, the registry, and the offline and online stores.
 * Thin by design: each method delegates to one module. Close it when done.
 */
export class FeatureStore {
  private onlineStore: OnlineStore | undefined;
  private resolved: ResolvedRepo | undefined;
  private cached: { document: RegistryDocument | undefined; mtimeMs: number; checkedAt: number } | undefined;
  private selections: { specs: RepoSpecs; byRequest: Map<string, FeatureSelection> } | undefined;
  readonly registry: FileFeatureRegistry;
  readonly offline: DuckDBOfflineStore;

  private constructor(
    readonly config: RepoConfig,
    private readonly options: OpenOptions,
  ) {
    this.registry = new FileFeatureRegistry(config.registryPath, config.project);
    this.offline = new DuckDBOfflineStore(config.repoDir);
  }

  /** Opens the repo in `repoDir` (Feast's `-c`), reading and validating `feature_store.yaml`. */
  static async open(repoDir = ".", options: OpenOptions = {}): Promise<FeatureStore> {
    const dir = resolve(repoDir);
    return new FeatureStore(await loadRepoConfig(dir, options.configPath), options);
  }

  get project(): string {
    return this.config.project;
  }

  get definitionsFile(): string {
    return join(this.config.repoDir, DEFINITIONS_FILE);
  }

  private async online(): Promise<OnlineStore> {
    if (this.onlineStore === undefined) {
      const type = ONLINE_STORE_TYPES[this.config.onlineStore.type]!;
      this.onlineStore = await type.open(this.project, this.config.onlineStore);
    }
    return this.onlineStore;
  }

  /** The repo's definitions from features.ts (loaded once). */
  async loadDefinitions(): Promise<ResolvedRepo> {
    this.resolved ??= await loadDefinitions(this.definitionsFile, { larderModule: this.options.larderModule });
    return this.resolved;
  }

  private async desiredSpecs(options: PlanOptions): Promise<RepoSpecs> {
    const { specs } = await this.loadDefinitions();
    return options.skipSourceValidation ? specs : validateSources(specs, this.offline, this.definitionsFile);
  }

  /** What apply would change, without changing anything. */
  async plan(options: PlanOptions = {}): Promise<PlanResult> {
    const desired = await this.desiredSpecs(options);
    const plan = diffDefinitions((await this.registry.read())?.objects, desired, this.project);
    return { plan, lines: planLines(plan, this.config.onlineStore.type) };
  }

  /** Makes the registry and online store match features.ts; objects no longer defined are deleted. */
  async apply(options: PlanOptions = {}): Promise<PlanResult> {
    const desired = await this.desiredSpecs(options);
    const plan = await applyPlan(this.registry, () => this.online(), desired);
    this.cached = undefined;
    return { plan, lines: planLines(plan, this.config.onlineStore.type) };
  }

  /** Deletes the online store's data and the registry. */
  async teardown(): Promise<void> {
    const document = await this.registry.read();
    await (await this.online()).teardown(document?.objects.featureViews ?? []);
    this.onlineStore = undefined;
    await this.registry.delete();
    this.cached = undefined;
  }

  /** The registry document, re-read when the file changes (checked at most once a second). */
  async registryDocument(): Promise<RegistryDocument | undefined> {
    const now = Date.now();
    if (this.cached !== undefined && now - this.cached.checkedAt < REGISTRY_RECHECK_MS) return this.cached.document;
    const mtimeMs = await stat(this.registry.path).then((s) => s.mtimeMs, () => -1);
    if (this.cached === undefined || this.cached.mtimeMs !== mtimeMs) {
      this.cached = { document: await this.registry.read(), mtimeMs, checkedAt: now };
    } else {
      this.cached.checkedAt = now;
    }
    return this.cached.document;
  }

  /** The applied definitions when the registry was checked within the last second, without waiting; else undefined. */
  private recentSpecs(): RepoSpecs | undefined {
    const cached = this.cached;
    return cached !== undefined && Date.now() - cached.checkedAt < REGISTRY_RECHECK_MS ? cached.document?.objects : undefined;
  }

  /** The applied definitions; throws when nothing has been applied. */
  async specs(): Promise<RepoSpecs> {
    const document = await this.registryDocument();
    if (document === undefined) {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Registry not found at ${this.registry.path}`, { hint: "Run larder fs apply" });
    }
    return document.objects;
  }

  async listEntities(): Promise<EntitySpec[]> {
    return (await this.specs()).entities;
  }

  async listFeatureViews(): Promise<FeatureViewSpec[]> {
    return (await this.specs()).featureViews;
  }

  async listOnDemandFeatureViews(): Promise<OnDemandFeatureViewSpec[]> {
    return (await this.specs()).onDemandFeatureViews;
  }

  async listFeatureServices(): Promise<FeatureServiceSpec[]> {
    return (await this.specs()).featureServices;
  }

  async listDataSources(): Promise<DataSourceSpec[]> {
    return (await this.specs()).dataSources;
  }

  /** The object named `name`, looked up in Feast's order: entity, feature view, feature service, data source, on demand view. */
  async describe(name: string): Promise<DescribedObject> {
    const document = await this.registryDocument();
    const specs = await this.specs();
    const meta = document!.meta;
    const entity = specs.entities.find((o) => o.name === name);
    if (entity) return { type: "entity", spec: entity, meta: meta.entities[name] };
    const view = specs.featureViews.find((o) => o.name === name);
    if (view) return { type: "feature view", spec: view, meta: meta.featureViews[name] };
    const service = specs.featureServices.find((o) => o.name === name);
    if (service) return { type: "feature service", spec: service, meta: meta.featureServices[name] };
    const source = specs.dataSources.find((o) => o.name === name);
    if (source) return { type: "data source", spec: source, meta: meta.dataSources[name] };
    const odfv = specs.onDemandFeatureViews.find((o) => o.name === name);
    if (odfv) return { type: "on demand feature view", spec: odfv, meta: meta.onDemandFeatureViews[name] };
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Object ${name} does not exist in project ${this.project}`, {
      hint: "Run larder fs list entities|feature-views|feature-services|on-demand-feature-views",
    });
  }

  private async selection(choice: FeatureChoice, fullFeatureNames: boolean): Promise<{ selection: FeatureSelection; transforms: ReadonlyMap<string, OnDemandTransform> }> {
    const selection = this.selectionFor(this.recentSpecs() ?? (await this.specs()), choice, fullFeatureNames);
    return { selection, transforms: await this.transformsFor(selection) };
  }

  private selectionFor(specs: RepoSpecs, choice: FeatureChoice, fullFeatureNames: boolean): FeatureSelection {
    // Resolving refs costs more than an online read; serving repeats the same few requests.
    if (this.selections?.specs !== specs) this.selections = { specs, byRequest: new Map() };
    const cacheKey = selectionCacheKey(choice, fullFeatureNames);
    let selection = this.selections.byRequest.get(cacheKey);
    if (selection === undefined) {
      const request = choice.featureService !== undefined ? { featureService: choice.featureService } : { features: choice.features ?? [] };
      selection = selectFeatures(specs, featureRefs(specs, request, this.project), fullFeatureNames, this.project);
      if (this.selections.byRequest.size < SELECTION_CACHE_SIZE) this.selections.byRequest.set(cacheKey, selection);
    }
    return selection;
  }

  /** Transforms are functions, so they come from features.ts rather than the registry. */
  private async transformsFor(selection: FeatureSelection): Promise<ReadonlyMap<string, OnDemandTransform>> {
    return selection.onDemand.length > 0 ? (await this.loadDefinitions()).transforms : NO_TRANSFORMS;
  }

  /** A point-in-time-correct training set; see `OfflineStore.getHistoricalFeatures`. Close the job when done. */
  async getHistoricalFeatures(options: HistoricalFeaturesOptions): Promise<RetrievalJob> {
    const { selection, transforms } = await this.selection(options, options.fullFeatureNames ?? false);
    return this.offline.getHistoricalFeatures({
      entities: options.entities,
      timestampColumn: options.timestampColumn,
      selection,
      transforms,
    });
  }

  /** Latest feature values for entity rows, in Feast's response shape. */
  async getOnlineFeatures(options: OnlineFeaturesOptions): Promise<OnlineResponse> {
    // Serving calls this per request: while the registry check is recent, nothing below waits unless it must.
    const selection = this.selectionFor(this.recentSpecs() ?? (await this.specs()), options, options.fullFeatureNames ?? false);
    const transforms = selection.onDemand.length > 0 ? await this.transformsFor(selection) : NO_TRANSFORMS;
    return getOnlineFeatures(this.onlineStore ?? (await this.online()), {
      selection,
      transforms,
      entityRows: options.entityRows,
      nowMicros: options.now === undefined ? undefined : toEpochMicros(options.now, "now"),
    });
  }

  /** Materializes rows with `start <= event_time <= end` (naive times are UTC). */
  async materialize(start: Date | string, end: Date | string, options: MaterializeOptions = {}): Promise<MaterializeResult> {
    const startMicros = toEpochMicros(start, "start");
    const endMicros = toEpochMicros(end, "end");
    if (startMicros > endMicros) throw new LarderError("INVALID_PARAMETER_VALUE", "The start of the materialization window is after its end");
    const views = viewsToMaterialize(await this.specs(), options.views, this.project);
    const windows = views.map((view) => ({ view, startMicros, endMicros }));
    return this.runMaterialization(windows, false, options);
  }

  /** Materializes each view from where its last materialization ended (or `end - ttl`) up to `end`. */
  async materializeIncremental(end: Date | string, options: MaterializeOptions = {}): Promise<MaterializeResult> {
    const endMicros = toEpochMicros(end, "end");
    const views = viewsToMaterialize(await this.specs(), options.views, this.project);
    const windows = incrementalWindows(views, await this.registry.read(), endMicros);
    return this.runMaterialization(windows, true, options);
  }

  private async runMaterialization(windows: Parameters<typeof materializeWindows>[1], incremental: boolean, options: MaterializeOptions): Promise<MaterializeResult> {
    const { header, viewLines } = materializationLog(windows, incremental, this.config.onlineStore.type);
    const deps = { offline: this.offline, online: await this.online(), registry: this.registry, storeType: this.config.onlineStore.type };
    const views = await materializeWindows(deps, windows, incremental, options);
    this.cached = undefined;
    return { header, viewLines, views };
  }

  /** Feast's push: rows of a push source to the online store, the offline source, or both. */
  async push(pushSource: string, rows: OnlineEntityRows, to: PushTarget = "online"): Promise<PushResult> {
    const deps = { specs: await this.specs(), offline: this.offline, online: () => this.online(), project: this.project };
    return pushRows(deps, pushSource, rows, to);
  }

  async close(): Promise<void> {
    await this.onlineStore?.close();
    this.onlineStore = undefined;
    await this.offline.close();
  }
}
