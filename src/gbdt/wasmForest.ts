/**
 * Batch prediction in WebAssembly, for forests whose nodes are all single comparisons (numerical
 * splits with missing type None or NaN, the common case; other forests keep the JavaScript walk).
 *
 * The forest is laid out once in a shared wasm memory (`wasmForestKernel.ts` describes the
 * records), followed by one region per lane for a chunk of input rows and their scores. Lane 0
 * runs on the calling thread; the others on worker threads, each on whole rows, so results do
 * not depend on the number of threads.
 */
import { singleComparisonRule, type FlatForest } from "./flatForest.js";
import { ForestWorkers } from "./forestWorkers.js";
import type { TreeWindow } from "./predictKernel.js";
import { WASM_PAGE_BYTES, wasmApi, type WasmMemory } from "./wasmEncoding.js";
import { forestKernelBytes, GROUP, RECORD_BYTES, type ForestKernel, type RowKernel } from "./wasmForestKernel.js";

/** Rows per lane and kernel call: 4096, or fewer for wide rows so a lane stays near 1.3 MB. */
const MAX_CHUNK_ROWS = 4096;
const LANE_ROW_BYTES = 4096 * 40 * 8;

function chunkRowsFor(numFeatures: number): number {
  const rows = Math.floor(LANE_ROW_BYTES / Math.max(1, numFeatures * 8) / GROUP) * GROUP;
  return Math.max(GROUP, Math.min(MAX_CHUNK_ROWS, rows));
}

/**
 * Share of a chunk the calling thread's lane takes when workers run beside it: besides its kernel
 * call it copies every lane's rows in and out and transforms them (7/8 measured best on 2 cores).
 */
const CALLER_SHARE = 7 / 8;

/** Compiled kernels by row stride in bytes: models with the same number of features share one. */
const compiledModules = new Map<number, { bytes: number[]; module: object }>();

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

const align8 = (bytes: number) => Math.ceil(bytes / 8) * 8;

/** Boosters are rarely closed explicitly; their threads end when the forest is collected. */
const closeWhenCollected = new FinalizationRegistry<ForestWorkers>((workers) => workers.close());

/** Where things are in the forest's memory. Lane `i`'s rows start at `lane0 + i * laneBytes`. */
export interface ForestLayout {
  memory: WasmMemory;
  rootsAt: number;
  /** Every leaf record lies below it, every node record above; a power of two. */
  leafLimit: number;
  /** A leaf worth +0 that the one-row kernel parks lanes past the last tree on. */
  zeroLeaf: number;
  lane0: number;
  laneBytes: number;
  /** Offset of a lane's scores from its rows. */
  scoresOffset: number;
  /** Rows a lane holds. */
  chunkRows: number;
  /** The kernels' module, for worker threads to instantiate on the same memory. */
  kernelBytes: readonly number[];
}

/**
 * Leaves (and the +0 leaf) go first, below `leafLimit`, a power of two; internal nodes above it.
 * So "every lane is at a leaf" is one test on the OR of the lanes' addresses.
 */
function writeRecords(forest: FlatForest, rules: { threshold: number; nanRight: boolean }[], memory: WasmMemory, leafLimit: number, rootsAt: number): void {
  const f64 = new Float64Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const numNodes = forest.nodeFeature.length;
  const numLeaves = forest.leafValue.length;
  const address = (child: number) => (child >= 0 ? leafLimit + child * RECORD_BYTES : ~child * RECORD_BYTES);
  for (let node = 0; node < numNodes; node++) {
    const at = address(node);
    f64[at / 8] = rules[node]!.threshold;
    i32[at / 4 + 2] = forest.nodeFeature[node]! * 8;
    i32[at / 4 + 3] = rules[node]!.nanRight ? 1 : 0;
    i32[at / 4 + 4] = address(forest.nodeLeft[node]!);
    i32[at / 4 + 5] = address(forest.nodeRight[node]!);
  }
  for (let leaf = 0; leaf <= numLeaves; leaf++) {
    const at = leaf * RECORD_BYTES;
    f64[at / 8] = leaf < numLeaves ? forest.leafValue[leaf]! : 0;
    i32[at / 4 + 4] = at;
    i32[at / 4 + 5] = at;
  }
  for (let t = 0; t < forest.numTrees; t++) i32[rootsAt / 4 + t] = address(forest.treeRoot[t]!);
}

