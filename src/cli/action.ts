import { InvalidArgumentError, type Command } from "commander";
import { CliContext, type GlobalFlags } from "./context.js";
import type { CliIO } from "./io.js";

/** Shared by every command of one `main` call: where to write, and the exit code chosen. */
export interface RunState {
  io: CliIO;
  exitCode: number;
}

export type CommandHandler = (ctx: CliContext, args: string[], opts: Record<string, unknown>) => Promise<number | void>;

export function contextFor(command: Command, state: RunState): CliContext {
  const all = command.optsWithGlobals() as Partial<GlobalFlags>;
  return new CliContext(state.io, { json: all.json === true, debug: all.debug === true, quiet: all.quiet === true });
}

/** Adapts a handler to commander's action signature: positional args, then opts, then the command. */
export function handle(state: RunState, handler: CommandHandler) {
  return async (...received: unknown[]): Promise<void> => {
    const command = received[received.length - 1] as Command;
    const opts = command.opts() as Record<string, unknown>;
    const args = received.slice(0, -2).flat().filter((a): a is string => typeof a === "string");
    const code = await handler(contextFor(command, state), args, opts);
    state.exitCode = code ?? 0;
  };
}

export function parseIntegerOption(name: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be an integer.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}.`);
    return n;
  };
}

export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of ${choices.join(", ")}.`);
    }
    return value as T;
  };
}
