import { resolveModelUri } from "../registry/index.js";
import { loadModel, type LoadedModel } from "./loadModel.js";

/**
 * Loads a model named by any model URI: a path, `runs:/RUN/model`, `models:/NAME/VERSION`,
 * `models:/NAME/STAGE`, `models:/NAME@ALIAS`, resolved against the tracking store.
 */
export async function loadModelUri(uri: string, options: { trackingUri?: string } = {}): Promise<LoadedModel> {
  return loadModel(await resolveModelUri(uri, { trackingUri: options.trackingUri }));
}