export class WasmForest {
  private workers: ForestWorkers | undefined;
  /** The whole memory as doubles; it never grows, so the view stays valid. */
  private readonly memoryView: Float64Array;

  private constructor(
    private readonly layout: ForestLayout,
    private readonly lanes: number,
    private readonly kernels: { rows: ForestKernel; rowsNoNaN: ForestKernel; row: RowKernel; rowNoNaN: RowKernel },
    private readonly stride: number,
    private readonly maxPerIteration: number,
  ) {
    this.memoryView = new Float64Array(layout.memory.buffer);
  }

  /**
   * The forest in wasm with room for `lanes` threads, or null when it has nodes that are not a
   * single comparison (categorical, missing type Zero), is too big, or wasm is unavailable.
   */
  static build(forest: FlatForest, numFeatures: number, perIteration: number, lanes: number): WasmForest | null {
    if (wasmApi === undefined) return null;
    const numNodes = forest.nodeFeature.length;
    const rules = Array.from({ length: numNodes }, (_, node) => singleComparisonRule(forest, node));
    if (rules.includes(null)) return null;
    const zeroLeaf = forest.leafValue.length * RECORD_BYTES;
    const leafLimit = 2 ** Math.ceil(Math.log2(zeroLeaf + RECORD_BYTES));
    const rootsAt = leafLimit + numNodes * RECORD_BYTES;
    const lane0 = align8(rootsAt + 4 * forest.numTrees);
    const chunkRows = chunkRowsFor(numFeatures);
    const scoresOffset = chunkRows * numFeatures * 8;
    const laneBytes = scoresOffset + chunkRows * perIteration * 8;
    const bytes = lane0 + lanes * laneBytes;
    // Addresses are i32: stay below 2 GiB.
    if (bytes >= 2 ** 31) return null;
    const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
    let memory: WasmMemory;
    try {
      memory = new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      return null;
    }
    writeRecords(forest, rules as { threshold: number; nanRight: boolean }[], memory, leafLimit, rootsAt);
    const strideBytes = numFeatures * 8;
    let kernel = compiledModules.get(strideBytes);
    if (kernel === undefined) {
      const bytes = forestKernelBytes(strideBytes);
      kernel = { bytes, module: new wasmApi.Module(new Uint8Array(bytes)) };
      compiledModules.set(strideBytes, kernel);
    }
    const exports = new wasmApi.Instance(kernel.module, { env: { memory } }).exports;
    const layout = { memory, rootsAt, leafLimit, zeroLeaf, lane0, laneBytes, scoresOffset, chunkRows, kernelBytes: kernel.bytes };
    const kernels = {
      rows: exports.forest as ForestKernel,
      rowsNoNaN: exports.forestNoNaN as ForestKernel,
      row: exports.forestRow as RowKernel,
      rowNoNaN: exports.forestRowNoNaN as RowKernel,
    };
    return new WasmForest(layout, lanes, kernels, numFeatures, perIteration);
  }

