import { LarderError } from "../errors.js";
import { loadModel, type LoadedModel } from "../models/index.js";
import { getModelRegistry, parseModelUri, resolveModelUri } from "../registry/index.js";

export interface ServedModel {
  model: LoadedModel;
  uri: string;
  /** The registered version behind a models:/ URI, else null. */
  version: number | null;
  path: string;
}

/** Which registered version a models:/ URI points at right now (null for paths and runs:/). */
async function currentVersion(uri: string, trackingUri: string | undefined): Promise<{ name: string; version: number } | null> {
  const parsed = parseModelUri(uri);
  if (parsed.kind === "version") return { name: parsed.name, version: parsed.version };
  if (parsed.kind !== "stage" && parsed.kind !== "alias" && parsed.kind !== "latest") return null;
  const registry = getModelRegistry(trackingUri);
  if (parsed.kind === "alias") return { name: parsed.name, version: (await registry.getModelVersionByAlias(parsed.name, parsed.alias)).version };
  const versions = await registry.getLatestVersions(parsed.name, parsed.kind === "stage" ? [parsed.stage] : undefined);
  if (versions.length === 0) {
    throw new LarderError(
      "RESOURCE_DOES_NOT_EXIST",
      parsed.kind === "stage" ? `No versions of model with name '${parsed.name}' and stage '${parsed.stage}' found` : `No versions of model with name '${parsed.name}' found`,
    );
  }
  return { name: parsed.name, version: Math.max(...versions.map((v) => v.version)) };
}

/**
 * A model URI kept up to date: `models:/NAME/STAGE` and `models:/NAME@ALIAS` move when the
 * registry changes, and `reload()` swaps in the new version. Readers take `current` once per
 * request, so a request in flight finishes on the model it started with.
 */
export class ModelSource {
  private constructor(
    readonly uri: string,
    private readonly trackingUri: string | undefined,
    private served: ServedModel,
  ) {}

  static async open(uri: string, trackingUri?: string): Promise<ModelSource> {
    return new ModelSource(uri, trackingUri, await ModelSource.load(uri, trackingUri));
  }

  /** Serves an already loaded model (no reloading). */
  static fixed(model: LoadedModel, uri = model.source): ModelSource {
    return new ModelSource(uri, undefined, { model, uri, version: null, path: model.source });
  }

  private static async load(uri: string, trackingUri: string | undefined): Promise<ServedModel> {
    const pinned = await currentVersion(uri, trackingUri);
    const target = pinned ? `models:/${pinned.name}/${pinned.version}` : uri;
    const path = await resolveModelUri(target, { trackingUri });
    return { model: await loadModel(path), uri, version: pinned?.version ?? null, path };
  }

  get current(): ServedModel {
    return this.served;
  }

  /** Re-resolves the URI; loads and swaps in the model when it points somewhere new. */
  async reload(): Promise<{ changed: boolean; version: number | null }> {
    if (this.trackingUri === undefined && !this.uri.startsWith("models:/")) return { changed: false, version: this.served.version };
    const pinned = await currentVersion(this.uri, this.trackingUri);
    if (pinned && pinned.version === this.served.version) return { changed: false, version: pinned.version };
    const next = await ModelSource.load(this.uri, this.trackingUri);
    if (next.path === this.served.path && next.version === this.served.version) return { changed: false, version: next.version };
    this.served = next;
    return { changed: true, version: next.version };
  }
}
