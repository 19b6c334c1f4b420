/**
 * Row bagging and per-tree column sampling with LightGBM's generators, so the same seeds pick
 * the same rows and columns (src/boosting/bagging.hpp, src/treelearner/col_sampler.hpp).
 */
import { LcgRandom } from "../dataset/lcgRandom.js";
import { roundInt } from "../dataset/numeric.js";

const BAGGING_BLOCK = 1024;

/** LightGBM's bagging generators: one per block of 1,024 rows, seeded `seed + block`. */
function blockGenerators(numRows: number, seed: number): LcgRandom[] {
  return Array.from({ length: Math.ceil(numRows / BAGGING_BLOCK) }, (_, b) => new LcgRandom(seed + b));
}

/** Balanced bagging (`pos_bagging_fraction`, `neg_bagging_fraction`): which rows are positive. */
export interface BalancedFractions {
  positive: Uint8Array;
  positiveFraction: number;
  negativeFraction: number;
}

export class RowBagger {
  private readonly generators: LcgRandom[];

  constructor(
    private readonly numRows: number,
    private readonly fraction: number,
    seed: number,
    private readonly balanced: BalancedFractions | null = null,
  ) {
    this.generators = blockGenerators(numRows, seed);
  }

  /** The in-bag rows, ascending. Every row draws once, against its own class's fraction when balanced. */
  sample(): Int32Array {
    const kept = new Int32Array(this.numRows);
    const balanced = this.balanced;
    let count = 0;
    for (let i = 0; i < this.numRows; i++) {
      const fraction = balanced === null ? this.fraction : balanced.positive[i] ? balanced.positiveFraction : balanced.negativeFraction;
      if (this.generators[Math.trunc(i / BAGGING_BLOCK)]!.nextFloat() < fraction) kept[count++] = i;
    }
    return kept.slice(0, count);
  }
}

/** LightGBM's `GetCnt`: round(total · fraction), but at least one when there is any. */
function usedCount(total: number, fraction: number): number {
  return Math.max(roundInt(total * fraction), Math.min(1, total));
}

/**
 * Column sampling per tree (`feature_fraction`) and per node (`feature_fraction_bynode`) from one
 * generator, drawn in LightGBM's order: a tree's draw when the tree starts, then one per leaf
 * searched (the smaller child before the larger).
 */
export class ColumnSampler {
  private readonly rng: LcgRandom;
  private readonly usedCount: number;
  /** The current tree's columns (ascending), when columns are sampled per tree. */
  private treeColumns: Int32Array | null = null;

  constructor(
    private readonly numFeatures: number,
    private readonly fraction: number,
    seed: number,
    private readonly fractionByNode = 1,
    /** Interaction constraints: groups of original feature indices (none when empty). */
    private readonly constraints: readonly ReadonlySet<number>[] = [],
    /** The original feature index of each used feature. */
    private readonly originalFeature: ArrayLike<number> = [],
  ) {
    this.rng = new LcgRandom(seed);
    this.usedCount = usedCount(numFeatures, fraction);
    // LightGBM draws once when the learner is set up and again before every tree, so the first
    // tree gets the second draw.
    if (fraction < 1) this.sampleForTree();
  }

  /** Flags (per used feature) of the columns this tree may split on. */
  sampleForTree(): Uint8Array {
    const used = new Uint8Array(this.numFeatures);
    if (this.fraction >= 1) return used.fill(1);
    this.treeColumns = this.rng.sample(this.numFeatures, this.usedCount);
    for (const f of this.treeColumns) used[f] = 1;
    return used;
  }

  /**
   * Flags of the columns one leaf's split may use, drawn from the tree's columns and limited by
   * the interaction constraints that admit the features on the leaf's branch (`branch`, original
   * indices); null when every column may.
   */
  sampleForNode(branch: readonly number[] = []): Uint8Array | null {
    const allowed = this.constraints.length > 0 ? allowedFeatures(branch, this.constraints) : null;
    if (this.fractionByNode >= 1 && allowed === null) return null;
    const used = new Uint8Array(this.numFeatures);
    const isAllowed = (f: number): boolean => allowed === null || allowed.has(this.originalFeature[f]!);
    if (this.fractionByNode >= 1) {
      for (let f = 0; f < this.numFeatures; f++) if (isAllowed(f)) used[f] = 1;
      return used;
    }
    const pool = this.fraction < 1 && this.treeColumns !== null ? Array.from(this.treeColumns) : Array.from({ length: this.numFeatures }, (_, f) => f);
    // The count comes from the whole pool, then shrinks to what the constraints leave.
    const candidates = pool.filter(isAllowed);
    const count = Math.min(usedCount(pool.length, this.fractionByNode), candidates.length);
    for (const i of this.rng.sample(candidates.length, count)) used[candidates[i]!] = 1;
    return used;
  }
}

