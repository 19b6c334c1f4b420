/**
 * `exp` rounded to the nearest double, for probabilities that match LightGBM's bit for bit.
 *
 * LightGBM calls the C library's `exp`; glibc's is accurate to about half an ulp, so it almost
 * always returns the correctly rounded result. V8's `Math.exp` is accurate to under one ulp and
 * differs from it in the last bit for roughly one value in ten. Computing in double-double
 * (about 104 bits) and rounding once gives the correctly rounded value except for inputs within
 * ~2^-100 relative of a rounding boundary, which practically never occur.
 *
 * That costs about 15 times `Math.exp`, so a cheaper first attempt (Ziv's strategy) comes first:
 * a table of 2^(j/1024) and a short polynomial give exp(x) within 2^-60 relative as `hi + lo`,
 * and when that interval cannot straddle a rounding boundary `hi` is the answer. About one input
 * in a hundred is too close to call and takes the double-double path.
 */

/** Veltkamp's split constant: 2^27 + 1. */
const SPLITTER = 134217729;

/** The rounding error of `product = a * b` (Dekker's exact product; JS has no fused multiply-add). */
function exactProductError(a: number, b: number, product: number): number {
  const sa = SPLITTER * a;
  const aHi = sa - (sa - a);
  const aLo = a - aHi;
  const sb = SPLITTER * b;
  const bHi = sb - (sb - b);
  const bLo = b - bHi;
  return aHi * bHi - product + aHi * bLo + aLo * bHi + aLo * bLo;
}

/** ln 2 in three parts: the first has 32 significant bits so `k * LN2_A` is exact for |k| < 2^21. */
const LN2_A = 0.6931471803691238;
const LN2_B = 1.9082149292705877e-10;
/** ln 2 - LN2_A - LN2_B, the part below double precision of LN2_B. */
const LN2_C = 1.1612227229362532e-26;

/** The reduced argument is divided by this and the result squared back; |r| / 16 < 0.022. */
const REDUCTION = 16;

/**
 * 1/n! as double-double (hi, lo) for n = 0..TERMS-1, computed once. The first term left out,
 * 0.022^14 / 14!, is below 2^-110.
 */
const TERMS = 14;
const INVERSE_FACTORIAL_HI = new Float64Array(TERMS);
const INVERSE_FACTORIAL_LO = new Float64Array(TERMS);
{
  // Long division of the double-double 1/(n-1)! by n, one correction step.
  let hi = 1;
  let lo = 0;
  INVERSE_FACTORIAL_HI[0] = 1;
  for (let n = 1; n < TERMS; n++) {
    const q1 = hi / n;
    const p = q1 * n;
    const remainder = hi - p - exactProductError(q1, n, p) + lo;
    const q2 = remainder / n;
    hi = q1 + q2;
    lo = q2 - (hi - q1);
    INVERSE_FACTORIAL_HI[n] = hi;
    INVERSE_FACTORIAL_LO[n] = lo;
  }
}

const OVERFLOW_ABOVE = 709.782712893384;
/** Below this the result is subnormal and scaling would round twice; Math.exp is used there. */
const SUBNORMAL_BELOW = -708.3964185322641;

/** The double-double result of `expOfReduced`, kept in module state to avoid allocating. */
let resultHi = 0;
let resultLo = 0;

/** exp(r) for the double-double `r = rHi + rLo`, |r| <= ln2 / 2, into `resultHi + resultLo`. */
function expOfReduced(rHiFull: number, rLoFull: number): void {
  const rHi = rHiFull / REDUCTION;
  const rLo = rLoFull / REDUCTION;
  // exp(r/16) = sum (r/16)^n / n!, Horner in double-double; locals only, it is the hot loop.
  let hi = INVERSE_FACTORIAL_HI[TERMS - 1]!;
  let lo = INVERSE_FACTORIAL_LO[TERMS - 1]!;
  for (let n = TERMS - 2; n >= 0; n--) {
    const p = hi * rHi;
    const pLo = exactProductError(hi, rHi, p) + hi * rLo + lo * rHi;
    const c = INVERSE_FACTORIAL_HI[n]!;
    const sum = p + c;
    const v = sum - p;
    const sumErr = p - (sum - v) + (c - v) + pLo + INVERSE_FACTORIAL_LO[n]!;
    hi = sum + sumErr;
    lo = sumErr - (hi - sum);
  }
  // Square four times: exp(r) = exp(r/16)^16.
  for (let i = 0; i < 4; i++) {
    const p = hi * hi;
    const pLo = exactProductError(hi, hi, p) + 2 * hi * lo;
    hi = p + pLo;
    lo = pLo - (hi - p);
  }
  resultHi = hi;
  resultLo = lo;
}

/**
 * exp(xHi + xLo) for |xHi| < 709.78 and |xLo| at most an ulp of xHi: leaves the double-double
 * resultHi + resultLo and returns k, the power of two that scales it to the answer.
 */
