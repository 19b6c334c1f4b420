/**
 * Histogram construction split across worker threads by feature: each thread sums a contiguous
 * range of features over the same rows in the same order, so every bin gets exactly the additions
 * a single thread would make, in the same order, and models do not depend on the thread count.
 * The caller blocks until all ranges are done (Atomics), keeping `train` synchronous.
 */
import { ARGS, CommandedThreads, commandLoopSource } from "../commandedThreads.js";
import { accumulateFeatureRange } from "./histogram.js";
import { TRAIN_KERNEL_BYTES } from "./trainKernels.js";
import type { SharedStorage } from "./histogramStorage.js";

/** Command arguments: histogram offset (doubles), begin, count. */
const HIST_OFFSET = ARGS;
const BEGIN = ARGS + 1;
const COUNT = ARGS + 2;
const NUM_ARGS = 3;

interface WorkerSetup {
  storage: SharedStorage;
  featureStart: number;
  featureEnd: number;
  slotStart: number;
  slotEnd: number;
}

/**
 * The worker's program, as source text: it rebuilds views on the shared storage (or instantiates
 * the wasm kernel on the shared memory) and runs its feature range whenever the command word
 * changes.
 */
function workerSource(): string {
  return `
const { workerData: s } = require("node:worker_threads");
const control = new Int32Array(s.control);
const st = s.storage;
let run;
if (st.kind === "wasm") {
  const module = new WebAssembly.Module(new Uint8Array(${JSON.stringify(TRAIN_KERNEL_BYTES)}));
  const kernels = new WebAssembly.Instance(module, { env: { memory: st.memory } }).exports;
  run = (begin, count, poolOffset) => {
    kernels.zero(st.pool + 8 * (poolOffset + 2 * s.slotStart), 16 * (s.slotEnd - s.slotStart));
    kernels.accumulate(st.slots, st.numFeatures, s.featureStart, s.featureEnd, st.rows, begin, count, st.gradients, st.hessians, st.pool + 8 * poolOffset);
  };
} else {
  const accumulate = ${accumulateFeatureRange.toString()};
  const slots = st.wideSlots ? new Int32Array(st.slots) : new Uint16Array(st.slots);
  const rows = new Int32Array(st.rows);
  const gradients = new Float32Array(st.gradients);
  const hessians = new Float32Array(st.hessians);
  const pool = new Float64Array(st.pool);
  run = (begin, count, poolOffset) => accumulate(slots, st.numFeatures, s.featureStart, s.featureEnd,
    s.slotStart, s.slotEnd, rows, begin, count, gradients, hessians, pool, poolOffset);
}
${commandLoopSource(`run(control[${BEGIN}], control[${COUNT}], control[${HIST_OFFSET}]);`)}`;
}

/** Worker threads that each own a feature range; the calling thread takes the first range. */
export class HistogramWorkers {
  private readonly threads: CommandedThreads;
  private sequence = 0;
  /** The calling thread's own range: features [0, featureEnd), slots [0, slotEnd). */
  readonly featureEnd: number;
  readonly slotEnd: number;

  constructor(storage: SharedStorage, numFeatures: number, featureSlotStarts: Int32Array, totalBins: number, numThreads: number) {
    const bounds = Array.from({ length: numThreads + 1 }, (_, t) => Math.round((t * numFeatures) / numThreads));
    const slotOf = (f: number): number => (f >= numFeatures ? totalBins : featureSlotStarts[f]!);
    this.featureEnd = bounds[1]!;
    this.slotEnd = slotOf(bounds[1]!);
    const setups: WorkerSetup[] = Array.from({ length: numThreads - 1 }, (_, i) => ({
      storage,
      featureStart: bounds[i + 1]!,
      featureEnd: bounds[i + 2]!,
      slotStart: slotOf(bounds[i + 1]!),
      slotEnd: slotOf(bounds[i + 2]!),
    }));
    this.threads = new CommandedThreads(workerSource(), setups, NUM_ARGS, { what: "histogram", hint: "train with num_threads=1" });
  }

  /** Start the workers' ranges of one histogram build; call `finish` after doing the own range. */
  start(histOffset: number, begin: number, count: number): void {
    this.sequence++;
    this.threads.controls.forEach((control, i) => {
      control[HIST_OFFSET] = histOffset;
      control[BEGIN] = begin;
      control[COUNT] = count;
      this.threads.command(i, this.sequence);
    });
  }

  finish(): void {
    for (let i = 0; i < this.threads.controls.length; i++) this.threads.awaitDone(i, this.sequence);
  }

  close(): void {
    this.threads.close();
  }
}
