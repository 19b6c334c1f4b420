/**
 * Worker threads driven through a few shared Int32 words each, so the calling thread can hand
 * out work and block until it is done (Atomics) and the booster's training and prediction stay
 * synchronous. Word 0 is the command sequence (−1 = exit), word 1 the sequence last done; the
 * words from `ARGS` on are the command's arguments, laid out by each user.
 */
import { Worker } from "node:worker_threads";
import { LarderError } from "../errors.js";

const CMD = 0;
const DONE = 1;
export const ARGS = 2;
const WAIT_LIMIT_MS = 120_000;

/**
 * The worker's main loop as source text: it waits for a new command in `control`, runs `body`
 * (statements that may read `control[ARGS + i]`), and reports it done.
 */
export function commandLoopSource(body: string): string {
  return `
let last = 0;
for (;;) {
  Atomics.wait(control, ${CMD}, last);
  const seq = Atomics.load(control, ${CMD});
  if (seq < 0) break;
  ${body}
  Atomics.store(control, ${DONE}, seq);
  Atomics.notify(control, ${DONE});
  last = seq;
}`;
}

export class CommandedThreads {
  private readonly workers: Worker[] = [];
  /** Per thread: its control words; arguments go to `controls[i][ARGS + k]` before `command`. */
  readonly controls: Int32Array[] = [];

  /**
   * One thread per `workerData` entry, each running `source` (which must define `control` from
   * `workerData.control` before `commandLoopSource`) with `control` added to its data.
   */
  constructor(source: string, workerData: readonly object[], numArgs: number, private readonly failure: { what: string; hint: string }) {
    for (const data of workerData) {
      const control = new SharedArrayBuffer((ARGS + numArgs) * 4);
      const worker = new Worker(source, { eval: true, workerData: { ...data, control } });
      worker.unref();
      this.workers.push(worker);
      this.controls.push(new Int32Array(control));
    }
  }

  /** Starts thread `i` on command `sequence` (its arguments already written). */
  command(i: number, sequence: number): void {
    Atomics.store(this.controls[i]!, CMD, sequence);
    Atomics.notify(this.controls[i]!, CMD);
  }

  /** Blocks until thread `i` has done command `sequence`. */
  awaitDone(i: number, sequence: number): void {
    const control = this.controls[i]!;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === sequence) return;
      if (Atomics.wait(control, DONE, done, WAIT_LIMIT_MS) === "timed-out") {
        throw new LarderError("INTERNAL_ERROR", `a ${this.failure.what} worker thread did not answer`, { hint: this.failure.hint });
      }
    }
  }

  close(): void {
    for (let i = 0; i < this.controls.length; i++) this.command(i, -1);
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
    this.controls.length = 0;
  }
}
