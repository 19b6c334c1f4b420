import { CommanderError, type Command } from "commander";
import { UsageError } from "../errors.js";
import { suggestNearest } from "../core/suggest.js";
import type { RunState } from "./action.js";
import { CliContext } from "./context.js";
import { processIO, type CliIO } from "./io.js";
import { buildProgram } from "./program.js";
import { renderError } from "./renderError.js";

/** Flags read before parsing, so that errors in parsing itself honour them. */
function earlyFlags(argv: readonly string[]): { json: boolean; debug: boolean; quiet: boolean } {
  const before = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  return { json: before.includes("--json"), debug: before.includes("--debug"), quiet: before.includes("--quiet") || before.includes("-q") };
}

/** The command path (`larder fs apply`) that a commander error happened in. */
function commandPath(program: Command, argv: readonly string[]): { command: Command; path: string } {
  let command = program;
  const names = ["larder"];
  for (const arg of argv) {
    if (arg.startsWith("-")) continue;
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    command = sub;
    names.push(sub.name());
  }
  return { command, path: names.join(" ") };
}

function usageErrorFrom(err: CommanderError, program: Command, argv: readonly string[]): UsageError {
  const message = err.message.replace(/^error: /, "").split("\n")[0] ?? err.message;
  const { command, path } = commandPath(program, argv);
  if (err.code === "commander.unknownCommand") {
    const unknown = /'([^']*)'/.exec(message)?.[1] ?? "";
    const nearest = suggestNearest(unknown, command.commands.map((c) => c.name()));
    return new UsageError(message, {
      hint: nearest ? `Did you mean '${path} ${nearest}'? Run '${path} --help' for all commands.` : `Run '${path} --help' for all commands.`,
    });
  }
  if (err.code === "commander.unknownOption") {
    const unknown = /'([^']*)'/.exec(message)?.[1] ?? "";
    const flags = command.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f);
    const nearest = suggestNearest(unknown, [...flags, "--json", "--debug", "--quiet", "--help"]);
    return new UsageError(message, {
      hint: nearest ? `Did you mean ${nearest}? Run '${path} --help' for the options.` : `Run '${path} --help' for the options.`,
    });
  }
  return new UsageError(message, { hint: `Run '${path} --help' for usage.` });
}

/**
 * Runs the CLI in-process and returns the exit code: 0 success, 1 runtime error, 2 usage error.
 * Nothing here calls process.exit, so tests can call it with an in-memory IO.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const state: RunState = { io, exitCode: 0 };
  const program = buildProgram(state);
  const ctx = new CliContext(io, earlyFlags(argv));
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
      // A group called without a subcommand: commander has already shown its help.
      if (err.code === "commander.help" || err.code === "commander.executeSubCommandAsync") return 2;
      return renderError(usageErrorFrom(err, program, argv), ctx);
    }
    return renderError(err, ctx);
  }
}
