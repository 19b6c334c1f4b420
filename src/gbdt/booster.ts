/**
 * A LightGBM model in memory: read from and written to LightGBM's text format, and evaluated
 * with LightGBM's exact prediction semantics. No IO here; callers bring the text.
 */
import { availableParallelism } from "node:os";
import { LarderError } from "../errors.js";
import { compileForest, computeRawCompiled, type CompiledTree } from "./compiledForest.js";
import { flattenForest, type FlatForest } from "./flatForest.js";
import { featureImportance, type ImportanceType } from "./importance.js";
import { parseModelText, validateTreeStructure } from "./modelReader.js";
import { writeModelText, type WriteModelOptions } from "./modelWriter.js";
import { outputTransform, parseObjective, type ObjectiveSpec, type OutputTransform } from "./objective.js";
import { encodeRows, type CellValue } from "./pandasCategorical.js";
import { computeRawLinear } from "./linearTrees.js";
import { computeRaw, fillLeafIndices, type TreeWindow } from "./predictKernel.js";
import { WasmForest } from "./wasmForest.js";
import { columnsToRowMajor, numberOrNaN, toRowMajor, type RowMajor, type RowsInput } from "./rows.js";
import type { ModelMeta, TreeData } from "./tree.js";
import { TreeShap } from "./treeShap.js";

export interface IterationOptions {
  /** First boosting iteration to use. Default 0. */
  startIteration?: number;
  /** Number of iterations to use from `startIteration`; <= 0 or absent means all the rest. */
  numIteration?: number;
}

export interface PredictOptions extends IterationOptions {
  /** Return raw scores (no sigmoid/softmax/exp). */
  rawScore?: boolean;
  /** Return, per tree, the index of the leaf the row falls in (as numbers). */
  predLeaf?: boolean;
  /** Return TreeSHAP contributions (same as `predictContrib`). */
  predContrib?: boolean;
  /**
   * Threads for large batches, as LightGBM's `num_threads`: <= 0 or absent means one per core
   * (up to 8) for batches of at least 65,536 rows, else 1. Results do not depend on it.
   */
  numThreads?: number;
}

function cloneTree(tree: TreeData): TreeData {
  return {
    ...tree,
    splitFeature: tree.splitFeature.slice(),
    splitGain: tree.splitGain.slice(),
    threshold: tree.threshold.slice(),
    decisionType: tree.decisionType.slice(),
    leftChild: tree.leftChild.slice(),
    rightChild: tree.rightChild.slice(),
    leafValue: tree.leafValue.slice(),
    leafWeight: tree.leafWeight.slice(),
    leafCount: tree.leafCount.slice(),
    internalValue: tree.internalValue.slice(),
    internalWeight: tree.internalWeight.slice(),
    internalCount: tree.internalCount.slice(),
    catBoundaries: tree.catBoundaries.slice(),
    catThreshold: tree.catThreshold.slice(),
    ...(tree.linear
      ? {
          linear: {
            leafConst: tree.linear.leafConst.slice(),
            leafFeatures: tree.linear.leafFeatures.map((f) => f.slice()),
            leafCoeff: tree.linear.leafCoeff.map((c) => c.slice()),
          },
        }
      : {}),
  };
}

/**
 * Compiling trees to functions costs about as much CPU as walking this many (row, tree) pairs
 * (V8 optimizes each generated function in the background), so a booster compiles only once it
 * has predicted this many, i.e. in long batch jobs and servers, where it then runs ~1.5-2x faster.
 */
const COMPILE_AFTER_ROW_TREES = 20_000_000;
/** Smaller batches keep the array walk, whose cost per call is lower. */
const COMPILED_FROM_ROWS = 16;
/**
 * Forests that allow it run in wasm (see `wasmForest.ts`): batches from this size with rows as
 * the kernel's lanes, smaller ones a row at a time with trees as lanes.
 */
const WASM_FROM_ROWS = 16;
/** Batches from this size use every core by default; below it threads cost more than they save. */
const PARALLEL_FROM_ROWS = 65_536;
const MAX_DEFAULT_THREADS = 8;

