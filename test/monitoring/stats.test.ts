import { describe, expect, it } from "vitest";
import {
  chiSquareHomogeneity,
  chiSquareSurvival,
  kolmogorovSurvival,
  ksPValue,
  ksStatistic,
  normalSurvival,
  populationStabilityIndex,
  twoProportionZTest,
} from "../../src/monitoring/stats/index.js";

/** The Kolmogorov tail by its plain alternating series, which converges well for λ ≳ 0.6. */
function kolmogorovSeries(lambda: number): number {
  let sum = 0;
  for (let k = 1; k <= 200; k++) sum += (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
  return 2 * sum;
}

describe("population stability index", () => {
  it("matches Σ (c − r) ln(c / r) on shares", () => {
    // shares r = .1 .2 .3 .4, c = .2 .2 .2 .4: 0.1 ln 2 + (−0.1) ln(2/3) = 0.1 ln 3
    expect(populationStabilityIndex([10, 20, 30, 40], [20, 20, 20, 40])).toBeCloseTo(0.1 * Math.log(3), 12);
  });

  it("raises empty bins to epsilon 1e-4 instead of dividing by zero", () => {
    const expected = (1 - 0.5) * Math.log(1 / 0.5) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5);
    expect(populationStabilityIndex([5, 5], [10, 0])).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(4.604319, 5);
  });

  it("is zero for identical shares, whatever the sample sizes", () => {
    expect(populationStabilityIndex([1, 2, 3], [10, 20, 30])).toBe(0);
  });
});

describe("Kolmogorov–Smirnov", () => {
  it("takes the largest ECDF gap", () => {
    const reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const current = [1, 1, 1, 1, 1, 6, 7, 8, 9, 10];
    // At x = 1: F_ref = 0.1, F_cur = 0.5.
    expect(ksStatistic(reference, current)).toBeCloseTo(0.4, 12);
    expect(ksStatistic([1, 2, 3], [4, 5, 6])).toBe(1);
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it("gives the asymptotic Kolmogorov tail (scipy kstwobign.sf values)", () => {
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.9639452436648751, 10);
    expect(kolmogorovSurvival(1.0)).toBeCloseTo(0.26999967167735456, 10);
    expect(kolmogorovSurvival(1.36)).toBeCloseTo(0.0494858767553779, 8);
    // Both sides of the switch between the two series agree with the plain series.
    for (const lambda of [0.7, 1.1, 1.17, 1.19, 1.5, 2.5]) expect(kolmogorovSurvival(lambda)).toBeCloseTo(kolmogorovSeries(lambda), 12);
  });

  it("scales D by √(n·m/(n+m))", () => {
    // n = m = 10: √5 · 0.4
    expect(ksPValue(0.4, 10, 10)).toBeCloseTo(kolmogorovSeries(Math.sqrt(5) * 0.4), 12);
    expect(ksPValue(0.4, 10, 10)).toBeCloseTo(0.4006, 3);
  });
});

describe("chi-square", () => {
  it("tests homogeneity of a 2×k table", () => {
    // E = 25, 25, 50 on each side: (5²/25)·2 + (5²/25)·2 + 0 = 4, df 2, p = e^(−4/2)
    const result = chiSquareHomogeneity([30, 20, 50], [20, 30, 50]);
    expect(result.statistic).toBeCloseTo(4, 12);
    expect(result.df).toBe(2);
    expect(result.pValue).toBeCloseTo(Math.exp(-2), 12);
  });

  it("drops categories empty on both sides and handles unequal sizes", () => {
    // n_ref = 10, n_cur = 30, N = 40; columns (8, 12) and (2, 18): E_ref = 5, 5; E_cur = 15, 15
    const result = chiSquareHomogeneity([8, 0, 2], [12, 0, 18]);
    expect(result.df).toBe(1);
    expect(result.statistic).toBeCloseTo(9 / 5 + 9 / 15 + 9 / 5 + 9 / 15, 12);
  });

  it("has the textbook tail values", () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(11.070497693516351, 5)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(10, 3)).toBeCloseTo(0.018566135463043, 10);
  });
});

describe("two-proportion z-test", () => {
  it("pools the variance and answers two-sided", () => {
    // 90/100 vs 75/100: p̂ = 0.825, se = √(0.825·0.175·0.02) ≈ 0.053735, z ≈ 2.7915
    const { z, pValue } = twoProportionZTest(90, 100, 75, 100);
    const se = Math.sqrt(0.825 * 0.175 * (2 / 100));
    expect(z).toBeCloseTo(0.15 / se, 12);
    expect(pValue).toBeCloseTo(2 * normalSurvival(0.15 / se), 12);
    expect(pValue).toBeCloseTo(0.005247, 5);
  });

  it("has the standard normal tail", () => {
    expect(normalSurvival(1.959963984540054)).toBeCloseTo(0.025, 12);
    expect(normalSurvival(0)).toBeCloseTo(0.5, 14);
    expect(normalSurvival(-1)).toBeCloseTo(0.8413447460685429, 12);
    expect(normalSurvival(6)).toBeCloseTo(9.865876450377e-10, 20);
  });
});