  /**
   * As `computeRaw`: raw scores of the window's trees into `out` (row-major, `perIteration` per
   * row), on up to `threads` threads. `finishRows(first, count)` runs on the calling thread for
   * each finished stretch of rows (the output transform), while no worker waits for it.
   */
  computeRaw(
    data: Float64Array,
    numRows: number,
    window: TreeWindow,
    out: Float64Array,
    threads = 1,
    finishRows?: (first: number, count: number) => void,
  ): void {
    const { perIteration } = window;
    if (perIteration > this.maxPerIteration) throw new Error("window wider than the wasm score buffer");
    const { memory, lane0, laneBytes, scoresOffset } = this.layout;
    const stride = this.stride;
    const chunkRows = this.layout.chunkRows;
    const lanes = Math.max(1, Math.min(threads, this.lanes, Math.ceil(numRows / chunkRows)));
    const workers = lanes > 1 ? this.startedWorkers() : undefined;
    // The calling thread also copies rows in and out and runs `finishRows`: it takes fewer rows.
    const callerRows = Math.max(GROUP, Math.floor((chunkRows * CALLER_SHARE) / GROUP) * GROUP);
    const sizes = Array.from({ length: lanes }, (_, lane) => (lane === 0 && lanes > 1 ? callerRows : chunkRows));
    const roundRows = sizes.reduce((sum, size) => sum + size, 0);
    const firsts = new Int32Array(lanes);
    const counts = new Int32Array(lanes);
    for (let start = 0; start < numRows; start += roundRows) {
      for (let lane = 0, first = start; lane < lanes; first += sizes[lane]!, lane++) {
        firsts[lane] = first;
        counts[lane] = Math.max(0, Math.min(sizes[lane]!, numRows - first));
      }
      for (let lane = lanes - 1; lane >= 0; lane--) {
        const first = firsts[lane]!;
        const count = counts[lane]!;
        if (count === 0) continue;
        const padded = Math.ceil(count / GROUP) * GROUP;
        const at = lane0 + lane * laneBytes;
        const rows = new Float64Array(memory.buffer, at, padded * stride);
        const chunk = data.subarray(first * stride, (first + count) * stride);
        rows.set(chunk);
        rows.fill(0, count * stride);
        new Float64Array(memory.buffer, at + scoresOffset, padded * perIteration).fill(0);
        const withNaN = hasNaN(chunk);
        if (lane > 0) workers!.start(lane - 1, padded, window, withNaN);
        else (withNaN ? this.kernels.rows : this.kernels.rowsNoNaN)(at, padded, this.layout.rootsAt, window.firstTree, window.endTree, perIteration, at + scoresOffset, this.layout.leafLimit);
      }
      // The caller's own rows are done: finish them while the workers may still run.
      if (counts[0]! > 0) {
        out.set(new Float64Array(memory.buffer, lane0 + scoresOffset, counts[0]! * perIteration), firsts[0]! * perIteration);
        finishRows?.(firsts[0]!, counts[0]!);
      }
      workers?.finish();
      for (let lane = 1; lane < lanes; lane++) {
        const count = counts[lane]!;
        if (count === 0) continue;
        out.set(new Float64Array(memory.buffer, lane0 + lane * laneBytes + scoresOffset, count * perIteration), firsts[lane]! * perIteration);
        finishRows?.(firsts[lane]!, count);
      }
    }
  }

  /**
   * As `computeRaw`, one row at a time with the trees as lanes: for a handful of rows, where the
   * batch kernel would walk seven padding rows per real one.
   */
  computeRawRowByRow(data: Float64Array, numRows: number, window: TreeWindow, out: Float64Array): void {
    const { firstTree, endTree, perIteration } = window;
    if (perIteration > this.maxPerIteration) throw new Error("window wider than the wasm score buffer");
    const { lane0, scoresOffset, rootsAt, leafLimit, zeroLeaf } = this.layout;
    const stride = this.stride;
    // Serving calls this per request: index one view of the memory rather than make new ones.
    const memory = this.memoryView;
    const rowAt = lane0 / 8;
    const scoresAt = (lane0 + scoresOffset) / 8;
    for (let r = 0; r < numRows; r++) {
      let withNaN = false;
      for (let j = 0; j < stride; j++) {
        const value = data[r * stride + j]!;
        memory[rowAt + j] = value;
        if (value !== value) withNaN = true;
      }
      for (let k = 0; k < perIteration; k++) memory[scoresAt + k] = 0;
      (withNaN ? this.kernels.row : this.kernels.rowNoNaN)(lane0, rootsAt, firstTree, endTree, perIteration, lane0 + scoresOffset, leafLimit, zeroLeaf);
      for (let k = 0; k < perIteration; k++) out[r * perIteration + k] = memory[scoresAt + k]!;
    }
  }


  private startedWorkers(): ForestWorkers {
    if (this.workers === undefined) {
      this.workers = new ForestWorkers(this.layout, this.lanes - 1);
      closeWhenCollected.register(this, this.workers, this);
    }
    return this.workers;
  }

  close(): void {
    closeWhenCollected.unregister(this);
    this.workers?.close();
    this.workers = undefined;
  }
}
