import { existsSync, readdirSync, readFileSync } from "node:fs";
import { utimes } from "node:fs/promises";
import { join } from "node:path";
import type { Run, RunInfo } from "./entities.js";
import { EXPERIMENT_RESERVED_FOLDERS, isMissing, META_FILE, METRICS_FOLDER, PARAMS_FOLDER, TAGS_FOLDER } from "./fileStoreLayout.js";
import { listKeyFiles, readKeyValueFolder } from "./keyValueFiles.js";
import { parseMetaYaml, runInfoFromMeta } from "./metaYaml.js";
import { latestMetric, parseMetricFile } from "./metricFile.js";
import { MLFLOW_RUN_NAME } from "./reservedTags.js";

/** Reading one run folder (`<experiment>/<run id>/`) of an MLflow store. */

export function readRunInfo(runDir: string): RunInfo {
  const metaPath = join(runDir, META_FILE);
  const meta = parseMetaYaml(readFileSync(metaPath, "utf8"), metaPath);
  let runNameTag: string | undefined;
  if (typeof meta.run_name !== "string" || meta.run_name === "") {
    try {
      runNameTag = readFileSync(join(runDir, TAGS_FOLDER, MLFLOW_RUN_NAME), "utf8");
    } catch {
      runNameTag = undefined;
    }
  }
  return runInfoFromMeta(meta, runNameTag);
}

export function readLatestMetrics(runDir: string): Record<string, number> {
  const dir = join(runDir, METRICS_FOLDER);
  const metrics: Record<string, number> = {};
  for (const key of listKeyFiles(dir)) {
    const path = join(dir, ...key.split("/"));
    const latest = latestMetric(parseMetricFile(readFileSync(path, "utf8"), key, path));
    if (latest !== undefined) metrics[key] = latest.value;
  }
  return metrics;
}

/** Sync on purpose: searches read thousands of runs and sync reads of small files are fastest. */
export function readRunFolder(runDir: string): Run {
  return {
    info: readRunInfo(runDir),
    data: {
      metrics: readLatestMetrics(runDir),
      params: readKeyValueFolder(join(runDir, PARAMS_FOLDER)),
      tags: readKeyValueFolder(join(runDir, TAGS_FOLDER)),
    },
  };
}

/** The run folders of an experiment folder (those with a meta.yaml). */
export function listRunFolders(experimentDir: string): string[] {
  let entries;
  try {
    entries = readdirSync(experimentDir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  return entries
    .filter((e) => e.isDirectory() && !EXPERIMENT_RESERVED_FOLDERS.has(e.name) && !e.name.startsWith(".") && existsSync(join(experimentDir, e.name, META_FILE)))
    .map((e) => join(experimentDir, e.name));
}

/**
 * Bumps the mtime of the run's meta.yaml after a param, metric or tag write: the search cache
 * watches that one file per run (see runSearchCache.ts). MLflow ignores mtimes.
 */
export async function markRunChanged(runDir: string): Promise<void> {
  const now = new Date();
  await utimes(join(runDir, META_FILE), now, now).catch(() => undefined);
}
