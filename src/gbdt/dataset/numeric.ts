/**
 * Floating-point facts LightGBM's binning and training depend on. Both thresholds are C++ `float`
 * literals widened to double, which is why they are not the round decimal values.
 */
export const K_ZERO_THRESHOLD = Math.fround(1e-35);
export const K_EPSILON = Math.fround(1e-15);

const scratchF64 = new Float64Array(1);
const scratchI64 = new BigInt64Array(scratchF64.buffer);

/** `nextafter(x, +inf)`: the bin bound LightGBM places just above a midpoint. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  scratchF64[0] = x;
  scratchI64[0] += x > 0 ? 1n : -1n;
  return scratchF64[0];
}

/** LightGBM's `CheckDoubleEqualOrdered(a, b)` for a <= b: equal or one ulp apart. */
export function equalOrAdjacent(a: number, b: number): boolean {
  return b <= nextUp(a);
}

/** LightGBM's `RoundInt`: `(int)(x + 0.5)`, truncating toward zero. */
export function roundInt(x: number): number {
  return Math.trunc(x + 0.5);
}

/**
 * C's `%.17g`: 17 significant digits, trailing zeros stripped, exponent form below 1e-4 or from
 * 1e17 up with at least two exponent digits. LightGBM writes `feature_infos` bounds this way.
 */
export function formatG17(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = Number(x.toExponential(16).split("e")[1]);
  if (exp < -4 || exp >= 17) {
    const [mantissa, e] = x.toExponential(16).split("e") as [string, string];
    const m = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    const sign = e.startsWith("-") ? "-" : "+";
    const digits = e.replace(/^[+-]/, "").padStart(2, "0");
    return `${m}e${sign}${digits}`;
  }
  const fixed = x.toFixed(Math.max(0, 16 - exp));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}
