/**
 * Floating-point facts LightGBM's binning and training depend on. Both thresholds are C++ `float`
 * literals widened to double, which is why they are not the round decimal values.
 */
export const K_ZERO_THRESHOLD = Math.fround(1e-35);
export const K_EPSILON = Math.fround(1e-15);

const scratchF64 = new Float64Array(1);
/** The double's two 32-bit halves; typed arrays use the platform's order, little-endian on every target. */
const scratchU32 = new Uint32Array(scratchF64.buffer);
const LOW = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

/**
 * `nextafter(x, +inf)`: the bin bound LightGBM places just above a midpoint. A double's bits
 * count up with its magnitude, so one step up is +1 on the 64-bit pattern of a positive value
 * and -1 on a negative one (done on 32-bit halves: binning calls this for every sampled value).
 */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  scratchF64[0] = x;
  if (x > 0) {
    scratchU32[LOW] = scratchU32[LOW]! + 1;
    if (scratchU32[LOW] === 0) scratchU32[HIGH] = scratchU32[HIGH]! + 1;
  } else {
    if (scratchU32[LOW] === 0) scratchU32[HIGH] = scratchU32[HIGH]! - 1;
    scratchU32[LOW] = scratchU32[LOW]! - 1;
  }
  return scratchF64[0]!;
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
