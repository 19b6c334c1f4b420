/**
 * Where the learner keeps the arrays its hot loops read and write: row-major bin slots, the row
 * partition, the tree's gradients and the per-leaf histogram pool. They live in one shared
 * WebAssembly memory when the wasm kernels can be used (up to 65,535 histogram slots, under
 * 2 GiB), else in plain (or, for worker threads, shared) buffers worked by the JavaScript loops.
 * Both give identical results.
 */
import { accumulateFeatureRange } from "./histogram.js";
import { SCAN_RESULT } from "./scanKernel.js";
import { type TrainKernels, type WasmMemory, createKernelMemory, instantiateTrainKernels } from "./trainKernels.js";

/** What a worker thread needs to run `accumulate` on the same arrays. */
export type SharedStorage =
  | {
      kind: "wasm";
      memory: WasmMemory;
      numFeatures: number;
      slots: number;
      rows: number;
      gradients: number;
      hessians: number;
      pool: number;
    }
  | {
      kind: "js";
      numFeatures: number;
      slots: SharedArrayBuffer;
      wideSlots: boolean;
      rows: SharedArrayBuffer;
      gradients: SharedArrayBuffer;
      hessians: SharedArrayBuffer;
      pool: SharedArrayBuffer;
    };

/** The wasm kernels bound to the storage's addresses; histogram offsets are in doubles of the pool. */
export interface StorageKernels {
  readonly kernels: TrainKernels;
  /** Where a scan writes its result, and a view of it (`SCAN_RESULT` indices). */
  readonly scanResultAt: number;
  readonly scanResult: Float64Array;
  subtract(parentOffset: number, smallerOffset: number, length: number): void;
  fix(histOffset: number, numBin: number, mostFreqBin: number, sumGradient: number, sumHessian: number): void;
  /** Partition by feature `feature` (meta index, slots starting at `histStart`); returns the left count. */
  partition(feature: number, histStart: number, begin: number, count: number, goesLeft: Uint8Array): number;
}

export interface HistogramStorage {
  /** Histogram slots row by row: `slots[row * numFeatures + f]` (see `fillRowMajorSlots`). */
  readonly slots: Uint16Array | Int32Array;
  /** The same slots feature by feature, for the wasm partition; null for plain buffers. */
  readonly columnSlots: Uint16Array | null;
  readonly rows: Int32Array;
  /** Room for one leaf's right-going rows while partitioning. */
  readonly scratchRows: Int32Array;
  /** The current tree's gradients and hessians, by row id. */
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;
  readonly pool: Float64Array;
  /**
   * Zero slots [slotStart, slotEnd) of the histogram at `poolOffset` (in doubles) and sum
   * rows[begin..begin+count) into features [featureStart, featureEnd).
   */
  accumulate(featureStart: number, featureEnd: number, slotStart: number, slotEnd: number, begin: number, count: number, poolOffset: number): void;
  /** The wasm kernels; null for plain buffers. */
  readonly kernels: StorageKernels | null;
  /** For worker threads; null when the buffers are not shared. */
  readonly shared: SharedStorage | null;
}

const ALIGN = 16;
const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
/** A split's bin table: one byte per bin of the widest possible feature. */
const GOES_LEFT_BYTES = 65536;

export function createHistogramStorage(
  numRows: number,
  numFeatures: number,
  totalBins: number,
  numLeaves: number,
  forThreads: boolean,
  allowWasm = true,
): HistogramStorage {
  const poolLength = 2 * totalBins * numLeaves;
  if (allowWasm && totalBins <= 0xffff) {
    const slotsAt = 0;
    const columnSlotsAt = align(slotsAt + 2 * numRows * numFeatures);
    const rowsAt = align(columnSlotsAt + 2 * numRows * numFeatures);
    const scratchAt = align(rowsAt + 4 * numRows);
    const gradientsAt = align(scratchAt + 4 * numRows);
    const hessiansAt = align(gradientsAt + 4 * numRows);
    const goesLeftAt = align(hessiansAt + 4 * numRows);
    const scanResultAt = align(goesLeftAt + GOES_LEFT_BYTES);
    const poolAt = align(scanResultAt + 8 * SCAN_RESULT.length);
    const memory = createKernelMemory(poolAt + 8 * poolLength);
    if (memory !== null) {
      const at = { slotsAt, columnSlotsAt, rowsAt, scratchAt, gradientsAt, hessiansAt, goesLeftAt, scanResultAt, poolAt };
      return wasmStorage(memory, numRows, numFeatures, poolLength, at);
    }
  }
  return jsStorage(numRows, numFeatures, totalBins, poolLength, forThreads);
}

