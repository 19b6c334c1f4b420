import { posix } from "node:path";
import { LarderError } from "../errors.js";

// Same character set as MLflow's key regex `^[/\w.\- :]*$` (Python's `\w` is Unicode-aware).
const KEY_CHARS = /^[/\p{L}\p{N}\p{M}_.\- :]*$/u;
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID = /^[a-zA-Z0-9][\w-]{0,63}$/;

export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_RUN_TAG_VALUE_LENGTH = 8000;
export const MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_BATCH_METRICS = 1000;
export const MAX_BATCH_PARAMS = 100;
export const MAX_BATCH_TAGS = 100;
export const MAX_BATCH_TOTAL = 1000;

function invalid(message: string, hint?: string): LarderError {
  return new LarderError("INVALID_PARAMETER_VALUE", message, hint === undefined ? {} : { hint });
}

/**
 * Metric, param and tag keys become file paths under the run, so a key must not normalise to a
 * different path: that is what keeps `../x` or `/etc/x` out of the store.
 */
export function validateKey(kind: "metric" | "param" | "tag", key: unknown): asserts key is string {
  if (typeof key !== "string" || key.length === 0) {
    throw invalid(`Invalid ${kind} name: it must be a non-empty string`);
  }
  if (!KEY_CHARS.test(key)) {
    throw invalid(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)`,
    );
  }
  if (posix.normalize(key) !== key || key === "." || key.startsWith("/") || key.endsWith("/") || key.split("/").includes("..")) {
    throw invalid(`Invalid ${kind} name: '${key}'. Names cannot resolve to a different path when normalized (no '..', '.', '//', leading or trailing '/')`);
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw invalid(`Invalid ${kind} name: '${key.slice(0, 40)}…' is ${key.length} characters long; the limit is ${MAX_KEY_LENGTH}`);
  }
}

export function validateRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== "string" || !RUN_ID.test(runId)) {
    throw invalid(`Invalid run id: '${String(runId)}'`, "Run ids are 32 lowercase hex characters, as printed by `larder track start`.");
  }
}

export function validateExperimentId(experimentId: unknown): asserts experimentId is string {
  if (typeof experimentId !== "string" || !EXPERIMENT_ID.test(experimentId)) {
    throw invalid(`Invalid experiment id: '${String(experimentId)}'`);
  }
}

export function validateExperimentName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.trim().length === 0) {
    throw invalid("Invalid experiment name: it must be a non-empty string");
  }
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) {
    throw invalid(`Invalid experiment name: ${name.length} characters; the limit is ${MAX_EXPERIMENT_NAME_LENGTH}`);
  }
}

export function validateMetricValue(key: string, value: unknown): asserts value is number {
  // NaN and ±inf are legal: MLflow writes them as `nan`, `inf`, `-inf`.
  if (typeof value !== "number") {
    throw invalid(`Got invalid value ${String(value)} for metric '${key}' (timestamp, step and value must be numbers)`);
  }
}

export function validateTimestampAndStep(key: string, timestamp: unknown, step: unknown): void {
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp)) {
    throw invalid(`Got invalid timestamp ${String(timestamp)} for metric '${key}': it must be an integer (epoch ms)`);
  }
  if (typeof step !== "number" || !Number.isSafeInteger(step)) {
    throw invalid(`Got invalid step ${String(step)} for metric '${key}': it must be an integer`);
  }
}

/** MLflow truncates over-long param and run-tag values by default rather than failing the run. */
export function truncateValue(value: string, limit: number): string {
  return value.length > limit ? value.slice(0, limit) : value;
}

export function validateBatchSize(metrics: number, params: number, tags: number): void {
  const over = (what: string, n: number, limit: number) =>
    invalid(`A batch may contain at most ${limit} ${what}; got ${n}`, "Split the values into several logBatch calls.");
  if (metrics > MAX_BATCH_METRICS) throw over("metrics", metrics, MAX_BATCH_METRICS);
  if (params > MAX_BATCH_PARAMS) throw over("params", params, MAX_BATCH_PARAMS);
  if (tags > MAX_BATCH_TAGS) throw over("tags", tags, MAX_BATCH_TAGS);
  if (metrics + params + tags > MAX_BATCH_TOTAL) throw over("values in all", metrics + params + tags, MAX_BATCH_TOTAL);
}
