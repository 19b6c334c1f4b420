/**
 * Row bagging and per-tree column sampling with LightGBM's generators, so the same seeds pick
 * the same rows and columns (src/boosting/bagging.hpp, src/treelearner/col_sampler.hpp).
 */
import { LcgRandom } from "../dataset/lcgRandom.js";
import { roundInt } from "../dataset/numeric.js";

const BAGGING_BLOCK = 1024;

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
    const blocks = Math.ceil(numRows / BAGGING_BLOCK);
    this.generators = Array.from({ length: blocks }, (_, b) => new LcgRandom(seed + b));
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
   * Flags of the columns one leaf's split may use, drawn from the tree's columns; null when
   * every column may (no per-node sampling).
   */
  sampleForNode(): Uint8Array | null {
    if (this.fractionByNode >= 1) return null;
    const used = new Uint8Array(this.numFeatures);
    const pool = this.treeColumns;
    if (this.fraction < 1 && pool !== null) {
      for (const i of this.rng.sample(pool.length, usedCount(pool.length, this.fractionByNode))) used[pool[i]!] = 1;
    } else {
      for (const f of this.rng.sample(this.numFeatures, usedCount(this.numFeatures, this.fractionByNode))) used[f] = 1;
    }
    return used;
  }
}
