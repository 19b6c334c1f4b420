/**
 * Where the learner keeps the arrays histogram construction reads and writes: row-major bin slots,
 * the row partition, ordered gradients and the per-leaf histogram pool. They live in one shared
 * WebAssembly memory when the wasm kernel can be used (up to 65,535 histogram slots, under 2 GiB),
 * else in plain (or, for worker threads, shared) buffers summed by the JavaScript loop. Both give
 * identical sums.
 */
import { accumulateFeatureRange } from "./histogram.js";
import { type AccumulateKernel, type WasmMemory, createKernelMemory, instantiateKernel } from "./histogramKernel.js";

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

export interface HistogramStorage {
  readonly slots: Uint16Array | Int32Array;
  readonly rows: Int32Array;
  readonly orderedGradients: Float64Array;
  readonly orderedHessians: Float64Array;
  readonly pool: Float64Array;
  /**
   * Zero slots [slotStart, slotEnd) of the histogram at `poolOffset` (in doubles) and sum
   * rows[begin..begin+count) into features [featureStart, featureEnd).
   */
  accumulate(featureStart: number, featureEnd: number, slotStart: number, slotEnd: number, begin: number, count: number, poolOffset: number): void;
  /** For worker threads; null when the buffers are not shared. */
  readonly shared: SharedStorage | null;
}

const ALIGN = 16;
const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

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
    const rowsAt = align(slotsAt + 2 * numRows * numFeatures);
    const gradientsAt = align(rowsAt + 4 * numRows);
    const hessiansAt = align(gradientsAt + 8 * numRows);
    const poolAt = align(hessiansAt + 8 * numRows);
    const memory = createKernelMemory(poolAt + 8 * poolLength);
    if (memory !== null) {
      return wasmStorage(memory, numRows, numFeatures, poolLength, { slotsAt, rowsAt, gradientsAt, hessiansAt, poolAt });
    }
  }
  return jsStorage(numRows, numFeatures, totalBins, poolLength, forThreads);
}

function wasmStorage(
  memory: WasmMemory,
  numRows: number,
  numFeatures: number,
  poolLength: number,
  at: { slotsAt: number; rowsAt: number; gradientsAt: number; hessiansAt: number; poolAt: number },
): HistogramStorage {
  const buffer = memory.buffer;
  const kernel: AccumulateKernel = instantiateKernel(memory);
  const pool = new Float64Array(buffer, at.poolAt, poolLength);
  return {
    slots: new Uint16Array(buffer, at.slotsAt, numRows * numFeatures),
    rows: new Int32Array(buffer, at.rowsAt, numRows),
    orderedGradients: new Float64Array(buffer, at.gradientsAt, numRows),
    orderedHessians: new Float64Array(buffer, at.hessiansAt, numRows),
    pool,
    accumulate(featureStart, featureEnd, slotStart, slotEnd, begin, count, poolOffset) {
      pool.fill(0, poolOffset + 2 * slotStart, poolOffset + 2 * slotEnd);
      kernel(at.slotsAt, numFeatures, featureStart, featureEnd, at.rowsAt, begin, count, at.gradientsAt, at.hessiansAt, at.poolAt + 8 * poolOffset);
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
  const orderedGradients = new Float64Array(allocate(8 * numRows));
  const orderedHessians = new Float64Array(allocate(8 * numRows));
  const pool = new Float64Array(allocate(8 * poolLength));
  return {
    slots,
    rows,
    orderedGradients,
    orderedHessians,
    pool,
    accumulate(featureStart, featureEnd, slotStart, slotEnd, begin, count, poolOffset) {
      accumulateFeatureRange(
        slots, numFeatures, featureStart, featureEnd, slotStart, slotEnd, rows, begin, count,
        orderedGradients, orderedHessians, pool, poolOffset,
      );
    },
    shared: shared
      ? {
          kind: "js",
          numFeatures,
          slots: slots.buffer as SharedArrayBuffer,
          wideSlots: slots instanceof Int32Array,
          rows: rows.buffer as SharedArrayBuffer,
          gradients: orderedGradients.buffer as SharedArrayBuffer,
          hessians: orderedHessians.buffer as SharedArrayBuffer,
          pool: pool.buffer as SharedArrayBuffer,
        }
      : null,
  };
}
