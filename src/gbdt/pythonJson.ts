/**
 * `json.dumps` as Python's LightGBM package calls it for the `pandas_categorical:` trailer:
 * `", "` and `": "` separators, non-ASCII escaped as `\uXXXX`, floats spelled as Python's repr.
 */

function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  // Python keeps a ".0" on integral floats; JSON.parse cannot tell 1 from 1.0, so integral
  // values are written as ints, which is what integer-coded categories are.
  if (Number.isInteger(value)) return Object.is(value, -0) ? "-0.0" : String(value);
  const text = String(value);
  // Python's repr switches to exponent form at 1e16 and below 1e-4 (JS: 1e21 and 1e-7).
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e16) return text;
  const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
  const exponentNumber = Number(exponent);
  const sign = exponentNumber < 0 ? "-" : "+";
  const magnitude = Math.abs(exponentNumber);
  return `${mantissa}e${sign}${magnitude < 10 ? "0" : ""}${magnitude}`;
}

function pythonString(value: string): string {
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

export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pythonFloatRepr(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return "[" + value.map(pythonJsonDumps).join(", ") + "]";
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return "{" + entries.map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(", ") + "}";
  }
  return "null";
}
