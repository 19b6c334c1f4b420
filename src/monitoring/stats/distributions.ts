import { upperRegularizedGamma } from "./gamma.js";

/** P(X > x) for X ~ chi-square with `df` degrees of freedom: Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
  if (df <= 0) return NaN;
  return upperRegularizedGamma(df / 2, x / 2);
}

/** P(Z > z) for a standard normal Z; erfc(t) = Q(1/2, t²) keeps the far tail precise. */
export function normalSurvival(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const tail = 0.5 * upperRegularizedGamma(0.5, (z * z) / 2);
  return z >= 0 ? tail : 1 - tail;
}

/**
 * Survival function of the Kolmogorov distribution, Q(λ) = P(K > λ)
 * = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²). That series converges slowly for small λ, where the
 * equivalent theta-function form 1 − (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)) is used instead.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    let sum = 0;
    for (let k = 1; k <= 20; k++) sum += Math.exp(-((2 * k - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
