/**
 * JSON as Python's `json.dumps` writes it with default settings: `", "` and `": "` separators,
 * non-ASCII escaped as `\uXXXX`, NaN and infinities as bare tokens, floats as Python's repr.
 * MLflow's scoring server and LightGBM's model trailer are both written this way.
 */
export interface PythonJsonOptions {
  /**
   * How integral numbers are spelled: "float" gives Python's `1.0` (numpy float64 outputs),
   * "int" gives `1` (values that were Python ints, such as integer category codes).
   */
  integral?: "float" | "int";
}

export function pythonFloatRepr(value: number, integral: "float" | "int" = "float"): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e16) {
    if (integral === "int") return Object.is(value, -0) ? "-0.0" : String(value);
    return Object.is(value, -0) ? "-0.0" : `${String(value)}.0`;
  }
  // Python's repr switches to exponent form at 1e16 and below 1e-4 (JavaScript: 1e21 and 1e-7).
  if (abs >= 1e-4 && abs < 1e16) return String(value);
  const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? "-" : "+"}${Math.abs(e) < 10 ? "0" : ""}${Math.abs(e)}`;
}

export function pythonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const ch = value[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const integral = options.integral ?? "float";
  const dump = (v: unknown): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return pythonFloatRepr(v, integral);
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "string") return pythonString(v);
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return "[" + Array.from(v as ArrayLike<unknown>, dump).join(", ") + "]";
    if (typeof v === "object") {
      return "{" + Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pythonString(k)}: ${dump(x)}`).join(", ") + "}";
    }
    return "null";
  };
  return dump(value);
}
