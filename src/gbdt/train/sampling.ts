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

export class ColumnSampler {
  private readonly rng: LcgRandom;
  private readonly usedCount: number;

  constructor(
    private readonly numFeatures: number,
    private readonly fraction: number,
    seed: number,
  ) {
    this.rng = new LcgRandom(seed);
    this.usedCount = Math.max(roundInt(numFeatures * fraction), Math.min(1, numFeatures));
    // LightGBM draws once when the learner is set up and again before every tree, so the first
    // tree gets the second draw.
    if (fraction < 1) this.sampleForTree();
  }

  /** Flags (per used feature) of the columns this tree may split on. */
  sampleForTree(): Uint8Array {
    const used = new Uint8Array(this.numFeatures);
    if (this.fraction >= 1) return used.fill(1);
    for (const f of this.rng.sample(this.numFeatures, this.usedCount)) used[f] = 1;
    return used;
  }
}
