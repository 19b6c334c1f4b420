/**
 * Worker threads for batch prediction: worker `i` runs the forest kernel over lane `i + 1` of the
 * shared forest memory whenever it is commanded (see `commandedThreads.ts`).
 */
import { ARGS, CommandedThreads, commandLoopSource } from "./commandedThreads.js";
import type { TreeWindow } from "./predictKernel.js";
import type { ForestLayout } from "./wasmForest.js";

/** Command arguments: rows, trees, NaN flag. */
const NUM_ROWS = ARGS;
const FIRST_TREE = ARGS + 1;
const END_TREE = ARGS + 2;
const PER_ITERATION = ARGS + 3;
const WITH_NAN = ARGS + 4;
const NUM_ARGS = 5;

function workerSource(kernelBytes: readonly number[]): string {
  return `
const { workerData: s } = require("node:worker_threads");
const control = new Int32Array(s.control);
const module = new WebAssembly.Module(new Uint8Array(${JSON.stringify(kernelBytes)}));
const kernels = new WebAssembly.Instance(module, { env: { memory: s.memory } }).exports;
${commandLoopSource(`
  const kernel = control[${WITH_NAN}] ? kernels.forest : kernels.forestNoNaN;
  kernel(s.rowsAt, control[${NUM_ROWS}], s.rootsAt, control[${FIRST_TREE}], control[${END_TREE}],
    control[${PER_ITERATION}], s.rowsAt + s.scoresOffset, s.leafLimit);`)}`;
}

export class ForestWorkers {
  private readonly threads: CommandedThreads;
  private readonly started: boolean[];
  private sequence = 0;

  constructor(layout: ForestLayout, count: number) {
    const workerData = Array.from({ length: count }, (_, i) => ({
      memory: layout.memory,
      rowsAt: layout.lane0 + (i + 1) * layout.laneBytes,
      scoresOffset: layout.scoresOffset,
      rootsAt: layout.rootsAt,
      leafLimit: layout.leafLimit,
    }));
    this.threads = new CommandedThreads(workerSource(layout.kernelBytes), workerData, NUM_ARGS, {
      what: "prediction",
      hint: "predict with numThreads: 1",
    });
    this.started = new Array<boolean>(count).fill(false);
  }

  /** Starts worker `i` on `numRows` rows already in its lane; `finish` waits for all started. */
  start(i: number, numRows: number, window: TreeWindow, withNaN: boolean): void {
    const control = this.threads.controls[i]!;
    if (!this.started.includes(true)) this.sequence++;
    this.started[i] = true;
    control[NUM_ROWS] = numRows;
    control[FIRST_TREE] = window.firstTree;
    control[END_TREE] = window.endTree;
    control[PER_ITERATION] = window.perIteration;
    control[WITH_NAN] = withNaN ? 1 : 0;
    this.threads.command(i, this.sequence);
  }

  finish(): void {
    this.started.forEach((started, i) => {
      if (!started) return;
      this.started[i] = false;
      this.threads.awaitDone(i, this.sequence);
    });
  }

  close(): void {
    this.threads.close();
  }
}
