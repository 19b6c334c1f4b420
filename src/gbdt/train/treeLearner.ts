/**
 * LightGBM's serial tree learner (src/treelearner/serial_tree_learner.cpp): leaf-wise growth,
 * histogram of the smaller child built from its rows and the larger child's by subtraction from
 * the parent, features that could not split a parent skipped in its descendants, and LightGBM's
 * node and leaf numbering so trees come out in the same array order.
 */
import type { BinnedDataset } from "../dataset/dataset.js";
import { LcgRandom } from "../dataset/lcgRandom.js";
import { K_EPSILON, K_ZERO_THRESHOLD } from "../dataset/numeric.js";
import { DECISION_CATEGORICAL_MASK, DECISION_DEFAULT_LEFT_MASK, MISSING_TYPE_NAN, MISSING_TYPE_ZERO } from "../tree.js";
import { type FeatureMeta, buildFeatureMetas } from "./featureMeta.js";
import { fillColumnSlots, fillRowMajorSlots, fixHistogram, subtractHistogram } from "./histogram.js";
import { type HistogramStorage, type StorageKernels, createHistogramStorage } from "./histogramStorage.js";
import { HistogramWorkers } from "./histogramWorkers.js";
import { type LearnedTree, newLearnedTree } from "./learnedTree.js";
import { leafOutput } from "./leafMath.js";
import { type SplitConfig, findBestThreshold } from "./splitFinder.js";
import { type SplitInfo, copySplit, emptySplit, isBetterSplit, resetSplit } from "./splitInfo.js";

/** Per-leaf column sampling (`feature_fraction_bynode`), drawn once per leaf searched. */
export interface NodeColumnSampler {
  /** `branch`: the original features split on between the root and the leaf. */
  sampleForNode(branch: readonly number[]): Uint8Array | null;
}

export interface TreeLearnerConfig extends SplitConfig {
  numLeaves: number;
  maxDepth: number;
  /** Threads for histogram construction (1 = this thread only). Results do not depend on it. */
  numThreads: number;
  /** Per feature -1, 0 or 1; empty for none (then leaves have no output bounds). */
  monotoneConstraints: readonly number[];
  monotonePenalty: number;
  /** Per feature, a factor on its split gains; empty for none. */
  featureContri: readonly number[];
  /** Extremely randomized trees, with one generator per feature seeded from `extraSeed`. */
  extraTrees: boolean;
  extraSeed: number;
}

/** Smallest histogram build (rows × features) worth splitting across threads. */
const MIN_PARALLEL_VALUES = 65536;

export class TreeLearner {
  readonly metas: FeatureMeta[];
  private readonly dataset: BinnedDataset;
  private readonly storage: HistogramStorage;
  private readonly config: TreeLearnerConfig;
  /** One histogram per leaf, all in one buffer; `histogramOf[leaf]` picks a leaf's slot. */
  private readonly histogramPool: Float64Array;
  private readonly histogramViews: Float64Array[];
  private readonly histogramOf: Int32Array;
  private readonly histogramStride: number;
  private workers: HistogramWorkers | null = null;
  private readonly splittable: Uint8Array[];
  private readonly bestSplits: SplitInfo[];
  private readonly candidate: SplitInfo = emptySplit();
  private readonly leafSumGradient: Float64Array;
  private readonly leafSumHessian: Float64Array;
  /** Row ids grouped by leaf: leaf l owns rows[leafBegin[l] .. leafBegin[l] + leafCount[l]). */
  readonly rows: Int32Array;
  readonly leafBegin: Int32Array;
  readonly leafCount: Int32Array;
  private readonly scratchRows: Int32Array;
  /** The wasm kernels, or null when the storage is plain buffers (the JavaScript loops run). */
  private readonly kernels: StorageKernels | null;
  /** Per leaf, the bounds monotone constraints put on its output (null without constraints). */
  private readonly leafMin: Float64Array | null;
  private readonly leafMax: Float64Array | null;
  /** Per feature, the generator of extra trees' random thresholds (null without extra trees). */
  private readonly extraRandoms: LcgRandom[] | null;
  /** Per leaf, the original features split on along its branch (for interaction constraints). */
  private branchFeatures: number[][] = [];
  /** Meta index of each original column (-1 for trivial columns). */
  private readonly metaIndexOf: Int32Array;

