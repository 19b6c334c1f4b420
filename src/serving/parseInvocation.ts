import { commonInvocation } from "./commonInvocation.js";
import { parseCsv } from "./parseCsv.js";
import { ScoringError, SCORING_PROTOCOL_NOTE } from "./scoringError.js";
import { fromArray, fromColumns, fromDataframeSplit, fromRecords, isPlainObject, type TabularInput } from "./tabularInput.js";

export type { TabularInput };

export interface Invocation {
  input: TabularInput;
  params: Record<string, unknown> | null;
}

const INPUT_FIELDS = ["dataframe_split", "instances", "inputs", "dataframe_records"] as const;
const INPUT_FIELDS_TEXT = `{${INPUT_FIELDS.map((f) => `'${f}'`).join(", ")}}`;
const SUPPORTED_TYPES = "['text/csv', 'application/json']";

/** MLflow accepts `application/json` and `text/csv`, with no parameter but `charset=utf-8`. */
export function checkContentType(header: string | undefined): "json" | "csv" {
  if (header === "application/json") return "json";
  const [type = "", ...parameters] = (header ?? "").split(";").map((p) => p.trim());
  for (const parameter of parameters) {
    const [key = "", value = ""] = parameter.split("=").map((s) => s.trim().toLowerCase());
    if (key === "charset") {
      if (value !== "utf-8" && value !== "utf8") throw ScoringError.unsupportedMediaType("The scoring server only supports UTF-8");
    } else {
      throw ScoringError.unsupportedMediaType(`Unrecognized content type parameters: ${key}. ${SCORING_PROTOCOL_NOTE}`);
    }
  }
  const lower = type.toLowerCase();
  if (lower === "application/json") return "json";
  if (lower === "text/csv") return "csv";
  throw ScoringError.unsupportedMediaType(`This predictor only supports the following content types: Types: ${SUPPORTED_TYPES}. Got '${type}'.`);
}

function describeJsonType(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return `a ${typeof value === "number" ? (Number.isInteger(value) ? "int" : "float") : typeof value === "string" ? "str" : typeof value}`;
}

/** Parses an `/invocations` body the way MLflow's scoring server does, or throws its error. */
export function parseInvocation(contentType: string | undefined, body: string): Invocation {
  const kind = checkContentType(contentType);
  if (kind === "csv") {
    const { columns, rows } = parseCsv(body);
    return { input: { columns, rows }, params: null };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw ScoringError.badRequest(
      `Invalid input. Ensure that input is a valid JSON formatted string. Error: '${(err as Error).message}'\nInput: \n${body.slice(0, 1000)}\n`,
    );
  }
  return commonInvocation(parsed) ?? invocationOf(parsed);
}

/** Any parsed JSON body to its invocation, or MLflow's error for it; `commonInvocation` is the shortcut. */
export function invocationOf(parsed: unknown): Invocation {
  if (!isPlainObject(parsed)) {
    throw ScoringError.badRequest(
      `Invalid input. The input must be a JSON dictionary with exactly one of the input fields ${INPUT_FIELDS_TEXT}. Received ${describeJsonType(parsed)}.`,
    );
  }
  const present = Object.keys(parsed).filter((k) => (INPUT_FIELDS as readonly string[]).includes(k));
  if (present.length !== 1) {
    throw ScoringError.badRequest(
      `The input must be a JSON dictionary with exactly one of the input fields ${INPUT_FIELDS_TEXT}. Received dictionary with input fields: [${present.map((k) => `'${k}'`).join(", ")}]. ${SCORING_PROTOCOL_NOTE}`,
    );
  }
  const field = present[0]!;
  const value = parsed[field];
  const params = parsed.params === undefined || parsed.params === null ? null : parsed.params;
  if (params !== null && !isPlainObject(params)) throw ScoringError.badRequest("Invalid input. 'params' must be a JSON object.");
  let input: TabularInput;
  if (field === "dataframe_split") input = fromDataframeSplit(value);
  else if (field === "dataframe_records") {
    if (!Array.isArray(value)) throw ScoringError.badRequest("Invalid input. 'dataframe_records' must be a list of row objects.");
    input = fromRecords(value, field);
  } else if (isPlainObject(value)) input = fromColumns(value, field);
  else if (Array.isArray(value)) input = fromArray(value, field);
  else throw ScoringError.badRequest(`Invalid input. '${field}' must be a list or a JSON object of columns.`);
  return { input, params: params as Record<string, unknown> | null };
}
