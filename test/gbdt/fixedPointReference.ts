/**
 * Slow exact references for the correctly rounded exp and log: BigInt fixed point with 320
 * fractional bits, far beyond what double rounding needs.
 */
const view = new DataView(new ArrayBuffer(8));

export const SCALE = 320;
const ONE = 1n << BigInt(SCALE);

/** `value` (finite, > 0) as `mantissa * 2^exponent`. */
function dyadic(value: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** A finite double times 2^SCALE, exactly (bits below 2^-SCALE dropped). */
export function toFixed(value: number): bigint {
  if (value === 0) return 0n;
  const { mantissa, exponent } = dyadic(Math.abs(value));
  const shift = exponent + SCALE;
  const z = shift >= 0 ? mantissa << BigInt(shift) : mantissa >> BigInt(-shift);
  return value < 0 ? -z : z;
}

/** exp(z / 2^SCALE) * 2^SCALE: Taylor series of z / 2^12, then squared 12 times. */
export function expOfFixed(z: bigint): bigint {
  const reduced = z >> 12n;
  let sum = ONE;
  let term = ONE;
  for (let n = 1n; n < 60n; n++) {
    term = (term * reduced) / (ONE * n);
    sum += term;
  }
  for (let i = 0; i < 12; i++) sum = (sum * sum) >> BigInt(SCALE);
  return sum;
}

export function nextUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) + (value > 0 ? 1n : -1n));
  return view.getFloat64(0);
}

export function nextDown(value: number): number {
  return -nextUp(-value);
}

/** True when `candidate` is the double nearest to exp(x). */
export function isNearestExp(x: number, candidate: number): boolean {
  const exact = expOfFixed(toFixed(x));
  // The midpoints to the neighbours, at scale 2^(SCALE+1) so they are whole.
  const twice = (v: number): bigint => toFixed(v) * 2n;
  const below = (twice(candidate) + twice(nextDown(candidate))) / 2n;
  const above = (twice(candidate) + twice(nextUp(candidate))) / 2n;
  return exact * 2n > below && exact * 2n < above;
}

/** True when `candidate` is the double nearest to log(x): x lies between exp of the two midpoints. */
export function isNearestLog(x: number, candidate: number): boolean {
  const fixedX = toFixed(x);
  const midBelow = (toFixed(candidate) + toFixed(nextDown(candidate))) / 2n;
  const midAbove = (toFixed(candidate) + toFixed(nextUp(candidate))) / 2n;
  return expOfFixed(midBelow) < fixedX && fixedX < expOfFixed(midAbove);
}
