/** Per-class and overall scores of a classifier, as scikit-learn's classification_report gives them. */
export interface ClassificationReport {
  labels: string[];
  accuracy: number;
  /** Multiclass log loss with probabilities clipped to [1e-15, 1 - 1e-15]. */
  logloss: number;
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  /** Binary models only: ROC AUC of P(class 1) (see `rocAuc`). */
  auc?: number;
}

const safeDivide = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * ROC AUC: the probability that a random positive row scores above a random negative one, ties
 * counting one half. Exact, in O(n log n), by the rank form of the Mann–Whitney U statistic:
 * AUC = (sum of the positives' ranks - P(P + 1) / 2) / (P * N), with ranks 1..n by ascending score
 * and tied scores sharing the mean of their ranks. NaN unless both classes are present.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (positive[order[k]!]) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Scores class probabilities (`probs` row-major, `labels.length` per row; for a binary model one
 * value per row, P(class 1)) against true class indices. A class never predicted and never present
 * scores 0, as scikit-learn's zero_division=0.
 */
export function classificationReport(probs: Float64Array, truth: ArrayLike<number>, labels: readonly string[]): ClassificationReport {
  const k = labels.length;
  const n = truth.length;
  const width = probs.length === n ? 1 : k;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let logloss = 0;
  const eps = 1e-15;
  for (let r = 0; r < n; r++) {
    const actual = truth[r]!;
    let predicted = 0;
    let pActual: number;
    if (width === 1) {
      const p1 = probs[r]!;
      predicted = p1 > 0.5 ? 1 : 0;
      pActual = actual === 1 ? p1 : 1 - p1;
    } else {
      for (let c = 1; c < k; c++) if (probs[r * k + c]! > probs[r * k + predicted]!) predicted = c;
      pActual = probs[r * k + actual]!;
    }
    confusion[actual]![predicted]! += 1;
    logloss -= Math.log(Math.min(1 - eps, Math.max(eps, pActual)));
  }
  let correct = 0;
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    correct += tp;
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    const predictedCount = confusion.reduce((s, row) => s + row[c]!, 0);
    const precision = safeDivide(tp, predictedCount);
    const recall = safeDivide(tp, support);
    return { label, precision, recall, f1: safeDivide(2 * precision * recall, precision + recall), support };
  });
  const mean = (key: "precision" | "recall" | "f1") => perClass.reduce((s, p) => s + p[key], 0) / k;
  const weightedMean = (key: "precision" | "recall" | "f1") => safeDivide(perClass.reduce((s, p) => s + p[key] * p.support, 0), n);
  const auc = k === 2 ? binaryAuc(probs, truth, width) : undefined;
  return {
    labels: [...labels],
    accuracy: safeDivide(correct, n),
    logloss: n === 0 ? NaN : logloss / n,
    confusion,
    perClass,
    macro: { precision: mean("precision"), recall: mean("recall"), f1: mean("f1") },
    weighted: { precision: weightedMean("precision"), recall: weightedMean("recall"), f1: weightedMean("f1") },
    ...(auc !== undefined ? { auc } : {}),
  };
}

/** AUC of P(class 1), whether probabilities come one per row or one per class. */
function binaryAuc(probs: Float64Array, truth: ArrayLike<number>, width: number): number {
  const scores = width === 1 ? probs : Float64Array.from({ length: truth.length }, (_, r) => probs[r * width + 1]!);
  return rocAuc(scores, Array.from({ length: truth.length }, (_, r) => truth[r] === 1));
}

/** The JSON layout of scikit-learn's `classification_report(output_dict=True)`. */
export function reportAsSklearnDict(report: ClassificationReport): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of report.perClass) out[p.label] = { precision: p.precision, recall: p.recall, "f1-score": p.f1, support: p.support };
  const total = report.perClass.reduce((s, p) => s + p.support, 0);
  out.accuracy = report.accuracy;
  out["macro avg"] = { precision: report.macro.precision, recall: report.macro.recall, "f1-score": report.macro.f1, support: total };
  out["weighted avg"] = { precision: report.weighted.precision, recall: report.weighted.recall, "f1-score": report.weighted.f1, support: total };
  return out;
}
