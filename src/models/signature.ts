import { LarderError } from "../errors.js";

/** MLflow column types of a column-based signature. */
export type ColumnType = "boolean" | "integer" | "long" | "float" | "double" | "string" | "binary" | "datetime";

export interface ColumnSpec {
  name: string | null;
  type: ColumnType;
  required: boolean;
}

export interface TensorSpec {
  name: string | null;
  dtype: string;
  shape: number[];
}

/**
 * A model signature as MLmodel stores it: `inputs` and `outputs` are column-based or tensor-based
 * specs, kept here parsed. Larder's models use named double/long/string input columns.
 */
export interface ModelSignature {
  inputs: ColumnSpec[] | TensorSpec[] | null;
  outputs: ColumnSpec[] | TensorSpec[] | null;
  params: unknown[] | null;
}

const COLUMN_TYPES = new Set<string>(["boolean", "integer", "long", "float", "double", "string", "binary", "datetime"]);

function parseSpecList(text: unknown, field: string): ColumnSpec[] | TensorSpec[] | null {
  if (text === null || text === undefined) return null;
  let raw: unknown;
  try {
    raw = typeof text === "string" ? JSON.parse(text) : text;
  } catch {
    throw new LarderError("DATA_ERROR", `MLmodel signature.${field} is not valid JSON`);
  }
  if (!Array.isArray(raw)) throw new LarderError("DATA_ERROR", `MLmodel signature.${field} must be a list of specs`);
  if (raw.length > 0 && (raw[0] as { type?: unknown }).type === "tensor") {
    return raw.map((s: { name?: string; "tensor-spec"?: { dtype?: string; shape?: number[] } }) => ({
      name: s.name ?? null,
      dtype: String(s["tensor-spec"]?.dtype ?? "float64"),
      shape: s["tensor-spec"]?.shape ?? [-1],
    }));
  }
  return raw.map((s: { name?: string; type?: string; required?: boolean }, i: number) => {
    if (typeof s.type !== "string" || !COLUMN_TYPES.has(s.type)) {
      throw new LarderError("DATA_ERROR", `MLmodel signature.${field}[${i}] has unsupported type '${String(s.type)}'`, {
        hint: `Supported column types: ${[...COLUMN_TYPES].join(", ")}.`,
      });
    }
    return { name: s.name ?? null, type: s.type as ColumnType, required: s.required !== false };
  });
}

export function parseSignature(raw: unknown): ModelSignature | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== "object") throw new LarderError("DATA_ERROR", "MLmodel signature must be a mapping");
  const r = raw as Record<string, unknown>;
  const params = r.params === null || r.params === undefined ? null : (JSON.parse(String(r.params)) as unknown[]);
  return { inputs: parseSpecList(r.inputs, "inputs"), outputs: parseSpecList(r.outputs, "outputs"), params };
}

export function isColumnSpecs(specs: ColumnSpec[] | TensorSpec[] | null): specs is ColumnSpec[] {
  return specs !== null && specs.length > 0 && "type" in specs[0]!;
}

/** MLflow's rendering of a column schema, as in its error messages: `['a': double (required), …]`. */
export function describeColumns(columns: readonly ColumnSpec[]): string {
  return `[${columns.map((c) => `${c.name === null ? "" : `'${c.name}': `}${c.type}${c.required ? " (required)" : " (optional)"}`).join(", ")}]`;
}