function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, availableParallelism()));
}

export class Booster {
  private readonly meta: ModelMeta;
  private readonly treeList: readonly TreeData[];
  private readonly forest: FlatForest;
  private readonly objectiveSpec: ObjectiveSpec;
  private transform: OutputTransform | undefined;
  private shap: TreeShap | undefined;
  /** Trees compiled to functions once enough work was done; null if code generation is barred. */
  private compiled: CompiledTree[] | null | undefined;
  private rowTreesPredicted = 0;
  /** The forest in wasm, built on the first prediction; null when the forest has nodes it cannot run. */
  private wasm: WasmForest | null | undefined;
  private readonly rowScratch: Float64Array;
  /** Linear trees (`linear_tree`) take their own prediction path. */
  private readonly hasLinearTrees: boolean;

  private constructor(meta: ModelMeta, trees: readonly TreeData[]) {
    this.meta = meta;
    this.treeList = trees;
    this.hasLinearTrees = trees.some((tree) => tree.isLinear);
    this.forest = flattenForest(trees);
    this.objectiveSpec = parseObjective(meta.objective);
    this.rowScratch = new Float64Array(meta.maxFeatureIdx + 1);
  }

  /** Reads LightGBM's text model format (what `save_model` writes). */
  static fromString(text: string): Booster {
    const { meta, trees } = parseModelText(text);
    return new Booster(meta, trees);
  }

  /**
   * A booster from trees made in memory (by the trainer). The trees and meta are copied, so
   * later changes to the arguments do not reach the booster.
   */
  static fromTrees(meta: ModelMeta, trees: readonly TreeData[]): Booster {
    const numFeatures = meta.maxFeatureIdx + 1;
    if (meta.featureNames.length !== numFeatures || meta.featureInfos.length !== numFeatures) {
      throw new LarderError(
        "INVALID_PARAMETER_VALUE",
        `ModelMeta has ${meta.featureNames.length} feature names and ${meta.featureInfos.length} feature infos, but maxFeatureIdx=${meta.maxFeatureIdx}`,
      );
    }
    if (meta.numTreePerIteration < 1 || trees.length % meta.numTreePerIteration !== 0) {
      throw new LarderError(
        "INVALID_PARAMETER_VALUE",
        `${trees.length} trees is not a whole number of iterations of ${meta.numTreePerIteration} trees`,
      );
    }
    const copies = trees.map(cloneTree);
    copies.forEach((tree, t) => validateTreeStructure(tree, `Tree=${t}`, numFeatures));
    const metaCopy: ModelMeta = structuredClone(meta);
    return new Booster(metaCopy, copies);
  }

  /** LightGBM's text model format, byte-identical to what LightGBM (via Python) writes. */
  toString(options: WriteModelOptions = {}): string {
    return writeModelText(this.meta, this.treeList, options);
  }

  /** Header and trailer of the model (a copy). */
  get modelMeta(): ModelMeta {
    return structuredClone(this.meta);
  }

  /**
   * The trees, in model order (tree `t` belongs to class `t % numTreePerIteration`). Read-only:
   * prediction uses its own packed copy, so edits would only reach `toString`.
   */
  get trees(): readonly TreeData[] {
    return this.treeList;
  }

  get numTrees(): number {
    return this.treeList.length;
  }

  /** Outputs per row of `predict`: 1 for regression and binary, K for K-class models. */
  get numClass(): number {
    return this.meta.numClass;
  }

  get numTreePerIteration(): number {
    return this.meta.numTreePerIteration;
  }

  get numIterations(): number {
    return this.treeList.length / this.meta.numTreePerIteration;
  }

  get numFeatures(): number {
    return this.meta.maxFeatureIdx + 1;
  }

  get featureNames(): readonly string[] {
    return this.meta.featureNames;
  }

  /** The objective line, e.g. `binary sigmoid:1`; empty when the model has none. */
  get objective(): string {
    return this.meta.objective;
  }

