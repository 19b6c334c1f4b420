import { parseCsv } from "./parseCsv.js";
import { ScoringError, SCORING_PROTOCOL_NOTE } from "./scoringError.js";

/** A request's data as a table: named columns (or positional when null) and row-major cells. */
export interface TabularInput {
  columns: string[] | null;
  rows: unknown[][];
}

export interface Invocation {
  input: TabularInput;
  params: Record<string, unknown> | null;
}

const INPUT_FIELDS = ["dataframe_split", "instances", "inputs", "dataframe_records"] as const;
const INPUT_FIELDS_TEXT = `{${INPUT_FIELDS.map((f) => `'${f}'`).join(", ")}}`;
const SUPPORTED_TYPES = "['text/csv', 'application/json']";

/** MLflow accepts `application/json` and `text/csv`, with no parameter but `charset=utf-8`. */
export function checkContentType(header: string | undefined): "json" | "csv" {
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Row objects → a table; keys in order of first appearance, absent keys as null (NaN in pandas). */
function fromRecords(records: unknown[], field: string): TabularInput {
  const columns: string[] = [];
  const index = new Map<string, number>();
  for (const [i, record] of records.entries()) {
    if (!isPlainObject(record)) throw ScoringError.badRequest(`Invalid input. ${field}[${i}] must be a JSON object mapping column names to values.`);
    for (const key of Object.keys(record)) {
      if (!index.has(key)) {
        index.set(key, columns.length);
        columns.push(key);
      }
    }
  }
  const rows = records.map((record) => columns.map((c) => (record as Record<string, unknown>)[c] ?? null));
  return { columns, rows };
}

/** Column object `{col: [values]}` → a table; all columns must have the same length. */
function fromColumns(data: Record<string, unknown>, field: string): TabularInput {
  const columns = Object.keys(data);
  const lists = columns.map((c) => (Array.isArray(data[c]) ? (data[c] as unknown[]) : [data[c]]));
  const length = lists[0]?.length ?? 0;
  if (lists.some((l) => l.length !== length)) {
    throw ScoringError.badRequest(`Invalid input. The columns of '${field}' must all have the same length.`);
  }
  return { columns, rows: Array.from({ length }, (_, r) => lists.map((l) => l[r])) };
}

function fromArray(data: unknown[], field: string): TabularInput {
  if (data.length === 0) return { columns: null, rows: [] };
  if (data.every(isPlainObject)) return fromRecords(data, field);
  if (data.every(Array.isArray)) return { columns: null, rows: data as unknown[][] };
  if (data.every((v) => !Array.isArray(v) && !isPlainObject(v))) return { columns: null, rows: [data] };
  throw ScoringError.badRequest(`Invalid input. '${field}' mixes rows of different shapes.`);
}

function fromDataframeSplit(value: unknown): TabularInput {
  if (!isPlainObject(value)) throw ScoringError.badRequest("Invalid input. 'dataframe_split' must be a JSON object with 'columns' and 'data'.");
  const extra = Object.keys(value).filter((k) => k !== "columns" && k !== "data" && k !== "index");
  if (extra.length > 0) {
    throw ScoringError.badRequest(`Invalid input. 'dataframe_split' may only have the keys 'columns', 'data' and 'index'; got ${extra.map((k) => `'${k}'`).join(", ")}.`);
  }
  if (!("data" in value)) throw ScoringError.badRequest("Invalid input. 'dataframe_split' is missing the required key 'data'.");
  const data = value.data;
  if (!Array.isArray(data)) throw ScoringError.badRequest("Invalid input. 'dataframe_split.data' must be a list of rows.");
  const rows = data.map((row) => (Array.isArray(row) ? row : [row]));
  let columns: string[] | null = null;
  if (value.columns !== undefined && value.columns !== null) {
    if (!Array.isArray(value.columns)) throw ScoringError.badRequest("Invalid input. 'dataframe_split.columns' must be a list of names.");
    columns = value.columns.map(String);
    const width = columns.length;
    const bad = rows.findIndex((r) => r.length !== width);
    if (bad >= 0) {
      throw ScoringError.badRequest(`Invalid input. ${width} columns passed, but row ${bad} of 'dataframe_split.data' has ${rows[bad]!.length} values.`);
    }
  }
  return { columns, rows };
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
