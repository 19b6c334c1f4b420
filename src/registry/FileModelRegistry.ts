import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { atomicWriteFile } from "../core/atomicWrite.js";
import { withFileLock } from "../core/fileLock.js";
import { LarderError } from "../errors.js";
import { FileTrackingStore } from "../tracking/FileTrackingStore.js";
import { readKeyValueFolder, writeKeyFile } from "../tracking/keyValueFiles.js";
import { parseMetaYaml } from "../tracking/metaYaml.js";
import { validateKey } from "../tracking/validation.js";
import type { ModelVersion, ModelVersionStage, RegisteredModel, StageTransition } from "./entities.js";
import type { ModelRegistry, RegisterModelOptions, RollbackResult, TransitionOptions } from "./ModelRegistry.js";
import { describeMeasured, evaluatePromotionGate } from "./promotionGate.js";
import {
  modelVersionFromMeta,
  modelVersionToMetaYaml,
  registeredModelFromMeta,
  registeredModelToMetaYaml,
  type ModelVersionMeta,
} from "./registryMetaYaml.js";
import { DELETED_STAGE, STAGES, parseStage } from "./stages.js";
import { linkLoggedModel, resolveRegistrationSource } from "./registrationSource.js";
import { validateAlias, validateModelName, validateVersion } from "./validation.js";

const MODELS_FOLDER = "models";
const META_FILE = "meta.yaml";
const TAGS_FOLDER = "tags";
const ALIASES_FOLDER = "aliases";
/** Version tag in which Larder records stage changes; `rollback` reads it. */
export const STAGE_HISTORY_TAG = "larder.stage_history";
const MAX_HISTORY = 50;
const MAX_REGISTRY_TAG_VALUE = 100_000;

function notFound(message: string, hint?: string): LarderError {
  return new LarderError("RESOURCE_DOES_NOT_EXIST", message, hint === undefined ? {} : { hint });
}

/**
 * The model registry in MLflow's file layout under `<store>/models/`. Operations that read and then
 * write a model (new version numbers, stage changes, aliases) hold a per-model lock file, so several
 * processes registering at once get distinct, gap-free version numbers.
 */
export class FileModelRegistry implements ModelRegistry {
  readonly root: string;
  private readonly modelsRoot: string;

  constructor(readonly tracking: FileTrackingStore) {
    this.root = tracking.root;
    this.modelsRoot = join(this.root, MODELS_FOLDER);
  }

  // ---------------------------------------------------------------- layout

  private modelDir(name: string): string {
    validateModelName(name);
    return join(this.modelsRoot, name);
  }

  private versionDir(name: string, version: number): string {
    return join(this.modelDir(name), `version-${version}`);
  }

  /** A file next to the model folders; MLflow lists only folders there, so it ignores it. */
  private lockPath(name: string): string {
    return join(this.modelsRoot, `.${name}.lock`);
  }

