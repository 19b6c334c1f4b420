import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { Duck } from "../../core/duckdb.js";
import { LarderError } from "../../errors.js";
import { loadTable } from "../tableInput.js";
import { fileFeatures, filePrediction, loadDataSide, type DriftSide, type SideOptions, type SidePrediction } from "./sides.js";

/** A run id as `runs:/ID[/path]` or a bare 32-hex id; null for anything else. */
export function runIdOf(spec: string): string | null {
  const uri = /^runs:\/([^/]+)/.exec(spec);
  if (uri) return uri[1]!;
  return /^[0-9a-f]{32}$/i.test(spec) ? spec : null;
}

/** The reference: a run (its training file, its logged feature list) or a data side. */
export async function loadReferenceSide(duck: Duck, spec: string, options: SideOptions): Promise<DriftSide> {
  const runId = runIdOf(spec);
  if (runId === null) return loadDataSide(duck, "reference", spec, options);
  const { getRun } = await import("../../tracking/index.js");
  const run = await getRun(runId, { trackingUri: options.trackingUri });
  const tags = run.data.tags;
  const trainTag = tags["larder.train.path"];
  if (trainTag === undefined) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Run ${runId} has no larder.train.path tag, so its training data is unknown`, {
      hint: "Pass the training file itself as --reference, or use a run made by `larder track run`.",
    });
  }
  let trainPath = isAbsolute(trainTag) ? trainTag : resolve(options.cwd, trainTag);
  let description = `runs:/${runId} (${trainTag})`;
  let cleanup: (() => Promise<void>) | undefined;
  if (!(await exists(trainPath))) {
    // A run trained from a feature service read a training set that was built in a scratch folder.
    const rebuilt = await rebuildTrainingSet(tags);
    if (rebuilt === null) {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `The training file of run ${runId} is gone: ${trainTag}`, {
        hint: "Pass the training data itself as --reference.",
      });
    }
    trainPath = rebuilt.path;
    cleanup = rebuilt.cleanup;
    description = `runs:/${runId} (training set of feature service ${tags["larder.feature_service"]}, rebuilt)`;
  }
  const columns = await loadTable(duck, "reference", trainPath);
  const tagged = (tags["larder.features"] ?? "").split(",").filter((f) => f !== "");
  return {
    description,
    table: "reference",
    columns,
    defaultFeatures: tagged.length > 0 ? tagged : fileFeatures(columns),
    prediction: null,
    runId,
    trainPath,
    ...(cleanup ? { cleanup } : {}),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The point-in-time training set of a run's feature service, rebuilt from the tags it recorded. */
async function rebuildTrainingSet(tags: Record<string, string>): Promise<{ path: string; cleanup: () => Promise<void> } | null> {
  const service = tags["larder.feature_service"];
  const repo = tags["larder.feature_repo"];
  const entities = tags["larder.entities.path"];
  if (!service || !repo || !entities || !(await exists(entities))) return null;
  const { writeHistoricalFeatures } = await import("../../featurestore/index.js");
  const folder = await mkdtemp(join(tmpdir(), "larder-drift-reference-"));
  const cleanup = () => rm(folder, { recursive: true, force: true });
  try {
    const path = join(folder, "training_set.parquet");
    await writeHistoricalFeatures(repo, { featureService: service, entities }, path);
    return { path, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * A run's predictions on its own training file, made with the run's logged model, so the
 * prediction distribution has a reference: the reason when the model cannot be used, null when
 * the reference is not a run.
 */
export async function predictRunReference(duck: Duck, side: DriftSide, trackingUri: string | undefined): Promise<SidePrediction | string | null> {
  if (side.runId === undefined || side.trainPath === undefined) return null;
  const folder = await mkdtemp(join(tmpdir(), "larder-drift-"));
  try {
    const { loadModelUri, predictFile } = await import("../../models/index.js");
    const model = await loadModelUri(`runs:/${side.runId}/model`, { trackingUri });
    const output = join(folder, "reference-predictions.parquet");
    await predictFile({ model, input: side.trainPath, output });
    const columns = await loadTable(duck, "reference_predictions", output);
    return filePrediction("reference_predictions", columns) ?? "the run's model gave no predictions";
  } catch (err) {
    return `the run's model could not predict its training data (${(err as Error).message.split("\n")[0]})`;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
