import type { FeatureStore, OnlineResponse } from "../featurestore/index.js";
import type { CellValue } from "../gbdt/index.js";
import type { LoadedModel } from "../models/index.js";
import { ScoringError } from "./scoringError.js";

export interface FeaturePredictRequest {
  entities: Record<string, unknown[]>;
  request: Record<string, unknown[]>;
}

export interface FeatureRowStatus {
  /** PRESENT: every feature found; PARTIAL: some missing (predicted with them as missing); NOT_FOUND: entity unknown, no prediction. */
  status: "PRESENT" | "PARTIAL" | "NOT_FOUND";
  missing: string[];
}

/** Validates `{"entities": {key: [values…]}, "request": {…}}`: columns of equal length, at least one row. */
export function parseFeaturePredictRequest(body: string): FeaturePredictRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw ScoringError.badRequest(`Invalid input. Ensure that input is a valid JSON formatted string. Error: '${(err as Error).message}'`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(parsed) || !isObject(parsed.entities)) {
    throw ScoringError.badRequest('Invalid input. /predict takes {"entities": {"<join key>": [values…]}, "request": {…}}.');
  }
  const columns = (value: Record<string, unknown>, field: string) =>
    Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (!Array.isArray(v)) throw ScoringError.badRequest(`Invalid input. '${field}.${k}' must be a list of values, one per row.`);
        return [k, v];
      }),
    );
  const entities = columns(parsed.entities, "entities");
  const request = parsed.request === undefined ? {} : isObject(parsed.request) ? columns(parsed.request, "request") : null;
  if (request === null) throw ScoringError.badRequest("Invalid input. 'request' must be a JSON object of columns.");
  const lengths = new Set([...Object.values(entities), ...Object.values(request)].map((v) => v.length));
  if (Object.keys(entities).length === 0 || lengths.size !== 1 || lengths.has(0)) {
    throw ScoringError.badRequest("Invalid input. 'entities' needs at least one key, and every column the same number of values (at least one).");
  }
  return { entities, request };
}

/** The feature service a model was trained on (recorded in its MLmodel metadata by `track run`). */
export function featureServiceOf(model: LoadedModel, override?: string): string {
  const recorded = model.mlmodel?.metadata?.feature_service;
  const name = override ?? (typeof recorded === "string" ? recorded : undefined);
  if (!name) {
    throw ScoringError.badRequest("This model records no feature service; start the server with --feature-service NAME to use /predict.");
  }
  return name;
}

/**
 * Reads the model's features for entity rows from the online store and lays them out in the
 * model's feature order. A feature the store does not have is missing for that row.
 */
export async function onlineFeatureRows(
  store: FeatureStore,
  model: LoadedModel,
  featureService: string,
  input: FeaturePredictRequest,
): Promise<{ rows: CellValue[][]; statuses: FeatureRowStatus[]; response: OnlineResponse }> {
  const response = await store.getOnlineFeatures({ featureService, entityRows: { ...input.entities, ...input.request } });
  const names = response.metadata.feature_names;
  const index = new Map(names.map((n, i) => [n, i]));
  const absent = model.featureNames.filter((f) => !index.has(f));
  if (absent.length > 0) {
    throw ScoringError.invalidParameter(`Feature service '${featureService}' does not provide the model's feature(s): ${absent.join(", ")}`);
  }
  // On-demand outputs are computed, never NOT_FOUND; whether an entity is known shows in stored features.
  const computed = new Set((await store.listOnDemandFeatureViews()).flatMap((v) => v.features.map((f) => f.name)));
  const entityKeys = new Set(Object.keys(input.entities));
  const featureColumns = names.filter((n) => !entityKeys.has(n) && !computed.has(n));
  const numRows = Object.values(input.entities)[0]!.length;
  const rows: CellValue[][] = [];
  const statuses: FeatureRowStatus[] = [];
  for (let r = 0; r < numRows; r++) {
    const missing = featureColumns.filter((n) => response.results[index.get(n)!]!.statuses[r] === "NOT_FOUND");
    statuses.push({ status: missing.length === 0 ? "PRESENT" : missing.length === featureColumns.length ? "NOT_FOUND" : "PARTIAL", missing });
    rows.push(
      model.featureNames.map((f) => {
        const result = response.results[index.get(f)!]!;
        const value = result.statuses[r] === "NOT_FOUND" ? null : result.values[r];
        return typeof value === "bigint" ? Number(value) : (value as CellValue);
      }),
    );
  }
  return { rows, statuses, response };
}
