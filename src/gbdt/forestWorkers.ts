/**
 * Worker threads for batch prediction: worker `i` runs the forest kernel over lane `i + 1` of the
 * shared forest memory whenever its command word changes. The caller blocks until they are done
 * (Atomics), keeping `predict` synchronous, as histogram construction does in training.
 */
import { Worker } from "node:worker_threads";
import { LarderError } from "../errors.js";
import type { TreeWindow } from "./predictKernel.js";
import type { ForestLayout } from "./wasmForest.js";

/** Control words per worker: command sequence (−1 = exit), rows, trees, NaN flag, done sequence. */
const CMD = 0;
const NUM_ROWS = 1;
const FIRST_TREE = 2;
const END_TREE = 3;
const PER_ITERATION = 4;
const WITH_NAN = 5;
const DONE = 6;
const CONTROL_WORDS = 7;
const WAIT_LIMIT_MS = 120_000;

function workerSource(kernelBytes: readonly number[]): string {
  return `
const { workerData: s } = require("node:worker_threads");
const control = new Int32Array(s.control);
const module = new WebAssembly.Module(new Uint8Array(${JSON.stringify(kernelBytes)}));
const kernels = new WebAssembly.Instance(module, { env: { memory: s.memory } }).exports;
let last = 0;
for (;;) {
  Atomics.wait(control, ${CMD}, last);
  const seq = Atomics.load(control, ${CMD});
  if (seq < 0) break;
  const kernel = control[${WITH_NAN}] ? kernels.forest : kernels.forestNoNaN;
  kernel(s.rowsAt, control[${NUM_ROWS}], s.rootsAt, control[${FIRST_TREE}], control[${END_TREE}],
    control[${PER_ITERATION}], s.rowsAt + s.scoresOffset, s.leafLimit);
  Atomics.store(control, ${DONE}, seq);
  Atomics.notify(control, ${DONE});
  last = seq;
}`;
}

export class ForestWorkers {
  private readonly workers: Worker[] = [];
  private readonly controls: Int32Array[] = [];
  private readonly started: boolean[] = [];
  private sequence = 0;

  constructor(layout: ForestLayout, count: number) {
    const source = workerSource(layout.kernelBytes);
    for (let i = 0; i < count; i++) {
      const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
      const workerData = {
        control,
        memory: layout.memory,
        rowsAt: layout.lane0 + (i + 1) * layout.laneBytes,
        scoresOffset: layout.scoresOffset,
        rootsAt: layout.rootsAt,
        leafLimit: layout.leafLimit,
      };
      const worker = new Worker(source, { eval: true, workerData });
      worker.unref();
      this.workers.push(worker);
      this.controls.push(new Int32Array(control));
      this.started.push(false);
    }
  }

  /** Starts worker `i` on `numRows` rows already in its lane; `finish` waits for all started. */
  start(i: number, numRows: number, window: TreeWindow, withNaN: boolean): void {
    const control = this.controls[i]!;
    if (!this.started.includes(true)) this.sequence++;
    this.started[i] = true;
    control[NUM_ROWS] = numRows;
    control[FIRST_TREE] = window.firstTree;
    control[END_TREE] = window.endTree;
    control[PER_ITERATION] = window.perIteration;
    control[WITH_NAN] = withNaN ? 1 : 0;
    Atomics.store(control, CMD, this.sequence);
    Atomics.notify(control, CMD);
  }

  finish(): void {
    this.controls.forEach((control, i) => {
      if (!this.started[i]) return;
      this.started[i] = false;
      for (;;) {
        const done = Atomics.load(control, DONE);
        if (done === this.sequence) return;
        if (Atomics.wait(control, DONE, done, WAIT_LIMIT_MS) === "timed-out") {
          throw new LarderError("INTERNAL_ERROR", "a prediction worker thread did not answer", {
            hint: "predict with numThreads: 1",
          });
        }
      }
    });
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
