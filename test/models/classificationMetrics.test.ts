import { describe, expect, it } from "vitest";
import { classificationReport, rocAuc } from "../../src/models/classificationMetrics.js";

/** AUC by its definition: over all (positive, negative) pairs, 1 when the positive scores higher, 1/2 on a tie. */
function pairwiseAuc(scores: number[], positive: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!positive[i]) return;
    scores.forEach((q, j) => {
      if (positive[j]) return;
      pairs++;
      sum += p > q ? 1 : p === q ? 0.5 : 0;
    });
  });
  return sum / pairs;
}

describe("rocAuc", () => {
  it("matches hand-computed values, ties counting one half", () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(rocAuc([0.1, 0.5, 0.5, 0.9], [false, true, false, true])).toBe(0.875);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true])).toBe(0.5);
    expect(rocAuc([0.9, 0.8, 0.1], [false, false, true])).toBe(0);
    expect(rocAuc([0.2, 0.9], [false, true])).toBe(1);
  });

  it("is NaN without both classes", () => {
    expect(rocAuc([0.2, 0.3], [true, true])).toBeNaN();
    expect(rocAuc([], [])).toBeNaN();
  });

  it("equals the pairwise definition on scores with many ties", () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const scores = Array.from({ length: 300 }, () => Math.round(next() * 20) / 20);
    const positive = scores.map((s) => next() < 0.2 + 0.6 * s);
    expect(rocAuc(scores, positive)).toBeCloseTo(pairwiseAuc(scores, positive), 12);
  });
});

describe("classificationReport auc", () => {
  it("scores binary probabilities given one per row or one per class", () => {
    const truth = [0, 0, 1, 1];
    const perRow = classificationReport(Float64Array.from([0.1, 0.4, 0.35, 0.8]), truth, ["no", "yes"]);
    expect(perRow.auc).toBe(0.75);
    const perClass = classificationReport(Float64Array.from([0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8]), truth, ["no", "yes"]);
    expect(perClass.auc).toBe(0.75);
  });

  it("leaves auc out for more than two classes", () => {
    const report = classificationReport(Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6]), [0, 1, 2], ["a", "b", "c"]);
    expect(report.auc).toBeUndefined();
    expect(report.accuracy).toBe(1);
  });
});