  /** The canonical objective name (`custom` when the model has none). */
  get objectiveName(): string {
    return this.objectiveSpec.name;
  }

  /** Per pandas categorical column, its training categories; null when none. */
  get pandasCategorical(): unknown {
    return this.meta.pandasCategorical;
  }

  /**
   * Per feature: number of splits with positive gain ("split") or their summed gain ("gain"),
   * over the first `numIteration` iterations (all when absent).
   */
  featureImportance(type: ImportanceType = "split", numIteration?: number): Float64Array {
    const numTrees =
      numIteration !== undefined && numIteration > 0 ? numIteration * this.meta.numTreePerIteration : this.treeList.length;
    return featureImportance(this.treeList, this.numFeatures, type, numTrees);
  }

  /** Rows with strings for pandas categorical features, encoded to the numbers `predict` takes. */
  encodeRows(rows: readonly (readonly CellValue[])[]): Float64Array {
    return encodeRows(this.meta, rows);
  }

  /** Trees used by a prediction, as LightGBM's `InitPredict` picks them. */
  private window(options: IterationOptions): TreeWindow {
    const perIteration = this.meta.numTreePerIteration;
    const total = this.treeList.length / perIteration;
    const start = Math.min(Math.max(Math.trunc(options.startIteration ?? 0), 0), total);
    const requested = Math.trunc(options.numIteration ?? 0);
    const count = requested > 0 ? Math.min(requested, total - start) : total - start;
    return { firstTree: start * perIteration, endTree: (start + count) * perIteration, perIteration };
  }

  /** Values per row that `predict` returns with these options. */
  outputWidth(options: PredictOptions = {}): number {
    const window = this.window(options);
    if (options.predLeaf) return window.endTree - window.firstTree;
    if (options.predContrib) return window.perIteration * (this.numFeatures + 1);
    return window.perIteration;
  }

  /**
   * Predicts rows given as a flat row-major `Float64Array` (`numFeatures` per row) or an array of
   * rows. Returns a row-major `Float64Array` of `outputWidth(options)` values per row:
   * probabilities (or the objective's output), raw scores, leaf indices or contributions.
   */
  predict(rows: RowsInput, options: PredictOptions = {}): Float64Array {
    return this.predictRowMajor(toRowMajor(rows, this.numFeatures), options);
  }

  /** As `predict`, for input given as one array per feature (columnar). */
  predictColumns(columns: readonly ArrayLike<number>[], options: PredictOptions = {}): Float64Array {
    return this.predictRowMajor(columnsToRowMajor(columns, this.numFeatures), options);
  }