function reducedDoubleDoubleExp(xHi: number, xLo: number): number {
  const k = Math.round(xHi * Math.LOG2E);
  // r = x - k ln2 in double-double: x - k*LN2_A is exact (Sterbenz), k*LN2_B split exactly.
  const kb = k * LN2_B;
  const kbErr = exactProductError(k, LN2_B, kb);
  const a = xHi - k * LN2_A;
  const rHi = a - kb;
  const v = rHi - a;
  const rLoOfHi = a - (rHi - v) - (kb + v) - kbErr - k * LN2_C;
  const rLo = xLo === 0 ? rLoOfHi : rLoOfHi + xLo;
  const t = rHi + rLo;
  expOfReduced(t, rLo - (t - rHi));
  return k;
}

/** The double-double path alone (|x| < 709.78): what the fast path must agree with. */
export function doubleDoubleExp(x: number): number {
  const k = reducedDoubleDoubleExp(x, 0);
  // resultHi + resultLo rounded to nearest; 2^k scales it exactly in the normal range.
  const rounded = resultHi + resultLo;
  return k > 1000 ? rounded * 2 ** (k - 1000) * 2 ** 1000 : k < -1000 ? rounded * 2 ** (k + 1000) * 2 ** -1000 : rounded * 2 ** k;
}

/**
 * The sign of x - exp(yHi + yLo), for x in [2^-1000, 2^1000] and y within a few ulps of log(x):
 * x scaled by 2^-k lands next to the double-double result, so the difference is exact.
 */
export function compareWithExp(x: number, yHi: number, yLo: number): number {
  const k = reducedDoubleDoubleExp(yHi, yLo);
  const difference = x * 2 ** -k - resultHi;
  return difference > resultLo ? 1 : difference < resultLo ? -1 : 0;
}

const TABLE_SIZE = 1024;
/** 2^(j/1024) as double-double, for j = 0..1023. */
const TABLE_HI = new Float64Array(TABLE_SIZE);
const TABLE_LO = new Float64Array(TABLE_SIZE);
for (let j = 0; j < TABLE_SIZE; j++) {
  // (j/1024) ln2 in double-double: j/1024 * LN2_A is exact (10 + 32 bits).
  const a = (j / TABLE_SIZE) * LN2_A;
  const b = (j / TABLE_SIZE) * LN2_B;
  const hi = a + b;
  expOfReduced(hi, b - (hi - a) + (j / TABLE_SIZE) * LN2_C);
  TABLE_HI[j] = resultHi + resultLo;
  TABLE_LO[j] = resultLo - (TABLE_HI[j]! - resultHi);
}

/** 2^m for the fast path's |m| <= 1010 (`2 ** m` with a variable m is a slow call). */
const POWER_OFFSET = 1024;
const POWERS_OF_TWO = Float64Array.from({ length: 2 * POWER_OFFSET }, (_, i) => 2 ** (i - POWER_OFFSET));

/** Inputs outside this range take the double-double path (2^m scaling must stay exact). */
const FAST_LIMIT = 700;
/**
 * Bound on the fast path's relative error: below, five roundings of at most 2^-53 times
 * |r| <= ln2/2048 each, about 2^-62.2 together, with a margin of 4.
 */
const FAST_ERROR = 2 ** -60;

/** The fast path's constants, for its WebAssembly twin (`exponentials.ts`). */
export const FAST_PATH = {
  tableSize: TABLE_SIZE, tableHi: TABLE_HI, tableLo: TABLE_LO, ln2A: LN2_A, ln2B: LN2_B, limit: FAST_LIMIT, error: FAST_ERROR,
} as const;

export function correctlyRoundedExp(x: number): number {
  if (!(x > -FAST_LIMIT && x < FAST_LIMIT)) {
    if (!(x > SUBNORMAL_BELOW && x < OVERFLOW_ABOVE)) return x !== x ? NaN : Math.exp(x);
    return doubleDoubleExp(x);
  }
  if (x === 0) return 1;
  const n = Math.round(x * (TABLE_SIZE * Math.LOG2E));
  const j = n & (TABLE_SIZE - 1);
  const m = (n - j) / TABLE_SIZE;
  // r = x - n ln2/1024: the first subtraction is exact (n * LN2_A has at most 20 + 32 bits, and
  // Sterbenz); the second rounds once.
  const r = x - (n * LN2_A) / TABLE_SIZE - (n * LN2_B) / TABLE_SIZE;
  // exp(r) - 1 for |r| <= ln2/2048: the first term left out, r^6/6!, is below 2^-78.
  const p = r + r * r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))));
  const tHi = TABLE_HI[j]!;
  const c = TABLE_LO[j]! + tHi * p;
  const hi = tHi + c;
  const lo = c - (hi - tHi);
  // hi is in [0.99, 2.01]; a power of two takes the smaller half-ulp of the binade below it.
  const halfUlp = hi <= 1 ? 2 ** -54 : hi <= 2 ? 2 ** -53 : 2 ** -52;
  if (Math.abs(lo) + FAST_ERROR * hi < halfUlp) return hi * POWERS_OF_TWO[m + POWER_OFFSET]!;
  return doubleDoubleExp(x);
}
