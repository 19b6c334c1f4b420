import { main } from "../../src/cli/main.js";
import { memoryIO } from "../../src/cli/io.js";

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `larder ARGV` in-process with an in-memory, non-TTY terminal. */
export async function runCli(argv: string[], options: { cwd?: string; env?: Record<string, string>; tty?: boolean } = {}): Promise<CliRun> {
  const io = memoryIO({ cwd: options.cwd, env: options.env, tty: options.tty });
  const exitCode = await main(argv, io);
  return { exitCode, stdout: io.stdoutText(), stderr: io.stderrText() };
}
