import { resolve } from "node:path";
import { Chalk, type ChalkInstance } from "chalk";
import type { CliIO } from "./io.js";
import { createProgressBar, createSpinner, type ProgressBar, type Spinner } from "./progress.js";

export interface GlobalFlags {
  json: boolean;
  debug: boolean;
  quiet: boolean;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(io: CliIO, stream: "stdout" | "stderr"): boolean {
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return false;
  return io[stream].isTTY === true;
}

/**
 * What a command needs to talk to the user: results to stdout (JSON with --json), messages,
 * spinners and progress to stderr. Commands never write to the process directly.
 */
export class CliContext {
  readonly out: ChalkInstance;
  readonly err: ChalkInstance;

  constructor(
    readonly io: CliIO,
    readonly flags: GlobalFlags,
  ) {
    this.out = new Chalk({ level: colorEnabled(io, "stdout") ? 1 : 0 });
    this.err = new Chalk({ level: colorEnabled(io, "stderr") ? 1 : 0 });
  }

  /** Prints a command's result: `data` as JSON with --json, else the human rendering. */
  result<T>(data: T, human: (data: T) => string): void {
    if (this.flags.json) {
      this.io.stdout.write(`${JSON.stringify(data, jsonReplacer, 2)}\n`);
    } else {
      const text = human(data);
      if (text !== "") this.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
  }

  /** A user-given path, relative to the working directory of this invocation. */
  resolvePath(path: string): string {
    return resolve(this.io.cwd, path);
  }

  info(message: string): void {
    if (!this.flags.quiet) this.io.stderr.write(`${message}\n`);
  }

  warn(message: string): void {
    this.io.stderr.write(`${this.err.yellow("warning:")} ${message}\n`);
  }

  spinner(text: string): Promise<Spinner> {
    return createSpinner(this.io.stderr, text, { quiet: this.flags.quiet, color: colorEnabled(this.io, "stderr") });
  }

  progress(label: string, total: number, unit?: string): Promise<ProgressBar> {
    return createProgressBar(this.io.stderr, label, total, { quiet: this.flags.quiet, unit });
  }

  /** A table for stdout; borders and header colours only when stdout is a colour terminal. */
  async table(head: string[], rows: readonly (readonly (string | number | null | undefined)[])[]): Promise<string> {
    const { default: Table } = await import("cli-table3");
    const colored = colorEnabled(this.io, "stdout");
    const table = new Table({
      head: head.map((h) => (colored ? this.out.bold(h) : h)),
      style: { head: [], border: [], compact: false },
      chars: colored ? {} : plainTableChars,
    });
    for (const row of rows) table.push(row.map((v) => (v === null || v === undefined ? "" : String(v))));
    return table.toString();
  }
}

/** Plain ASCII borders, so piped output stays greppable. */
const plainTableChars = {
  top: "-", "top-mid": "+", "top-left": "+", "top-right": "+",
  bottom: "-", "bottom-mid": "+", "bottom-left": "+", "bottom-right": "+",
  left: "|", "left-mid": "+", mid: "-", "mid-mid": "+",
  right: "|", "right-mid": "+", middle: "|",
};

/** bigint (DuckDB BIGINT) and Date values serialise as numbers and ISO strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}
