/**
 * The histogram inner loop as a tiny WebAssembly function. It does exactly what
 * `accumulateFeatureRange` does (same additions in the same order, so identical sums) but runs
 * about 2.5× faster than the JavaScript loop, which pays a bounds check on every histogram
 * access. The module is written out as bytes here because it is 200 bytes and has no build step.
 *
 *   (func $accumulate (param $slots i32) (param $numFeatures i32) (param $featureStart i32)
 *       (param $featureEnd i32) (param $rows i32) (param $begin i32) (param $count i32)
 *       (param $gradients i32) (param $hessians i32) (param $hist i32)
 *     (local $i i32) (local $j i32) (local $end i32) (local $p i32) (local $base i32)
 *     (local $g f64) (local $h f64)
 *     (block (loop
 *       (br_if 1 (i32.ge_s (local.get $i) (local.get $count)))
 *       (local.set $g (f64.load (i32.add (local.get $gradients) (i32.shl (local.get $i) (i32.const 3)))))
 *       (local.set $h (f64.load (i32.add (local.get $hessians) (i32.shl (local.get $i) (i32.const 3)))))
 *       (local.set $base (i32.mul (i32.load (i32.add (local.get $rows)
 *           (i32.shl (i32.add (local.get $begin) (local.get $i)) (i32.const 2)))) (local.get $numFeatures)))
 *       (local.set $j (i32.add (local.get $slots) (i32.shl (i32.add (local.get $base) (local.get $featureStart)) (i32.const 1))))
 *       (local.set $end (i32.add (local.get $slots) (i32.shl (i32.add (local.get $base) (local.get $featureEnd)) (i32.const 1))))
 *       (block (loop
 *         (br_if 1 (i32.ge_u (local.get $j) (local.get $end)))
 *         (local.tee $p (i32.add (local.get $hist) (i32.shl (i32.load16_u (local.get $j)) (i32.const 4))))
 *         (f64.store (f64.add (f64.load (local.get $p)) (local.get $g)))
 *         (f64.store offset=8 (local.get $p) (f64.add (f64.load offset=8 (local.get $p)) (local.get $h)))
 *         (local.set $j (i32.add (local.get $j) (i32.const 2)))
 *         (br 0)))
 *       (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *       (br 0))))
 *
 * All pointers are byte offsets into the imported shared memory `env.memory`; slots are uint16.
 */

import { ascii, leb128, OP, section, TYPE_F64, TYPE_I32, WASM_HEADER, WASM_PAGE_BYTES, wasmApi as wasm } from "../wasmEncoding.js";

const { BLOCK, LOOP, END, BR, BR_IF, VOID, GET, SET, TEE, I32_CONST } = OP;
const { I32_LOAD, I32_LOAD16_U, F64_LOAD, F64_STORE, I32_GE_S, I32_GE_U, I32_ADD, I32_MUL, I32_SHL, F64_ADD } = OP;
const I32 = TYPE_I32, F64 = TYPE_F64;
// Parameters and locals by index.
const SLOTS = 0, NUM_FEATURES = 1, FEATURE_START = 2, FEATURE_END = 3, ROWS = 4, BEGIN = 5, COUNT = 6;
const GRADIENTS = 7, HESSIANS = 8, HIST = 9, I = 10, J = 11, END_PTR = 12, P = 13, BASE = 14, G = 15, H = 16;

const BODY = [
  2, 5, I32, 2, F64, // locals: 5 × i32, 2 × f64
  BLOCK, VOID, LOOP, VOID,
  GET, I, GET, COUNT, I32_GE_S, BR_IF, 1,
  GET, GRADIENTS, GET, I, I32_CONST, 3, I32_SHL, I32_ADD, F64_LOAD, 3, 0, SET, G,
  GET, HESSIANS, GET, I, I32_CONST, 3, I32_SHL, I32_ADD, F64_LOAD, 3, 0, SET, H,
  GET, ROWS, GET, BEGIN, GET, I, I32_ADD, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, 2, 0, GET, NUM_FEATURES, I32_MUL, SET, BASE,
  GET, SLOTS, GET, BASE, GET, FEATURE_START, I32_ADD, I32_CONST, 1, I32_SHL, I32_ADD, SET, J,
  GET, SLOTS, GET, BASE, GET, FEATURE_END, I32_ADD, I32_CONST, 1, I32_SHL, I32_ADD, SET, END_PTR,
  BLOCK, VOID, LOOP, VOID,
  GET, J, GET, END_PTR, I32_GE_U, BR_IF, 1,
  GET, HIST, GET, J, I32_LOAD16_U, 1, 0, I32_CONST, 4, I32_SHL, I32_ADD, TEE, P,
  GET, P, F64_LOAD, 3, 0, GET, G, F64_ADD, F64_STORE, 3, 0,
  GET, P, GET, P, F64_LOAD, 3, 8, GET, H, F64_ADD, F64_STORE, 3, 8,
  GET, J, I32_CONST, 2, I32_ADD, SET, J,
  BR, 0, END, END,
  GET, I, I32_CONST, 1, I32_ADD, SET, I,
  BR, 0, END, END, END,
];

/** The module's bytes; it imports `env.memory` (shared, up to 4 GiB) and exports `accumulate`. */
export const HISTOGRAM_KERNEL_BYTES: readonly number[] = [
  ...WASM_HEADER,
  ...section(1, [1, 0x60, 10, ...new Array<number>(10).fill(I32), 0]),
  ...section(2, [1, ...ascii("env"), ...ascii("memory"), 0x02, 0x03, 0, ...leb128(65536)]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...ascii("accumulate"), 0x00, 0]),
  ...section(10, [1, ...leb128(BODY.length), ...BODY]),
];

export type AccumulateKernel = (
  slots: number,
  numFeatures: number,
  featureStart: number,
  featureEnd: number,
  rows: number,
  begin: number,
  count: number,
  gradients: number,
  hessians: number,
  hist: number,
) => void;

/** The histogram memory is always shared: worker threads fill histograms in it. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}

/** A shared wasm memory of `bytes` (rounded up to pages), or null when wasm is unavailable or it is too big. */
export function createKernelMemory(bytes: number): WasmMemory | null {
  const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
  // Kernel addresses are i32 and compared signed for the row loop: stay below 2 GiB.
  if (wasm === undefined || pages >= 32768) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true }) as WasmMemory;
  } catch {
    // No room for one more wasm memory (address space or engine limits): use plain buffers.
    return null;
  }
}

export function instantiateKernel(memory: WasmMemory): AccumulateKernel {
  if (wasm === undefined) throw new Error("WebAssembly is not available");
  const module = new wasm.Module(new Uint8Array(HISTOGRAM_KERNEL_BYTES));
  const instance = new wasm.Instance(module, { env: { memory } });
  return instance.exports.accumulate as AccumulateKernel;
}
