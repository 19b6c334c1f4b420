/** Feast's FieldStatus names as they appear in responses. */
export type FieldStatus = "PRESENT" | "NOT_FOUND" | "OUTSIDE_MAX_AGE";

export const ZERO_TIMESTAMP = "1970-01-01T00:00:00Z";

/**
 * Feast's online response, column-major: `results[i]` holds feature `metadata.feature_names[i]` for every
 * entity row. Int64 values beyond 2^53 are bigints; use `stringifyOnlineResponse` to write them exactly.
 */
export interface OnlineResponse {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: FieldStatus[]; event_timestamps: string[] }[];
}

/** JSON text of a response (Feast key order: results, then metadata) with bigints as exact JSON numbers. */
export function stringifyOnlineResponse(response: OnlineResponse, indent?: number): string {
  const document = { results: response.results, metadata: response.metadata };
  // A replacer takes JSON.stringify off its fast path; it is needed only when a bigint made the plain call throw.
  try {
    return JSON.stringify(document, undefined, indent);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  const marker = "__larder_bigint__";
  const text = JSON.stringify(
    document,
    (_key, value: unknown) => (typeof value === "bigint" ? `${marker}${value}` : value),
    indent,
  );
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, "g"), "$1");
}

/** A stored value in Feast's JSON form for its dtype. */
export function responseValue(value: unknown, dtype: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const element = /^Array\((\w+)\)$/.exec(dtype)?.[1] ?? "";
    return value.map((v) => responseValue(v, element));
  }
  switch (dtype) {
    case "Float32":
      return Math.fround(Number(value));
    case "Int32":
    case "Int64":
      if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
      return value;
    case "UnixTimestamp":
      if (value instanceof Date) return Math.floor(value.getTime() / 1000);
      return value;
    case "Bytes":
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    default:
      if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
      return value;
  }
}
