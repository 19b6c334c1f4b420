/**
 * DART (`boosting=dart`), as LightGBM's DART booster: before each iteration some earlier
 * iterations' trees are dropped out of the training scores (chosen by drop_rate, skip_drop,
 * max_drop and the trees' weights), the new trees learn with a rate shrunk by the number dropped,
 * and the dropped trees are then scaled down to make room for them. Each step is LightGBM's
 * sequence of tree shrinkages (by -1, by 1/(k+1), by -k), so the stored leaf values come out
 * bit for bit the same.
 */
import { LcgRandom } from "../dataset/lcgRandom.js";
import type { TrainParams } from "./params.js";

/** What DART does to the model's trees, supplied by the boosting loop. */
export interface DartTrees {
  /** LightGBM's `Tree::Shrinkage(rate)` on tree `t`. */
  shrink(t: number, rate: number): void;
  /** Add tree `t`'s current outputs to the training scores, or to every validation set's. */
  addToTraining(t: number): void;
  addToValidation(t: number): void;
}

export class Dart {
  private readonly random: LcgRandom;
  private readonly treeWeight: number[] = [];
  private sumWeight = 0;
  private dropped: number[] = [];
  /** The learning rate of this iteration's new trees. */
  shrinkageRate: number;

  constructor(
    private readonly params: TrainParams,
    private readonly perIteration: number,
  ) {
    this.random = new LcgRandom(params.dropSeed);
    this.shrinkageRate = params.learningRate;
  }

  /** `DroppingTrees`: picks iterations among the `completed` ones and takes them out of training. */
  drop(completed: number, trees: DartTrees): void {
    const p = this.params;
    this.dropped = [];
    const skip = this.random.nextFloat() < p.skipDrop;
    // size() >= (size_t)max_drop: a negative max_drop never stops, 0 stops after one.
    const full = (): boolean => p.maxDrop >= 0 && this.dropped.length >= p.maxDrop;
    if (!skip) {
      let dropRate = p.dropRate;
      if (!p.uniformDrop) {
        const invAverageWeight = this.treeWeight.length / this.sumWeight;
        if (p.maxDrop > 0) dropRate = stdMin(dropRate, (p.maxDrop * invAverageWeight) / this.sumWeight);
        for (let i = 0; i < completed; i++) {
          if (this.random.nextFloat() < dropRate * this.treeWeight[i]! * invAverageWeight) {
            this.dropped.push(i);
            if (full()) break;
          }
        }
      } else {
        if (p.maxDrop > 0) dropRate = stdMin(dropRate, p.maxDrop / completed);
        for (let i = 0; i < completed; i++) {
          if (this.random.nextFloat() < dropRate) {
            this.dropped.push(i);
            if (full()) break;
          }
        }
      }
    }
    this.forEachDroppedTree((t) => {
      trees.shrink(t, -1);
      trees.addToTraining(t);
    });
    const k = this.dropped.length;
    if (!p.xgboostDartMode) this.shrinkageRate = p.learningRate / (1 + k);
    else this.shrinkageRate = k === 0 ? p.learningRate : p.learningRate / (p.learningRate + k);
  }

  /** `Normalize` after the iteration's trees were added, then this iteration's weight. */
  normalize(trees: DartTrees): void {
    const p = this.params;
    const k = this.dropped.length;
    const lr = p.learningRate;
    for (const i of this.dropped) {
      for (let c = 0; c < this.perIteration; c++) {
        const t = i * this.perIteration + c;
        trees.shrink(t, p.xgboostDartMode ? this.shrinkageRate : 1 / (k + 1));
        trees.addToValidation(t);
        trees.shrink(t, p.xgboostDartMode ? -k / lr : -k);
        trees.addToTraining(t);
      }
      if (!p.uniformDrop) {
        const base = p.xgboostDartMode ? k + lr : k + 1;
        this.sumWeight -= this.treeWeight[i]! * (1 / base);
        this.treeWeight[i]! *= k / base;
      }
    }
    if (!p.uniformDrop) {
      this.treeWeight.push(this.shrinkageRate);
      this.sumWeight += this.shrinkageRate;
    }
  }

  private forEachDroppedTree(visit: (t: number) => void): void {
    for (const i of this.dropped) for (let c = 0; c < this.perIteration; c++) visit(i * this.perIteration + c);
  }
}

/** `std::min(a, b)`: b only when it is smaller (so a NaN b keeps a). */
function stdMin(a: number, b: number): number {
  return b < a ? b : a;
}