interface Addresses {
  slotsAt: number;
  columnSlotsAt: number;
  rowsAt: number;
  scratchAt: number;
  gradientsAt: number;
  hessiansAt: number;
  goesLeftAt: number;
  scanResultAt: number;
  poolAt: number;
}

function wasmStorage(memory: WasmMemory, numRows: number, numFeatures: number, poolLength: number, at: Addresses): HistogramStorage {
  const buffer = memory.buffer;
  const kernels = instantiateTrainKernels(memory);
  const pool = new Float64Array(buffer, at.poolAt, poolLength);
  const rows = new Int32Array(buffer, at.rowsAt, numRows);
  const scratchRows = new Int32Array(buffer, at.scratchAt, numRows);
  const goesLeftTable = new Uint8Array(buffer, at.goesLeftAt, GOES_LEFT_BYTES);
  const histAt = (offset: number): number => at.poolAt + 8 * offset;
  return {
    slots: new Uint16Array(buffer, at.slotsAt, numRows * numFeatures),
    columnSlots: new Uint16Array(buffer, at.columnSlotsAt, numRows * numFeatures),
    rows,
    scratchRows,
    gradients: new Float32Array(buffer, at.gradientsAt, numRows),
    hessians: new Float32Array(buffer, at.hessiansAt, numRows),
    pool,
    accumulate(featureStart, featureEnd, slotStart, slotEnd, begin, count, poolOffset) {
      kernels.zero(histAt(poolOffset + 2 * slotStart), 16 * (slotEnd - slotStart));
      kernels.accumulate(at.slotsAt, numFeatures, featureStart, featureEnd, at.rowsAt, begin, count, at.gradientsAt, at.hessiansAt, histAt(poolOffset));
    },
    kernels: {
      kernels,
      scanResultAt: at.scanResultAt,
      scanResult: new Float64Array(buffer, at.scanResultAt, SCAN_RESULT.length),
      subtract: (parentOffset, smallerOffset, length) => kernels.subtract(histAt(parentOffset), histAt(smallerOffset), length),
      fix: (histOffset, numBin, mostFreqBin, sumGradient, sumHessian) =>
        kernels.fix(histAt(histOffset), numBin, mostFreqBin, sumGradient, sumHessian),
      partition(feature, histStart, begin, count, goesLeft) {
        goesLeftTable.set(goesLeft);
        // Indexed by slot = histStart + bin; the address arithmetic wraps like the kernel's.
        const table = (at.goesLeftAt - histStart) | 0;
        const column = at.columnSlotsAt + 2 * feature * numRows;
        const leftCount = kernels.partition(column, at.rowsAt, begin, count, table, at.scratchAt);
        rows.set(scratchRows.subarray(0, count - leftCount), begin + leftCount);
        return leftCount;
      },
    },
    shared: {
      kind: "wasm",
      memory,
      numFeatures,
      slots: at.slotsAt,
      rows: at.rowsAt,
      gradients: at.gradientsAt,
      hessians: at.hessiansAt,
      pool: at.poolAt,
    },
  };
}

function jsStorage(numRows: number, numFeatures: number, totalBins: number, poolLength: number, shared: boolean): HistogramStorage {
  const allocate = (bytes: number): ArrayBuffer | SharedArrayBuffer => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const size = numRows * numFeatures;
  const slots = totalBins <= 0xffff ? new Uint16Array(allocate(2 * size)) : new Int32Array(allocate(4 * size));
  const rows = new Int32Array(allocate(4 * numRows));
  const gradients = new Float32Array(allocate(4 * numRows));
  const hessians = new Float32Array(allocate(4 * numRows));
  const pool = new Float64Array(allocate(8 * poolLength));
  return {
    slots,
    columnSlots: null,
    rows,
    scratchRows: new Int32Array(numRows),
    gradients,
    hessians,
    pool,
    accumulate(featureStart, featureEnd, slotStart, slotEnd, begin, count, poolOffset) {
      accumulateFeatureRange(
        slots, numFeatures, featureStart, featureEnd, slotStart, slotEnd, rows, begin, count,
        gradients, hessians, pool, poolOffset,
      );
    },
    kernels: null,
    shared: shared
      ? {
          kind: "js",
          numFeatures,
          slots: slots.buffer as SharedArrayBuffer,
          wideSlots: slots instanceof Int32Array,
          rows: rows.buffer as SharedArrayBuffer,
          gradients: gradients.buffer as SharedArrayBuffer,
          hessians: hessians.buffer as SharedArrayBuffer,
          pool: pool.buffer as SharedArrayBuffer,
        }
      : null,
  };
}