  constructor(dataset: BinnedDataset, config: TreeLearnerConfig, allowWasm = true) {
    this.dataset = dataset;
    this.config = config;
    const { metas, totalBins } = buildFeatureMetas(dataset.mappers, config.monotoneConstraints, config.featureContri);
    this.metas = metas;
    const n = dataset.numRows;
    const threads = Math.max(1, Math.min(config.numThreads, metas.length));
    this.storage = createHistogramStorage(n, metas.length, totalBins, config.numLeaves, threads > 1, allowWasm);
    this.kernels = this.storage.kernels;
    // LightGBM seeds feature i's generator with extra_seed + i, i its inner (bundling) index.
    const inner = dataset.innerFeatureIndex;
    this.extraRandoms = config.extraTrees ? metas.map((m, f) => new LcgRandom(config.extraSeed + (inner ? inner[m.feature]! : f))) : null;
    const monotone = config.monotoneConstraints.length > 0;
    this.leafMin = monotone ? new Float64Array(config.numLeaves) : null;
    this.leafMax = monotone ? new Float64Array(config.numLeaves) : null;
    this.metaIndexOf = new Int32Array(dataset.mappers.length).fill(-1);
    metas.forEach((meta, f) => (this.metaIndexOf[meta.feature] = f));
    fillRowMajorSlots(this.storage.slots, metas, dataset.bins, n);
    if (this.storage.columnSlots !== null) fillColumnSlots(this.storage.columnSlots, this.storage.slots, metas.length, n);
    this.histogramStride = 2 * totalBins;
    this.histogramPool = this.storage.pool;
    this.histogramViews = Array.from({ length: config.numLeaves }, (_, slot) =>
      this.histogramPool.subarray(slot * this.histogramStride, (slot + 1) * this.histogramStride),
    );
    this.histogramOf = new Int32Array(config.numLeaves);
    this.splittable = Array.from({ length: config.numLeaves }, () => new Uint8Array(metas.length));
    this.bestSplits = Array.from({ length: config.numLeaves }, () => emptySplit());
    this.leafSumGradient = new Float64Array(config.numLeaves);
    this.leafSumHessian = new Float64Array(config.numLeaves);
    this.rows = this.storage.rows;
    this.leafBegin = new Int32Array(config.numLeaves);
    this.leafCount = new Int32Array(config.numLeaves);
    this.scratchRows = this.storage.scratchRows;
    if (threads > 1 && this.storage.shared !== null) {
      const starts = Int32Array.from(metas, (m) => m.histStart);
      this.workers = new HistogramWorkers(this.storage.shared, metas.length, starts, totalBins, threads);
    }
  }

  /** Stop the histogram threads (if any); the learner cannot train afterwards. */
  close(): void {
    this.workers?.close();
    this.workers = null;
  }

