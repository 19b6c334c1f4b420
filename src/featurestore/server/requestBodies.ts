import type { FeatureChoice } from "../FeatureStore.js";
import type { PushTarget } from "../push.js";
import { RequestError } from "./requestError.js";

export type OnlineFeaturesBody = FeatureChoice & { entities: Record<string, unknown[]>; fullFeatureNames: boolean };
export interface PushBody {
  pushSourceName: string;
  df: Record<string, unknown[]>;
  to: PushTarget;
}
export interface MaterializeBody {
  startTs: string;
  endTs: string;
  featureViews: string[] | undefined;
}
export interface MaterializeIncrementalBody {
  endTs: string;
  featureViews: string[] | undefined;
}

const PUSH_TARGETS: readonly PushTarget[] = ["online", "offline", "online_and_offline"];

/** The body as a JSON object; anything else is the client's mistake. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new RequestError(400, "BAD_REQUEST", `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw RequestError.invalidBody("The request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (isAbsent(value)) return undefined;
  if (typeof value !== "string") throw RequestError.invalidBody(`${field} must be a string`);
  return value;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw RequestError.invalidBody(`${field} is required`);
  return value;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/**
 * A timestamp string whose calendar fields exist. The store's parser lets `Date.UTC` roll `2026-13-45`
 * over into a later date; a server should refuse it instead.
 */
function requiredTimestamp(body: Record<string, unknown>, field: string): string {
  const value = requiredString(body, field);
  const m = DATE_TIME.exec(value.trim());
  if (m) {
    const [y, mo, d, h, mi, sec] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) {
      throw new RequestError(400, "INVALID_PARAMETER_VALUE", `${field} ${JSON.stringify(value)} is not a valid date and time`);
    }
  }
  return value;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  if (isAbsent(value)) return false;
  if (typeof value !== "boolean") throw RequestError.invalidBody(`${field} must be true or false`);
  return value;
}

function optionalStrings(body: Record<string, unknown>, field: string): string[] | undefined {
  const value = body[field];
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw RequestError.invalidBody(`${field} must be a list of strings`);
  return value as string[];
}

/** `{column: [values…]}`; lengths and keys are checked by the store, which knows the join keys. */
function columns(body: Record<string, unknown>, field: string): Record<string, unknown[]> {
  const value = body[field];
  if (isAbsent(value)) throw RequestError.invalidBody(`${field} is required`);
  if (typeof value !== "object" || Array.isArray(value)) throw RequestError.invalidBody(`${field} must be an object mapping column names to lists of values`);
  for (const [name, column] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(column)) throw RequestError.invalidBody(`${field}.${name} must be a list of values`);
  }
  return value as Record<string, unknown[]>;
}

/** `POST /get-online-features`: a feature service wins over a feature list, as in Feast. */
export function onlineFeaturesBody(body: Record<string, unknown>): OnlineFeaturesBody {
  const featureService = optionalString(body, "feature_service");
  const features = optionalStrings(body, "features");
  const entities = columns(body, "entities");
  const fullFeatureNames = optionalBoolean(body, "full_feature_names");
  return featureService !== undefined
    ? { featureService, entities, fullFeatureNames }
    : { features: features ?? [], entities, fullFeatureNames };
}

export function pushBody(body: Record<string, unknown>): PushBody {
  const pushSourceName = requiredString(body, "push_source_name");
  const df = columns(body, "df");
  const to = optionalString(body, "to") ?? "online";
  if (!(PUSH_TARGETS as readonly string[]).includes(to)) {
    throw RequestError.invalidBody(`to must be one of ${PUSH_TARGETS.join(", ")}, got ${JSON.stringify(to)}`);
  }
  return { pushSourceName, df, to: to as PushTarget };
}

/** `disable_event_timestamp` widens the window to [1970-01-01, now], as Feast does. */
export function materializeBody(body: Record<string, unknown>, now: () => Date): MaterializeBody {
  const featureViews = optionalStrings(body, "feature_views");
  if (optionalBoolean(body, "disable_event_timestamp")) {
    return { startTs: "1970-01-01T00:00:00Z", endTs: now().toISOString(), featureViews };
  }
  return { startTs: requiredTimestamp(body, "start_ts"), endTs: requiredTimestamp(body, "end_ts"), featureViews };
}

export function materializeIncrementalBody(body: Record<string, unknown>): MaterializeIncrementalBody {
  return { endTs: requiredTimestamp(body, "end_ts"), featureViews: optionalStrings(body, "feature_views") };
}
