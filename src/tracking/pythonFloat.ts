/**
 * Python's `repr(float)`: what MLflow writes for every metric value. JavaScript already finds the
 * shortest digits that round-trip (same algorithm family as Python); only the layout differs:
 * Python switches to exponent form below 1e-4 and from 1e16 on, always keeps a `.0` on integral
 * values, and writes at least two exponent digits (`1e-05`, `1e+16`).
 */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";

  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  const digits = mantissa.replace(".", "");

  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    const intLength = exponent + 1;
    if (digits.length <= intLength) return `${sign}${digits}${"0".repeat(intLength - digits.length)}.0`;
    return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
  }
  const exp = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${sign}${mantissa}e${exp}`;
}

/** Reads a float the way Python's `float()` does for the texts MLflow writes (`nan`, `inf`, `1e-05`). */
export function parsePythonFloat(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "nan" || t === "+nan" || t === "-nan") return NaN;
  if (t === "inf" || t === "+inf" || t === "infinity" || t === "+infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (t === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}

/** Python's `repr(float)` as PyYAML writes it in YAML (`.nan`, `.inf`, `1.0e+20`). */
export function formatYamlFloat(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  const text = formatPythonFloat(value);
  // PyYAML inserts `.0` so that `1e+20` is read back as a float, not a string.
  if (!text.includes(".") && text.includes("e")) return text.replace("e", ".0e");
  return text;
}