  /**
   * Grow one tree. `bagRows` (sorted row ids) restricts training to a bag; null uses every row.
   * `featureUsed[f]` (per meta) is the per-tree column sample.
   */
  train(
    gradients: Float32Array,
    hessians: Float32Array,
    bagRows: Int32Array | null,
    featureUsed: Uint8Array,
    nodeSampler: NodeColumnSampler | null = null,
  ): LearnedTree {
    this.storage.gradients.set(gradients);
    this.storage.hessians.set(hessians);
    const numRows = bagRows === null ? this.dataset.numRows : bagRows.length;
    if (bagRows === null) for (let i = 0; i < numRows; i++) this.rows[i] = i;
    else this.rows.set(bagRows);
    this.leafBegin[0] = 0;
    this.leafCount[0] = numRows;
    let sumGradient = 0;
    let sumHessian = 0;
    for (let i = 0; i < numRows; i++) {
      const row = this.rows[i]!;
      sumGradient += gradients[row]!;
      sumHessian += hessians[row]!;
    }
    this.leafSumGradient[0] = sumGradient;
    this.leafSumHessian[0] = sumHessian;
    const { lambdaL1, lambdaL2, maxDeltaStep } = this.config;
    // LightGBM sets the root by hand through `SetLeafOutput`, which rounds |x| <= 1e-35 to +0.
    const rootOutput = leafOutput(sumGradient, sumHessian, lambdaL1, lambdaL2, maxDeltaStep);
    const tree = newLearnedTree(Math.abs(rootOutput) <= K_ZERO_THRESHOLD ? 0 : rootOutput, numRows);
    for (const split of this.bestSplits) resetSplit(split);
    this.branchFeatures = [[]];
    // LightGBM's basic constraint entries start unbounded (±DBL_MAX) for every tree.
    this.leafMin?.fill(-Number.MAX_VALUE);
    this.leafMax?.fill(Number.MAX_VALUE);
    for (let leaf = 0; leaf < this.histogramOf.length; leaf++) this.histogramOf[leaf] = leaf;

    let leftLeaf = 0;
    let rightLeaf = -1;
    for (let step = 0; step < this.config.numLeaves - 1; step++) {
      if (this.beforeFindBestSplit(tree, leftLeaf, rightLeaf)) this.findBestSplits(tree, leftLeaf, rightLeaf, featureUsed, nodeSampler);
      let bestLeaf = 0;
      for (let l = 1; l < this.config.numLeaves; l++) {
        if (isBetterSplit(this.bestSplits[l]!, this.bestSplits[bestLeaf]!)) bestLeaf = l;
      }
      if (!(this.bestSplits[bestLeaf]!.gain > 0)) break;
      rightLeaf = this.split(tree, bestLeaf);
      leftLeaf = bestLeaf;
    }
    return tree;
  }

  private beforeFindBestSplit(tree: LearnedTree, leftLeaf: number, rightLeaf: number): boolean {
    const { maxDepth, minDataInLeaf } = this.config;
    const stop = (): boolean => {
      this.bestSplits[leftLeaf]!.gain = -Infinity;
      if (rightLeaf >= 0) this.bestSplits[rightLeaf]!.gain = -Infinity;
      return false;
    };
    if (maxDepth > 0 && tree.leafDepth[leftLeaf]! >= maxDepth) return stop();
    const leftCount = this.leafCount[leftLeaf]!;
    const rightCount = rightLeaf >= 0 ? this.leafCount[rightLeaf]! : 0;
    if (rightCount < 2 * minDataInLeaf && leftCount < 2 * minDataInLeaf) return stop();
    return true;
  }