  private withModelLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    validateModelName(name);
    return withFileLock(this.lockPath(name), fn);
  }

  private readModelMeta(name: string): ReturnType<typeof registeredModelFromMeta> {
    const path = join(this.modelDir(name), META_FILE);
    if (!existsSync(path)) throw notFound(`Registered Model with name=${name} not found`, "List models with `larder registry list`.");
    return registeredModelFromMeta(parseMetaYaml(readFileSync(path, "utf8"), path));
  }

  private readAliases(name: string): Record<string, number> {
    const aliases: Record<string, number> = {};
    for (const [alias, version] of Object.entries(readKeyValueFolder(join(this.modelDir(name), ALIASES_FOLDER)))) {
      aliases[alias] = Number(version.trim());
    }
    return aliases;
  }

  private versionNumbers(name: string): number[] {
    let entries;
    try {
      entries = readdirSync(this.modelDir(name), { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((e) => e.isDirectory() && /^version-\d+$/.test(e.name))
      .map((e) => Number(e.name.slice("version-".length)))
      .sort((a, b) => a - b);
  }

  private readVersionMeta(name: string, version: number): ModelVersionMeta | undefined {
    const path = join(this.versionDir(name, version), META_FILE);
    if (!existsSync(path)) return undefined;
    return modelVersionFromMeta(parseMetaYaml(readFileSync(path, "utf8"), path));
  }

  private toModelVersion(meta: ModelVersionMeta, aliases: Record<string, number>): ModelVersion {
    return {
      ...meta,
      currentStage: meta.currentStage as ModelVersionStage,
      tags: readKeyValueFolder(join(this.versionDir(meta.name, meta.version), TAGS_FOLDER)),
      aliases: Object.entries(aliases)
        .filter(([, v]) => v === meta.version)
        .map(([a]) => a)
        .sort(),
    };
  }

  /** Live (not soft-deleted) versions, ascending. */
  private liveVersions(name: string): ModelVersion[] {
    const aliases = this.readAliases(name);
    const out: ModelVersion[] = [];
    for (const n of this.versionNumbers(name)) {
      const meta = this.readVersionMeta(name, n);
      if (meta !== undefined && meta.currentStage !== DELETED_STAGE) out.push(this.toModelVersion(meta, aliases));
    }
    return out;
  }

  private requireVersion(name: string, version: number): ModelVersionMeta {
    this.readModelMeta(name);
    const meta = this.readVersionMeta(name, version);
    if (meta === undefined || meta.currentStage === DELETED_STAGE) {
      throw notFound(`Model Version (name=${name}, version=${version}) not found`, `List versions with \`larder registry describe ${name}\`.`);
    }
    return meta;
  }

  private async touchModel(name: string, timestamp: number): Promise<void> {
    const meta = this.readModelMeta(name);
    await atomicWriteFile(
      join(this.modelDir(name), META_FILE),
      registeredModelToMetaYaml({ ...meta, lastUpdatedTimestamp: timestamp, aliases: this.readAliases(name) }),
    );
  }

  private async writeVersion(meta: ModelVersionMeta): Promise<void> {
    await atomicWriteFile(join(this.versionDir(meta.name, meta.version), META_FILE), modelVersionToMetaYaml(meta));
  }

  // ---------------------------------------------------------------- registered models

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> } = {}): Promise<RegisteredModel> {
    validateModelName(name);
    for (const [k, v] of Object.entries(options.tags ?? {})) this.checkTag(k, v);
    await this.withModelLock(name, async () => {
      if (existsSync(join(this.modelDir(name), META_FILE))) {
        throw new LarderError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
      }
      await this.writeNewModel(name, options.description ?? null, options.tags ?? {});
    });
    return this.getRegisteredModel(name);
  }

  private async writeNewModel(name: string, description: string | null, tags: Record<string, string>): Promise<void> {
    const dir = this.modelDir(name);
    await mkdir(dir, { recursive: true });
    for (const [k, v] of Object.entries(tags)) await writeKeyFile(join(dir, TAGS_FOLDER), k, v);
    const now = Date.now();
    await atomicWriteFile(
      join(dir, META_FILE),
      registeredModelToMetaYaml({ name, creationTimestamp: now, lastUpdatedTimestamp: now, description, aliases: {} }),
    );
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const meta = this.readModelMeta(name);
    const aliases = this.readAliases(name);
    return {
      ...meta,
      tags: readKeyValueFolder(join(this.modelDir(name), TAGS_FOLDER)),
      aliases,
      latestVersions: await this.getLatestVersions(name),
    };
  }

  async listRegisteredModels(): Promise<RegisteredModel[]> {
    let entries;
    try {
      entries = readdirSync(this.modelsRoot, { withFileTypes: true });
    } catch {
      return [];
    }
    const names = entries
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && existsSync(join(this.modelsRoot, e.name, META_FILE)))
      .map((e) => e.name)
      .sort();
    return Promise.all(names.map((n) => this.getRegisteredModel(n)));
  }

  async updateRegisteredModel(name: string, update: { description: string }): Promise<RegisteredModel> {
    await this.withModelLock(name, async () => {
      const meta = this.readModelMeta(name);
      await atomicWriteFile(
        join(this.modelDir(name), META_FILE),
        registeredModelToMetaYaml({ ...meta, description: update.description, lastUpdatedTimestamp: Date.now(), aliases: this.readAliases(name) }),
      );
    });
    return this.getRegisteredModel(name);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.withModelLock(name, async () => {
      this.readModelMeta(name);
      await rm(this.modelDir(name), { recursive: true, force: true });
    });
  }

  private checkTag(key: string, value: string): void {
    validateKey("tag", key);
    if (typeof value !== "string") throw new LarderError("INVALID_PARAMETER_VALUE", `Tag '${key}' must have a string value`);
    if (value.length > MAX_REGISTRY_TAG_VALUE) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `Tag '${key}' has ${value.length} characters; the limit is ${MAX_REGISTRY_TAG_VALUE}`);
    }
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    this.checkTag(key, value);
    await this.withModelLock(name, async () => {
      this.readModelMeta(name);
      await writeKeyFile(join(this.modelDir(name), TAGS_FOLDER), key, value);
      await this.touchModel(name, Date.now());
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateKey("tag", key);
    await this.withModelLock(name, async () => {
      this.readModelMeta(name);
      const path = join(this.modelDir(name), TAGS_FOLDER, ...key.split("/"));
      if (!existsSync(path)) throw notFound(`No tag with key '${key}' on registered model '${name}'`);
      await rm(path);
      await this.touchModel(name, Date.now());
    });
  }

  // ---------------------------------------------------------------- versions

  async createModelVersion(
    name: string,
    source: string,
    options: RegisterModelOptions & { runId?: string } = {},
  ): Promise<ModelVersion> {
    validateModelName(name);
    if (typeof source !== "string" || source === "" || source.includes("\0")) {
      throw new LarderError("INVALID_PARAMETER_VALUE", "A model version needs a non-empty source URI");
    }
    for (const [k, v] of Object.entries(options.tags ?? {})) this.checkTag(k, v);
    const resolved = await resolveRegistrationSource(source, this.tracking, this.root, (n, v) => this.getModelVersion(n, v));
    const runId = options.runId ?? resolved.runId;
    if (runId !== null) await this.tracking.getRun(runId);

    const created = await this.withModelLock(name, async () => {
      if (!existsSync(join(this.modelDir(name), META_FILE))) {
        await this.writeNewModel(name, null, {});
      }
      // Soft-deleted versions keep their folder, so numbers are never reused.
      const version = Math.max(0, ...this.versionNumbers(name)) + 1;
      const dir = this.versionDir(name, version);
      await mkdir(dir);
      for (const [k, v] of Object.entries(options.tags ?? {})) await writeKeyFile(join(dir, TAGS_FOLDER), k, v);
      const now = Date.now();
      const meta: ModelVersionMeta = {
        name,
        version,
        creationTimestamp: now,
        lastUpdatedTimestamp: now,
        currentStage: "None",
        description: options.description ?? null,
        source: resolved.source,
        runId,
        runLink: null,
        status: "READY",
        statusMessage: null,
        storageLocation: resolved.storageLocation,
        userId: null,
        modelId: resolved.modelId,
      };
      await this.writeVersion(meta);
      await this.touchModel(name, now);
      return version;
    });
    if (resolved.modelId !== null) await linkLoggedModel(this.root, resolved.modelId, name, created);
    return this.getModelVersion(name, created);
  }

  async registerModel(modelUri: string, name: string, options: RegisterModelOptions = {}): Promise<ModelVersion> {
    return this.createModelVersion(name, modelUri, options);
  }

  async getModelVersion(name: string, version: number | string): Promise<ModelVersion> {
    const n = validateVersion(version);
    return this.toModelVersion(this.requireVersion(name, n), this.readAliases(name));
  }

  async listModelVersions(name: string): Promise<ModelVersion[]> {
    this.readModelMeta(name);
    return this.liveVersions(name);
  }

  async getLatestVersions(name: string, stages?: ModelVersionStage[]): Promise<ModelVersion[]> {
    this.readModelMeta(name);
    const wanted = stages === undefined || stages.length === 0 ? STAGES : stages.map(parseStage);
    const live = this.liveVersions(name);
    const out: ModelVersion[] = [];
    for (const stage of wanted) {
      const inStage = live.filter((v) => v.currentStage === stage);
      if (inStage.length > 0) out.push(inStage[inStage.length - 1]!);
    }
    return out;
  }

  async updateModelVersion(name: string, version: number | string, update: { description: string }): Promise<ModelVersion> {
    const n = validateVersion(version);
    await this.withModelLock(name, async () => {
      const meta = this.requireVersion(name, n);
      const now = Date.now();
      await this.writeVersion({ ...meta, description: update.description, lastUpdatedTimestamp: now });
    });
    return this.getModelVersion(name, n);
  }

  async getModelVersionDownloadUri(name: string, version: number | string): Promise<string> {
    const v = await this.getModelVersion(name, version);
    return v.storageLocation ?? v.source;
  }

  async setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void> {
    this.checkTag(key, value);
    const n = validateVersion(version);
    await this.withModelLock(name, async () => {
      this.requireVersion(name, n);
      await writeKeyFile(join(this.versionDir(name, n), TAGS_FOLDER), key, value);
      await this.touchModel(name, Date.now());
    });
  }

  async deleteModelVersionTag(name: string, version: number | string, key: string): Promise<void> {
    validateKey("tag", key);
    const n = validateVersion(version);
    await this.withModelLock(name, async () => {
      this.requireVersion(name, n);
      const path = join(this.versionDir(name, n), TAGS_FOLDER, ...key.split("/"));
      if (!existsSync(path)) throw notFound(`No tag with key '${key}' on model '${name}' version ${n}`);
      await rm(path);
      await this.touchModel(name, Date.now());
    });
  }

  /** Soft delete, as MLflow does: the folder stays (numbers are never reused), aliases to it go. */
  async deleteModelVersion(name: string, version: number | string): Promise<void> {
    const n = validateVersion(version);
    await this.withModelLock(name, async () => {
      const meta = this.requireVersion(name, n);
      const now = Date.now();
      for (const [alias, target] of Object.entries(this.readAliases(name))) {
        if (target === n) await rm(join(this.modelDir(name), ALIASES_FOLDER, alias), { force: true });
      }
      await this.writeVersion({ ...meta, currentStage: DELETED_STAGE, lastUpdatedTimestamp: now, description: null, userId: null });
      await this.touchModel(name, now);
    });
  }

  // ---------------------------------------------------------------- stages

  private readHistory(name: string, version: number): StageTransition[] {
    const raw = readKeyValueFolder(join(this.versionDir(name, version), TAGS_FOLDER))[STAGE_HISTORY_TAG];
    if (raw === undefined) return [];
    try {
      const parsed = JSON.parse(raw) as StageTransition[];
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }

  private async recordTransition(name: string, version: number, from: ModelVersionStage, to: ModelVersionStage, timestamp: number): Promise<void> {
    const history = [...this.readHistory(name, version), { from, to, timestamp }].slice(-MAX_HISTORY);
    await writeKeyFile(join(this.versionDir(name, version), TAGS_FOLDER), STAGE_HISTORY_TAG, JSON.stringify(history));
  }

  /** Sets a stage under the model lock, archiving others in the target stage when asked. */
  private async applyTransition(name: string, version: number, stage: ModelVersionStage, archiveExisting: boolean, now: number): Promise<void> {
    const meta = this.requireVersion(name, version);
    if (archiveExisting) {
      for (const other of this.liveVersions(name)) {
        if (other.version === version || other.currentStage !== stage) continue;
        const otherMeta = this.requireVersion(name, other.version);
        await this.writeVersion({ ...otherMeta, currentStage: "Archived", lastUpdatedTimestamp: now });
        await this.recordTransition(name, other.version, other.currentStage, "Archived", now);
      }
    }
    const from = meta.currentStage as ModelVersionStage;
    await this.writeVersion({ ...meta, currentStage: stage, lastUpdatedTimestamp: now });
    await this.recordTransition(name, version, from, stage, now);
    await this.touchModel(name, now);
  }

  /** Throws INVALID_STATE with the measured values when the version's run does not meet the gate. */
  async checkPromotionGate(name: string, version: number | string, requirements: string | string[]): Promise<void> {
    const mv = await this.getModelVersion(name, version);
    const expressions = (Array.isArray(requirements) ? requirements : [requirements]).filter((r) => r.trim() !== "");
    if (expressions.length === 0) return;
    if (mv.runId === null || mv.runId === "") {
      throw new LarderError("INVALID_STATE", `Cannot check the promotion gate for model '${name}' version ${mv.version}: it was not registered from a run`);
    }
    const run = await this.tracking.getRun(mv.runId);
    const failures: string[] = [];
    for (const expression of expressions) {
      for (const check of evaluatePromotionGate(run, expression).checks) {
        if (!check.passed) failures.push(`${check.requirement} (measured: ${describeMeasured(check.measured)})`);
      }
    }
    if (failures.length > 0) {
      throw new LarderError(
        "INVALID_STATE",
        `Promotion gate failed for model '${name}' version ${mv.version} (run ${mv.runId}): ${failures.join("; ")}`,
        { hint: "Promote a version whose run meets the requirement, or change the requirement." },
      );
    }
  }

  async transitionModelVersionStage(
    name: string,
    version: number | string,
    stage: string,
    options: TransitionOptions = {},
  ): Promise<ModelVersion> {
    const n = validateVersion(version);
    const target = parseStage(stage);
    const archiveExisting = options.archiveExisting ?? false;
    if (archiveExisting && target !== "Staging" && target !== "Production") {
      throw new LarderError("INVALID_PARAMETER_VALUE", `archiveExisting is only allowed when moving to Staging or Production, not ${target}`);
    }
    if (options.require !== undefined) await this.checkPromotionGate(name, n, options.require);
    await this.withModelLock(name, () => this.applyTransition(name, n, target, archiveExisting, Date.now()));
    return this.getModelVersion(name, n);
  }

  /**
   * Puts the previous Production version back into Production and archives the current one(s).
   * "Previous" is the version, other than the current ones, that most recently entered Production
   * according to the recorded stage history; for versions promoted by MLflow itself (no history),
   * the most recently updated Archived version.
   */
  async rollback(name: string): Promise<RollbackResult> {
    return this.withModelLock(name, async () => {
      this.readModelMeta(name);
      const live = this.liveVersions(name);
      const current = live.filter((v) => v.currentStage === "Production");
      if (current.length === 0) {
        throw new LarderError("INVALID_STATE", `Model '${name}' has no version in Production; there is nothing to roll back`);
      }
      const enteredProduction = (v: ModelVersion): number => {
        const entries = this.readHistory(name, v.version).filter((t) => t.to === "Production");
        return entries.length === 0 ? -1 : entries[entries.length - 1]!.timestamp;
      };
      const candidates = live.filter((v) => v.currentStage !== "Production");
      let previous: ModelVersion | undefined;
      let best = -1;
      for (const v of candidates) {
        const when = enteredProduction(v);
        if (when > best) {
          best = when;
          previous = v;
        }
      }
      if (previous === undefined) {
        const archived = candidates.filter((v) => v.currentStage === "Archived");
        archived.sort((a, b) => b.lastUpdatedTimestamp - a.lastUpdatedTimestamp || b.version - a.version);
        previous = archived[0];
      }
      if (previous === undefined) {
        throw new LarderError("INVALID_STATE", `Model '${name}' has no earlier Production version to roll back to`, {
          hint: "Transition a specific version with `larder registry transition` instead.",
        });
      }
      const now = Date.now();
      for (const v of current) {
        const meta = this.requireVersion(name, v.version);
        await this.writeVersion({ ...meta, currentStage: "Archived", lastUpdatedTimestamp: now });
        await this.recordTransition(name, v.version, "Production", "Archived", now);
      }
      await this.applyTransition(name, previous.version, "Production", false, now);
      return {
        restored: await this.getModelVersion(name, previous.version),
        archived: await Promise.all(current.map((v) => this.getModelVersion(name, v.version))),
      };
    });
  }

  /** The stage changes Larder recorded for a version, oldest first. */
  async getStageHistory(name: string, version: number | string): Promise<StageTransition[]> {
    const n = validateVersion(version);
    this.requireVersion(name, n);
    return this.readHistory(name, n);
  }

  // ---------------------------------------------------------------- aliases

  async setRegisteredModelAlias(name: string, alias: string, version: number | string): Promise<void> {
    validateAlias(alias);
    const n = validateVersion(version);
    await this.withModelLock(name, async () => {
      this.requireVersion(name, n);
      await writeKeyFile(join(this.modelDir(name), ALIASES_FOLDER), alias, String(n));
      await this.touchModel(name, Date.now());
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateAlias(alias);
    await this.withModelLock(name, async () => {
      this.readModelMeta(name);
      const path = join(this.modelDir(name), ALIASES_FOLDER, alias);
      if (!existsSync(path)) throw notFound(`Registered model alias ${alias} not found on model '${name}'`);
      await rm(path);
      await this.touchModel(name, Date.now());
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    this.readModelMeta(name);
    if (alias.toLowerCase() === "latest") {
      const latest = await this.getLatestVersions(name);
      if (latest.length === 0) throw notFound(`Model '${name}' has no versions`);
      return latest.reduce((a, b) => (b.version > a.version ? b : a));
    }
    const version = this.readAliases(name)[alias];
    if (version === undefined) {
      // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE, not a 404.
      throw new LarderError("INVALID_PARAMETER_VALUE", `Registered model alias ${alias} not found.`, {
        hint: `Set it with \`larder registry alias ${name} ${alias} <version>\`.`,
      });
    }
    return this.getModelVersion(name, version);
  }
}
