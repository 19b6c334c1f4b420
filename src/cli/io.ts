/** Where the CLI writes, and what it knows of its terminal; tests pass an in-memory one. */
export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}

export interface MemoryIO extends CliIO {
  stdoutText(): string;
  stderrText(): string;
}

/** An IO that records everything written, for in-process tests of `main`. */
export function memoryIO(options: { tty?: boolean; columns?: number; env?: Record<string, string | undefined>; cwd?: string } = {}): MemoryIO {
  const out: string[] = [];
  const err: string[] = [];
  const tty = options.tty ?? false;
  return {
    stdout: { write: (t: string) => out.push(t), isTTY: tty, columns: options.columns ?? (tty ? 100 : 0) },
    stderr: { write: (t: string) => err.push(t), isTTY: tty, columns: options.columns ?? (tty ? 100 : 0) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdoutText: () => out.join(""),
    stderrText: () => err.join(""),
  };
}
