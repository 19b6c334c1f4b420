/**
 * The training kernels as one WebAssembly module on the learner's shared memory: histogram
 * accumulation, subtraction and fix-up, the numerical threshold scans and the row partition.
 * Worker threads instantiate the same bytes on the same memory for their share of histograms.
 */
import { sharedMemoryModule } from "../wasmAssembler.js";
import { WASM_PAGE_BYTES, wasmApi as wasm } from "../wasmEncoding.js";
import {
  accumulateBody, accumulateFunction, fixBody, fixFunction, subtractBody, subtractFunction, zeroBody, zeroFunction,
} from "./histogramKernel.js";
import { partitionBody, partitionFunction } from "./partitionKernel.js";
import { scanForwardBody, scanForwardFunction, scanReverseBody, scanReverseFunction } from "./scanKernel.js";

export const TRAIN_KERNEL_BYTES: readonly number[] = sharedMemoryModule(
  [accumulateFunction, zeroFunction, subtractFunction, fixFunction, scanReverseFunction, scanForwardFunction, partitionFunction],
  [accumulateBody(), zeroBody(), subtractBody(), fixBody(), scanReverseBody(), scanForwardBody(), partitionBody()],
);

export type AccumulateKernel = (
  slots: number, numFeatures: number, featureStart: number, featureEnd: number, rows: number,
  begin: number, count: number, gradients: number, hessians: number, hist: number,
) => void;

/** Arguments as in `scanKernel.ts`; returns 1 when splittable. */
export type ScanKernel = (
  hist: number, numBin: number, offset: number, defaultBin: number, skipDefaultBin: number, naAsMissing: number,
  sumGradient: number, sumHessian: number, numData: number, minGainShift: number,
  minDataInLeaf: number, minSumHessianInLeaf: number, l2: number, out: number,
) => number;

export interface TrainKernels {
  accumulate: AccumulateKernel;
  zero(at: number, bytes: number): void;
  subtract(parent: number, smaller: number, length: number): void;
  fix(hist: number, numBin: number, mostFreqBin: number, sumGradient: number, sumHessian: number): void;
  scanReverse: ScanKernel;
  scanForward: ScanKernel;
  partition(column: number, rows: number, begin: number, count: number, goesLeft: number, scratch: number): number;
}

/** The learner's memory is always shared: worker threads fill histograms in it. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}

/** A shared wasm memory of `bytes` (rounded up to pages), or null when wasm is unavailable or it is too big. */
export function createKernelMemory(bytes: number): WasmMemory | null {
  const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
  // Kernel addresses are i32 and compared signed in the row loops: stay below 2 GiB.
  if (wasm === undefined || pages >= 32768) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true }) as WasmMemory;
  } catch {
    // No room for one more wasm memory (address space or engine limits): use plain buffers.
    return null;
  }
}

export function instantiateTrainKernels(memory: WasmMemory): TrainKernels {
  if (wasm === undefined) throw new Error("WebAssembly is not available");
  const module = new wasm.Module(new Uint8Array(TRAIN_KERNEL_BYTES));
  return new wasm.Instance(module, { env: { memory } }).exports as unknown as TrainKernels;
}
