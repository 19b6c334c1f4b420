/**
 * Number formatting and parsing with the exact conventions of LightGBM's text model format.
 *
 * LightGBM prints floats with C `%g` semantics (via fmt): round to `precision` significant digits
 * with ties to even on the exact binary value, exponent form when the exponent is < -4 or
 * >= precision, trailing zeros stripped, at least two exponent digits (`1e-05`), and
 * `inf`/`-inf`/`nan`. JavaScript's `toPrecision` differs on every one of those points except the
 * rounding, and even there it breaks exact ties away from zero, so ties are detected and fixed.
 */

const float64 = new Float64Array(1);
const bits64 = new BigUint64Array(float64.buffer);

/** `value` as `mantissa * 2^exponent` with an integer mantissa, exactly. `value` finite, > 0. */
function binaryParts(value: number): { mantissa: bigint; exponent: number } {
  float64[0] = value;
  const bits = bits64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | 0x10000000000000n, exponent: biased - 1075 };
}

/** True when `value` (finite, > 0) equals the decimal `digits * 10^scale` exactly. */
function equalsDecimalExactly(value: number, digits: string, scale: number): boolean {
  const { mantissa, exponent } = binaryParts(value);
  let left = mantissa;
  let right = BigInt(digits);
  if (exponent > 0) left <<= BigInt(exponent);
  else right <<= BigInt(-exponent);
  if (scale > 0) right *= 10n ** BigInt(scale);
  else left *= 10n ** BigInt(-scale);
  return left === right;
}

/** Splits JS `toExponential` output ("d.ddde+X") into its digit string and decimal exponent. */
function splitExponential(text: string): { digits: string; exponent: number } {
  const e = text.indexOf("e");
  return { digits: text.slice(0, e).replace(".", ""), exponent: Number(text.slice(e + 1)) };
}

/** The first `precision` significant digits of `value` (finite, > 0), rounded half to even. */
function roundSignificant(value: number, precision: number): { digits: string; exponent: number } {
  const rounded = splitExponential(value.toExponential(precision - 1));
  // A tie is only possible when the value is exactly a (precision+1)-digit decimal ending in 5.
  const finer = splitExponential(value.toExponential(precision));
  if (
    finer.digits.endsWith("5") &&
    equalsDecimalExactly(value, finer.digits, finer.exponent - precision)
  ) {
    const truncated = finer.digits.slice(0, precision);
    const lastDigit = truncated.charCodeAt(precision - 1) - 48;
    if (lastDigit % 2 === 0) return { digits: truncated, exponent: finer.exponent };
  }
  return rounded;
}

function stripTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return digits.slice(0, end);
}

/** C's `%.{precision}g` (as fmt's `{:g}` / `{:.17g}` print it). */
export function formatG(value: number, precision = 6): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const p = precision < 1 ? 1 : precision;
  const sign = value < 0 ? "-" : "";
  const { digits, exponent } = roundSignificant(Math.abs(value), p);
  if (exponent < -4 || exponent >= p) {
    const fraction = stripTrailingZeros(digits.slice(1));
    const magnitude = Math.abs(exponent);
    return (
      sign +
      digits[0] +
      (fraction ? "." + fraction : "") +
      (exponent < 0 ? "e-" : "e+") +
      (magnitude < 10 ? "0" : "") +
      magnitude
    );
  }
  if (exponent >= 0) {
    const fraction = stripTrailingZeros(digits.slice(exponent + 1));
    return sign + digits.slice(0, exponent + 1) + (fraction ? "." + fraction : "");
  }
  return sign + "0." + "0".repeat(-exponent - 1) + stripTrailingZeros(digits);
}

/** `%.17g`: what LightGBM writes for thresholds, leaf values and leaf weights. */
export function formatHighPrecision(value: number): string {
  return formatG(value, 17);
}

const INFINITY_TOKEN = /^[+-]?inf(inity)?$/i;
const NAN_TOKEN = /^[+-]?nan/i;

/**
 * Parses one numeric token of a model file. Accepts what C's `strtod` accepts and LightGBM
 * writes, including `inf`, `-inf`, `nan`; returns undefined for anything else.
 */
export function parseNumberToken(token: string): number | undefined {
  if (token.length === 0) return undefined;
  const value = Number(token);
  if (!Number.isNaN(value)) return value;
  if (INFINITY_TOKEN.test(token)) return token.startsWith("-") ? -Infinity : Infinity;
  if (NAN_TOKEN.test(token)) return NaN;
  return undefined;
}