  private findBestSplits(
    tree: LearnedTree,
    leftLeaf: number,
    rightLeaf: number,
    featureUsedByTree: Uint8Array,
    nodeSampler: NodeColumnSampler | null,
  ): void {
    const metas = this.metas;
    // A leaf's output so far is what path smoothing pulls its children toward.
    if (rightLeaf < 0) {
      this.searchLeaf(leftLeaf, featureUsedByTree, -1, nodeSampler?.sampleForNode(this.branchFeatures[leftLeaf]!) ?? null, tree.leafValue[leftLeaf]!, tree.leafDepth[leftLeaf]!);
      return;
    }
    // The right child counts as the smaller one on a tie.
    const leftIsSmaller = this.leafCount[leftLeaf]! < this.leafCount[rightLeaf]!;
    const smaller = leftIsSmaller ? leftLeaf : rightLeaf;
    const larger = leftIsSmaller ? rightLeaf : leftLeaf;
    // The parent's histogram and flags live in the left leaf's slot; hand them to the larger child.
    if (leftIsSmaller) {
      const parentSlot = this.histogramOf[leftLeaf]!;
      this.histogramOf[leftLeaf] = this.histogramOf[rightLeaf]!;
      this.histogramOf[rightLeaf] = parentSlot;
      [this.splittable[leftLeaf], this.splittable[rightLeaf]] = [this.splittable[rightLeaf]!, this.splittable[leftLeaf]!];
    }
    const parentFlags = this.splittable[larger]!;
    const used = new Uint8Array(metas.length);
    for (let f = 0; f < metas.length; f++) used[f] = featureUsedByTree[f]! & parentFlags[f]!;
    // The smaller child's column sample is drawn first, as LightGBM draws them.
    const smallerColumns = nodeSampler?.sampleForNode(this.branchFeatures[smaller]!) ?? null;
    const largerColumns = nodeSampler?.sampleForNode(this.branchFeatures[larger]!) ?? null;
    this.searchLeaf(smaller, used, -1, smallerColumns, tree.leafValue[smaller]!, tree.leafDepth[smaller]!);
    this.searchLeaf(larger, used, this.histogramOf[smaller]!, largerColumns, tree.leafValue[larger]!, tree.leafDepth[larger]!);
  }

  /**
   * Build a leaf's histograms (`siblingSlot` -1) or derive them by subtracting the smaller
   * sibling's, in slot `siblingSlot`, from the parent's; then record the leaf's best split.
   */
  private searchLeaf(
    leaf: number,
    used: Uint8Array,
    siblingSlot: number,
    nodeColumns: Uint8Array | null,
    parentOutput: number,
    depth: number,
  ): void {
    const bounds = this.leafMin === null ? null : { min: this.leafMin[leaf]!, max: this.leafMax![leaf]! };
    const penalty = monotoneSplitPenalty(depth, this.config.monotonePenalty);
    const metas = this.metas;
    const slot = this.histogramOf[leaf]!;
    const hist = this.histogramViews[slot]!;
    const flags = this.splittable[leaf]!;
    const sumGradient = this.leafSumGradient[leaf]!;
    const sumHessian = this.leafSumHessian[leaf]!;
    const count = this.leafCount[leaf]!;
    const histOffset = slot * this.histogramStride;
    const built = siblingSlot < 0;
    if (built) this.buildHistogram(histOffset, this.leafBegin[leaf]!, count);
    const kernels = this.kernels;
    const best = this.bestSplits[leaf]!;
    const candidate = this.candidate;
    resetSplit(best);
    for (let f = 0; f < metas.length; f++) {
      if (!used[f]) {
        flags[f] = 0;
        continue;
      }
      const meta = metas[f]!;
      const start = 2 * meta.histStart;
      if (kernels === null) {
        if (built) fixHistogram(hist, meta, sumGradient, sumHessian);
        else subtractHistogram(hist, this.histogramViews[siblingSlot]!, meta);
      } else if (built) {
        if (meta.mostFreqBin > 0) kernels.fix(histOffset + start, meta.numBin, meta.mostFreqBin, sumGradient, sumHessian);
      } else {
        kernels.subtract(histOffset + start, siblingSlot * this.histogramStride + start, 2 * meta.numBin);
      }
      resetSplit(candidate);
      const random = this.extraRandoms === null ? null : this.extraRandoms[f]!;
      flags[f] = findBestThreshold(meta, hist, sumGradient, sumHessian, count, this.config, candidate, kernels, parentOutput, bounds, random) ? 1 : 0;
      // LightGBM scales by the feature's own factor first, then by the monotone depth penalty.
      candidate.gain *= meta.penalty;
      if (candidate.monotoneType !== 0) candidate.gain *= penalty;
      // A column outside the node's sample still reports whether it could split (for the
      // leaf's children) but cannot be this leaf's split.
      if ((nodeColumns === null || nodeColumns[f] === 1) && isBetterSplit(candidate, best)) copySplit(best, candidate);
    }
  }