/**
 * LightGBM's interaction rule: a leaf may split on the features already on its branch and on
 * every feature of each constraint that contains all of them (at the root, of every constraint).
 */
function allowedFeatures(branch: readonly number[], constraints: readonly ReadonlySet<number>[]): Set<number> {
  const allowed = new Set(branch);
  for (const constraint of constraints) {
    if (branch.every((feature) => constraint.has(feature))) for (const feature of constraint) allowed.add(feature);
  }
  return allowed;
}

/**
 * Gradient-based one-side sampling (`data_sample_strategy=goss`) as LightGBM's GOSS strategy:
 * after the first 1/learning_rate iterations, each block of rows keeps its `top_rate` share with
 * the largest |gradient · hessian| (summed over classes) and draws `other_rate` of the rest,
 * whose gradients and hessians are scaled up to stand for the rows left out. LightGBM splits the
 * rows into one block per thread (in multiples of 1,024), so `blocks` is its thread count. The
 * arithmetic is float32, as LightGBM's `score_t`.
 */
export class GossSampler {
  private readonly generators: LcgRandom[];

  constructor(
    private readonly numRows: number,
    private readonly topRate: number,
    private readonly otherRate: number,
    private readonly learningRate: number,
    private readonly blocks: number,
    seed: number,
  ) {
    this.generators = blockGenerators(numRows, seed);
  }

  /**
   * The rows kept for this iteration (ascending), scaling the sampled rows' gradients and
   * hessians in place; null while every row is used (the first iterations).
   */
  sample(iteration: number, gradients: Float32Array, hessians: Float32Array, numClassTrees: number): Int32Array | null {
    if (iteration < Math.trunc(1 / this.learningRate)) return null;
    const n = this.numRows;
    const blocks = Math.max(1, Math.min(this.blocks, Math.ceil(n / BAGGING_BLOCK)));
    const blockSize = blocks > 1 ? Math.ceil(Math.ceil(n / blocks) / BAGGING_BLOCK) * BAGGING_BLOCK : n;
    const kept = new Int32Array(n);
    let count = 0;
    for (let start = 0; start < n; start += blockSize) {
      count = this.sampleBlock(start, Math.min(blockSize, n - start), gradients, hessians, numClassTrees, kept, count);
    }
    return kept.slice(0, count);
  }

  private sampleBlock(
    start: number,
    cnt: number,
    gradients: Float32Array,
    hessians: Float32Array,
    numClassTrees: number,
    kept: Int32Array,
    keptBefore: number,
  ): number {
    const n = this.numRows;
    const weightOf = (row: number): number => {
      let sum = 0;
      for (let k = 0; k < numClassTrees; k++) {
        const idx = k * n + row;
        sum = Math.fround(sum + Math.abs(Math.fround(gradients[idx]! * hessians[idx]!)));
      }
      return sum;
    };
    const weights = new Float32Array(cnt);
    for (let i = 0; i < cnt; i++) weights[i] = weightOf(start + i);
    const topK = Math.max(1, Math.trunc(cnt * this.topRate));
    const otherK = Math.trunc(cnt * this.otherRate);
    // The top_k-th largest weight (LightGBM's ArgMaxAtK).
    const threshold = Float32Array.from(weights).sort().reverse()[topK - 1]!;
    const multiply = Math.fround(Math.fround(cnt - topK) / otherK);
    let left = keptBefore;
    let bigWeights = 0;
    for (let i = 0; i < cnt; i++) {
      const row = start + i;
      if (weights[i]! >= threshold) {
        kept[left++] = row;
        bigWeights++;
        continue;
      }
      const sampled = left - keptBefore - bigWeights;
      const restNeed = otherK - sampled;
      const restAll = cnt - i - (topK - bigWeights);
      if (this.generators[Math.trunc(row / BAGGING_BLOCK)]!.nextFloat() < restNeed / restAll) {
        kept[left++] = row;
        for (let k = 0; k < numClassTrees; k++) {
          const idx = k * n + row;
          gradients[idx] = Math.fround(gradients[idx]! * multiply);
          hessians[idx] = Math.fround(hessians[idx]! * multiply);
        }
      }
    }
    return left;
  }
}
