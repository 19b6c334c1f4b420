import { chiSquareSurvival, kolmogorovSurvival, normalSurvival } from "./distributions.js";

/** Shares below this are raised to it, so an empty bin gives a large but finite PSI term. */
export const PSI_EPSILON = 1e-4;

/**
 * Population stability index over matching bins:
 * PSI = Σ_b (c_b − r_b) · ln(c_b / r_b), with r_b, c_b the reference and current shares of bin b
 * (count / non-null total), each raised to at least PSI_EPSILON.
 */
export function populationStabilityIndex(referenceCounts: readonly number[], currentCounts: readonly number[]): number {
  if (referenceCounts.length !== currentCounts.length) throw new RangeError("PSI needs the same bins on both sides");
  const nRef = referenceCounts.reduce((s, v) => s + v, 0);
  const nCur = currentCounts.reduce((s, v) => s + v, 0);
  if (nRef === 0 || nCur === 0) return NaN;
  let psi = 0;
  for (let b = 0; b < referenceCounts.length; b++) {
    const r = Math.max(referenceCounts[b]! / nRef, PSI_EPSILON);
    const c = Math.max(currentCounts[b]! / nCur, PSI_EPSILON);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * Asymptotic two-sided p-value of the two-sample Kolmogorov–Smirnov statistic D for samples of
 * sizes n and m: Q_KS(√(n·m/(n+m)) · D), as scipy's ks_2samp(method="asymp").
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (n === 0 || m === 0) return NaN;
  return kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * d);
}

/** Two-sample KS statistic: the largest gap between the two empirical CDFs. */
export function ksStatistic(reference: readonly number[], current: readonly number[]): number {
  const a = [...reference].sort((x, y) => x - y);
  const b = [...current].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Pearson's chi-square test of homogeneity on the 2×k table of category counts (reference row,
 * current row): χ² = Σ (O − E)² / E with E = row total · column total / N, df = k − 1, where
 * categories empty on both sides are dropped.
 */
export function chiSquareHomogeneity(referenceCounts: readonly number[], currentCounts: readonly number[]): ChiSquareResult {
  const columns: Array<[number, number]> = [];
  referenceCounts.forEach((r, k) => {
    const c = currentCounts[k] ?? 0;
    if (r + c > 0) columns.push([r, c]);
  });
  const nRef = columns.reduce((s, [r]) => s + r, 0);
  const nCur = columns.reduce((s, [, c]) => s + c, 0);
  const total = nRef + nCur;
  const df = columns.length - 1;
  if (nRef === 0 || nCur === 0 || df < 1) return { statistic: 0, df: Math.max(df, 0), pValue: 1 };
  let statistic = 0;
  for (const [r, c] of columns) {
    const expectedRef = (nRef * (r + c)) / total;
    const expectedCur = (nCur * (r + c)) / total;
    statistic += (r - expectedRef) ** 2 / expectedRef + (c - expectedCur) ** 2 / expectedCur;
  }
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}

export interface ProportionTest {
  z: number;
  pValue: number;
}

/**
 * Two-sided two-proportion z-test with pooled variance: z = (p₁ − p₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)),
 * p̂ = (x₁ + x₂)/(n₁ + n₂), p-value = 2·P(Z > |z|).
 */
export function twoProportionZTest(successes1: number, n1: number, successes2: number, n2: number): ProportionTest {
  if (n1 === 0 || n2 === 0) return { z: NaN, pValue: NaN };
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const pooled = (successes1 + successes2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { z, pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))) };
}