  /** Apply the best split of `leaf`; returns the new (right) leaf id. */
  private split(tree: LearnedTree, leaf: number): number {
    const info = this.bestSplits[leaf]!;
    const mapper = this.dataset.mappers[info.feature]!;
    const column = this.dataset.bins[info.feature]!;
    const rightLeaf = tree.numLeaves;
    const node = tree.numLeaves - 1;

    const goesLeft = binsGoingLeft(info, mapper.numBin, mapper.missingType, mapper.defaultBin);
    const begin = this.leafBegin[leaf]!;
    const count = this.leafCount[leaf]!;
    const f = this.metaIndexOf[info.feature]!;
    const leftCount =
      this.kernels === null
        ? this.partition(column, begin, count, goesLeft)
        : this.kernels.partition(f, this.metas[f]!.histStart, begin, count, goesLeft);
    const rightCount = count - leftCount;
    this.leafCount[leaf] = leftCount;
    this.leafBegin[rightLeaf] = begin + leftCount;
    this.leafCount[rightLeaf] = rightCount;
    this.leafSumGradient[leaf] = info.leftSumGradient;
    this.leafSumHessian[leaf] = info.leftSumHessian;
    this.leafSumGradient[rightLeaf] = info.rightSumGradient;
    this.leafSumHessian[rightLeaf] = info.rightSumHessian;
    this.branchFeatures[rightLeaf] = [...this.branchFeatures[leaf]!, info.feature];
    this.branchFeatures[leaf]!.push(info.feature);
    if (this.leafMin !== null && this.leafMax !== null) {
      // LightGBM's BasicLeafConstraints::Update: the new leaf starts from the split leaf's bounds;
      // a monotone numerical split parts them at the midpoint of the two outputs.
      this.leafMin[rightLeaf] = this.leafMin[leaf]!;
      this.leafMax[rightLeaf] = this.leafMax[leaf]!;
      if (info.categoricalBins === null && info.monotoneType !== 0) {
        const mid = (info.leftOutput + info.rightOutput) / 2;
        const [lower, upper] = info.monotoneType < 0 ? [leaf, rightLeaf] : [rightLeaf, leaf];
        // std::max(new, old) and std::min(new, old), NaN included.
        this.leafMin[lower] = mid < this.leafMin[lower]! ? this.leafMin[lower]! : mid;
        this.leafMax[upper] = this.leafMax[upper]! < mid ? this.leafMax[upper]! : mid;
      }
    }

    const parent = tree.leafParent[leaf]!;
    if (parent >= 0) {
      if (tree.leftChild[parent] === ~leaf) tree.leftChild[parent] = node;
      else tree.rightChild[parent] = node;
    }
    tree.splitFeature.push(info.feature);
    tree.splitGain.push(Math.fround(info.gain + this.config.minGainToSplit));
    if (info.categoricalBins !== null) {
      const words: number[] = [];
      for (const b of info.categoricalBins!) {
        const category = mapper.binToCategory[b]!;
        const word = category >>> 5;
        while (words.length <= word) words.push(0);
        words[word] = (words[word]! | (1 << (category & 31))) >>> 0;
      }
      tree.threshold.push(tree.catBoundaries.length - 1);
      tree.catBoundaries.push(tree.catBoundaries[tree.catBoundaries.length - 1]! + words.length);
      tree.catThreshold.push(...words);
      tree.decisionType.push(DECISION_CATEGORICAL_MASK | (mapper.missingType << 2));
    } else {
      tree.threshold.push(mapper.upperBounds[info.thresholdBin]!);
      tree.decisionType.push((info.defaultLeft ? DECISION_DEFAULT_LEFT_MASK : 0) | (mapper.missingType << 2));
    }
    tree.binGoesLeft.push(goesLeft);
    tree.leftChild.push(~leaf);
    tree.rightChild.push(~rightLeaf);
    tree.leafParent[leaf] = node;
    tree.leafParent.push(node);
    tree.internalWeight.push(info.leftSumHessian + info.rightSumHessian);
    tree.internalValue.push(tree.leafValue[leaf]!);
    tree.internalCount.push(leftCount + rightCount);
    tree.leafValue[leaf] = Number.isNaN(info.leftOutput) ? 0 : info.leftOutput;
    tree.leafWeight[leaf] = info.leftSumHessian;
    tree.leafCount[leaf] = leftCount;
    tree.leafValue.push(Number.isNaN(info.rightOutput) ? 0 : info.rightOutput);
    tree.leafWeight.push(info.rightSumHessian);
    tree.leafCount.push(rightCount);
    tree.leafDepth.push(tree.leafDepth[leaf]! + 1);
    tree.leafDepth[leaf]! += 1;
    tree.numLeaves++;
    return rightLeaf;
  }
  /** Sum the rows of `rows[begin..begin+count)` into the histogram at `offset` of the pool. */
  private buildHistogram(offset: number, begin: number, count: number): void {
    const numFeatures = this.metas.length;
    // Handing a small leaf to other threads costs more than summing it here.
    const workers = this.workers !== null && count * numFeatures >= MIN_PARALLEL_VALUES ? this.workers : null;
    const featureEnd = workers === null ? numFeatures : workers.featureEnd;
    const slotEnd = workers === null ? this.histogramStride / 2 : workers.slotEnd;
    workers?.start(offset, begin, count);
    this.storage.accumulate(0, featureEnd, 0, slotEnd, begin, count, offset);
    workers?.finish();
  }

