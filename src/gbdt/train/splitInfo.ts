/** The best split found for one leaf, in bin space, with the child sums the search computed. */
export interface SplitInfo {
  /** Original column index, or -1 when no split was found. */
  feature: number;
  gain: number;
  /** Numerical: rows with bin <= thresholdBin go left. */
  thresholdBin: number;
  defaultLeft: boolean;
  /** Categorical: the bins that go left (null for numerical splits). */
  categoricalBins: number[] | null;
  leftOutput: number;
  rightOutput: number;
  leftSumGradient: number;
  leftSumHessian: number;
  rightSumGradient: number;
  rightSumHessian: number;
  leftCount: number;
  rightCount: number;
  /** The split feature's monotone constraint (0 for categorical splits). */
  monotoneType: number;
}

export function emptySplit(): SplitInfo {
  return {
    feature: -1,
    gain: -Infinity,
    thresholdBin: 0,
    defaultLeft: true,
    categoricalBins: null,
    leftOutput: 0,
    rightOutput: 0,
    leftSumGradient: 0,
    leftSumHessian: 0,
    rightSumGradient: 0,
    rightSumHessian: 0,
    leftCount: 0,
    rightCount: 0,
    monotoneType: 0,
  };
}

export function resetSplit(s: SplitInfo): void {
  s.feature = -1;
  s.gain = -Infinity;
  s.thresholdBin = 0;
  s.defaultLeft = true;
  s.categoricalBins = null;
  s.leftOutput = 0;
  s.rightOutput = 0;
  s.leftSumGradient = 0;
  s.leftSumHessian = 0;
  s.rightSumGradient = 0;
  s.rightSumHessian = 0;
  s.leftCount = 0;
  s.rightCount = 0;
  s.monotoneType = 0;
}

export function copySplit(to: SplitInfo, from: SplitInfo): void {
  to.feature = from.feature;
  to.gain = from.gain;
  to.thresholdBin = from.thresholdBin;
  to.defaultLeft = from.defaultLeft;
  to.categoricalBins = from.categoricalBins;
  to.leftOutput = from.leftOutput;
  to.rightOutput = from.rightOutput;
  to.leftSumGradient = from.leftSumGradient;
  to.leftSumHessian = from.leftSumHessian;
  to.rightSumGradient = from.rightSumGradient;
  to.rightSumHessian = from.rightSumHessian;
  to.leftCount = from.leftCount;
  to.rightCount = from.rightCount;
  to.monotoneType = from.monotoneType;
}

/**
 * LightGBM's `SplitInfo::operator>`: larger gain wins; equal gains go to the smaller feature
 * index, with "no feature" (-1) ranking last.
 */
export function isBetterSplit(a: SplitInfo, b: SplitInfo): boolean {
  if (a.gain !== b.gain) return a.gain > b.gain;
  const fa = a.feature === -1 ? 0x7fffffff : a.feature;
  const fb = b.feature === -1 ? 0x7fffffff : b.feature;
  return fa < fb;
}