  /** Single-row fast path: the outputs for one row (length `outputWidth(options)`). */
  predictRow(row: ArrayLike<number>, options: PredictOptions = {}): Float64Array {
    const numFeatures = this.numFeatures;
    if (row.length !== numFeatures) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `the row has ${row.length} values but the model has ${numFeatures} features`, {
        hint: "pass one value per model feature, in the order of booster.featureNames",
      });
    }
    const scratch = this.rowScratch;
    for (let j = 0; j < numFeatures; j++) scratch[j] = numberOrNaN(row[j]);
    return this.predictRowMajor({ data: scratch, numRows: 1 }, options);
  }

  /** Leaf index per row and tree (row-major, one per tree of the iteration window). */
  predictLeaf(rows: RowsInput, options: IterationOptions = {}): Int32Array {
    const { data, numRows } = toRowMajor(rows, this.numFeatures);
    const window = this.window(options);
    const out = new Int32Array(numRows * (window.endTree - window.firstTree));
    fillLeafIndices(this.forest, data, numRows, this.numFeatures, window, out);
    return out;
  }

  /**
   * TreeSHAP feature contributions, as LightGBM's `pred_contrib`: per row and per class, one value
   * per feature then the expected value; per class they sum to the raw score.
   */
  predictContrib(rows: RowsInput, options: IterationOptions = {}): Float64Array {
    return this.predictRowMajor(toRowMajor(rows, this.numFeatures), { ...options, predContrib: true });
  }

  private predictRowMajor({ data, numRows }: RowMajor, options: PredictOptions): Float64Array {
    const window = this.window(options);
    const stride = this.numFeatures;
    const width = this.outputWidth(options);
    const out = new Float64Array(numRows * width);
    if (options.predLeaf) {
      fillLeafIndices(this.forest, data, numRows, stride, window, out);
      return out;
    }
    if (options.predContrib) {
      this.fillContributions(data, numRows, window, out);
      return out;
    }
    const finishRows = options.rawScore ? undefined : this.outputFinisher(window, width, out);
    if (this.hasLinearTrees) {
      computeRawLinear(this.forest, this.treeList, data, numRows, stride, window, out);
      finishRows?.(0, numRows);
      return out;
    }
    if (this.wasm === undefined) {
      this.wasm = WasmForest.build(this.forest, this.numFeatures, window.perIteration, defaultThreads());
    }
    if (this.wasm && numRows >= WASM_FROM_ROWS) {
      // Batches finish (transform) their rows as they come out, while worker threads still run.
      const threads = options.numThreads !== undefined && options.numThreads > 0 ? options.numThreads : numRows >= PARALLEL_FROM_ROWS ? defaultThreads() : 1;
      this.wasm.computeRaw(data, numRows, window, out, threads, finishRows);
      return out;
    }
    if (this.wasm) {
      this.wasm.computeRawRowByRow(data, numRows, window, out);
    } else if (numRows >= COMPILED_FROM_ROWS && this.compiledAfter(numRows, window)) {
      computeRawCompiled(this.compiled!, data, numRows, stride, window.firstTree, window.endTree, window.perIteration, out);
    } else {
      computeRaw(this.forest, data, numRows, stride, window, out);
    }
    finishRows?.(0, numRows);
    return out;
  }

  /** Turns raw scores of rows `first..first+count-1` in `out` into the objective's output. */
  private outputFinisher(window: TreeWindow, width: number, out: Float64Array): (first: number, count: number) => void {
    // As in LightGBM, average_output (random forest) divides the transformed path only.
    const iterations = (window.endTree - window.firstTree) / window.perIteration;
    const divisor = this.meta.averageOutput && iterations > 0 ? iterations : 1;
    const transform = (this.transform ??= outputTransform(this.objectiveSpec));
    return (first, count) => {
      if (divisor !== 1) for (let i = first * width; i < (first + count) * width; i++) out[i] = out[i]! / divisor;
      for (let r = first; r < first + count; r++) transform(out, r * width, width);
    };
  }

  /** Whether compiled trees are ready, compiling them once enough rows went through the walk. */
  private compiledAfter(numRows: number, window: TreeWindow): boolean {
    this.rowTreesPredicted += numRows * (window.endTree - window.firstTree);
    if (this.compiled === undefined && this.rowTreesPredicted >= COMPILE_AFTER_ROW_TREES) {
      this.compiled = compileForest(this.forest, window.perIteration);
    }
    return Boolean(this.compiled);
  }

  /** Stops the prediction worker threads, if any were started (they never keep a process alive). */
  close(): void {
    this.wasm?.close();
  }

  private fillContributions(data: Float64Array, numRows: number, window: TreeWindow, out: Float64Array): void {
    if (this.hasLinearTrees) {
      // LightGBM refuses the same request.
      throw new LarderError("NOT_IMPLEMENTED", "SHAP feature contributions are not defined for linear trees (linear_tree)", {
        hint: "predict raw scores or probabilities with this model",
      });
    }
    const shap = (this.shap ??= new TreeShap(this.forest));
    const numFeatures = this.numFeatures;
    const block = numFeatures + 1;
    const width = window.perIteration * block;
    for (let r = 0; r < numRows; r++) {
      for (let t = window.firstTree; t < window.endTree; t++) {
        shap.addTree(t, data, r * numFeatures, out, r * width + (t % window.perIteration) * block, numFeatures);
      }
    }
  }
}