  /**
   * Stable partition of a leaf's rows: left rows stay at the front in order, right rows follow
   * in order. `goesLeft[bin]` says where each bin goes (the split decided per bin, including the
   * missing bin's default direction). Branch-free: every row is written to both sides and only
   * the matching cursor advances. Returns the left count.
   */
  private partition(column: Uint8Array | Uint16Array, begin: number, count: number, goesLeft: Uint8Array): number {
    const rows = this.rows;
    const scratch = this.scratchRows;
    let leftCount = 0;
    let rightCount = 0;
    for (let i = 0; i < count; i++) {
      const row = rows[begin + i]!;
      const left = goesLeft[column[row]!]!;
      rows[begin + leftCount] = row;
      scratch[rightCount] = row;
      leftCount += left;
      rightCount += 1 - left;
    }
    rows.set(scratch.subarray(0, rightCount), begin + leftCount);
    return leftCount;
  }

}

/** Per bin, 1 if a row in that bin goes left under this split. */
function binsGoingLeft(info: SplitInfo, numBin: number, missingType: number, defaultBin: number): Uint8Array {
  const table = new Uint8Array(numBin);
  if (info.categoricalBins !== null) {
    for (const b of info.categoricalBins) table[b] = 1;
    return table;
  }
  for (let b = 0; b <= info.thresholdBin && b < numBin; b++) table[b] = 1;
  // The missing bin (zero bin for missing type Zero, last bin for NaN) follows the default side.
  const missingBin = missingType === MISSING_TYPE_ZERO ? defaultBin : missingType === MISSING_TYPE_NAN ? numBin - 1 : -1;
  if (missingBin >= 0) table[missingBin] = info.defaultLeft ? 1 : 0;
  return table;
}

/**
 * LightGBM's `ComputeMonotoneSplitGainPenalty`: splits on monotone features are discounted by
 * depth (`monotone_penalty`); at 0 the factor is 1 + kEpsilon, which still scales the gain.
 */
function monotoneSplitPenalty(depth: number, penalty: number): number {
  if (penalty >= depth + 1) return K_EPSILON;
  if (penalty <= 1) return 1 - penalty / 2 ** depth + K_EPSILON;
  return 1 - 2 ** (penalty - 1 - depth) + K_EPSILON;
}
