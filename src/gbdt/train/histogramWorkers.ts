/**
 * Histogram construction split across worker threads by feature: each thread sums a contiguous
 * range of features over the same rows in the same order, so every bin gets exactly the additions
 * a single thread would make, in the same order, and models do not depend on the thread count.
 * The caller blocks until all ranges are done (Atomics), keeping `train` synchronous.
 */
import { Worker } from "node:worker_threads";
import { LarderError } from "../../errors.js";
import { accumulateFeatureRange } from "./histogram.js";
import { HISTOGRAM_KERNEL_BYTES } from "./histogramKernel.js";
import type { SharedStorage } from "./histogramStorage.js";

/** Control words per worker: command sequence (−1 = exit), histogram offset (doubles), begin, count, done sequence. */
const CMD = 0;
const HIST_OFFSET = 1;
const BEGIN = 2;
const COUNT = 3;
const DONE = 4;
const CONTROL_WORDS = 5;
const WAIT_LIMIT_MS = 120_000;

interface WorkerSetup {
  control: SharedArrayBuffer;
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
  const module = new WebAssembly.Module(new Uint8Array(${JSON.stringify(HISTOGRAM_KERNEL_BYTES)}));
  const kernel = new WebAssembly.Instance(module, { env: { memory: st.memory } }).exports.accumulate;
  const pool = new Float64Array(st.memory.buffer, st.pool);
  run = (begin, count, poolOffset) => {
    pool.fill(0, poolOffset + 2 * s.slotStart, poolOffset + 2 * s.slotEnd);
    kernel(st.slots, st.numFeatures, s.featureStart, s.featureEnd, st.rows, begin, count, st.gradients, st.hessians, st.pool + 8 * poolOffset);
  };
} else {
  const accumulate = ${accumulateFeatureRange.toString()};
  const slots = st.wideSlots ? new Int32Array(st.slots) : new Uint16Array(st.slots);
  const rows = new Int32Array(st.rows);
  const gradients = new Float64Array(st.gradients);
  const hessians = new Float64Array(st.hessians);
  const pool = new Float64Array(st.pool);
  run = (begin, count, poolOffset) => accumulate(slots, st.numFeatures, s.featureStart, s.featureEnd,
    s.slotStart, s.slotEnd, rows, begin, count, gradients, hessians, pool, poolOffset);
}
let last = 0;
for (;;) {
  Atomics.wait(control, ${CMD}, last);
  const seq = Atomics.load(control, ${CMD});
  if (seq < 0) break;
  run(control[${BEGIN}], control[${COUNT}], control[${HIST_OFFSET}]);
  Atomics.store(control, ${DONE}, seq);
  Atomics.notify(control, ${DONE});
  last = seq;
}`;
}

/** Worker threads that each own a feature range; the calling thread takes the first range. */
export class HistogramWorkers {
  private readonly workers: Worker[] = [];
  private readonly controls: Int32Array[] = [];
  private sequence = 0;
  /** The calling thread's own range: features [0, featureEnd), slots [0, slotEnd). */
  readonly featureEnd: number;
  readonly slotEnd: number;

  constructor(storage: SharedStorage, numFeatures: number, featureSlotStarts: Int32Array, totalBins: number, numThreads: number) {
    const bounds = Array.from({ length: numThreads + 1 }, (_, t) => Math.round((t * numFeatures) / numThreads));
    const slotOf = (f: number): number => (f >= numFeatures ? totalBins : featureSlotStarts[f]!);
    this.featureEnd = bounds[1]!;
    this.slotEnd = slotOf(bounds[1]!);
    const source = workerSource();
    for (let t = 1; t < numThreads; t++) {
      const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
      const setup: WorkerSetup = {
        control,
        storage,
        featureStart: bounds[t]!,
        featureEnd: bounds[t + 1]!,
        slotStart: slotOf(bounds[t]!),
        slotEnd: slotOf(bounds[t + 1]!),
      };
      const worker = new Worker(source, { eval: true, workerData: setup });
      worker.unref();
      this.workers.push(worker);
      this.controls.push(new Int32Array(control));
    }
  }

  /** Start the workers' ranges of one histogram build; call `finish` after doing the own range. */
  start(histOffset: number, begin: number, count: number): void {
    this.sequence++;
    for (const control of this.controls) {
      control[HIST_OFFSET] = histOffset;
      control[BEGIN] = begin;
      control[COUNT] = count;
      Atomics.store(control, CMD, this.sequence);
      Atomics.notify(control, CMD);
    }
  }

  finish(): void {
    for (const control of this.controls) {
      for (;;) {
        const done = Atomics.load(control, DONE);
        if (done === this.sequence) break;
        if (Atomics.wait(control, DONE, done, WAIT_LIMIT_MS) === "timed-out") {
          throw new LarderError("INTERNAL_ERROR", "a histogram worker thread did not answer", {
            hint: "train with num_threads=1",
          });
        }
      }
    }
  }

  close(): void {
    for (const control of this.controls) {
      Atomics.store(control, CMD, -1);
      Atomics.notify(control, CMD);
    }
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
    this.controls.length = 0;
  }
}
