import { isLarderError, LarderError } from "../errors.js";
import { CliContext, jsonReplacer } from "./context.js";

/**
 * Prints an error as one line plus a hint (a stack only with --debug) and returns the exit code:
 * 2 for usage errors, 1 for everything else. An error that is not a LarderError is a bug.
 */
export function renderError(err: unknown, ctx: CliContext): number {
  const known = isLarderError(err);
  const error: LarderError = known
    ? err
    : new LarderError("INTERNAL_ERROR", `Internal error: ${err instanceof Error ? err.message : String(err)}`, {
        hint: "This is a bug in Larder. Run again with --debug and report the output.",
        cause: err,
      });
  const c = ctx.err;
  const firstLine = error.message.split("\n")[0] ?? "";
  ctx.io.stderr.write(`${c.red("error:")} ${firstLine}\n`);
  if (error.hint) ctx.io.stderr.write(`${c.dim("hint:")} ${error.hint}\n`);
  if (ctx.flags.debug) {
    const stackSource = known ? err : err instanceof Error ? err : error;
    ctx.io.stderr.write(`${stackSource.stack ?? ""}\n`);
    if (error.cause instanceof Error && error.cause !== stackSource) ctx.io.stderr.write(`caused by: ${error.cause.stack ?? error.cause.message}\n`);
  }
  if (ctx.flags.json) ctx.io.stdout.write(`${JSON.stringify({ error: error.toJSON() }, jsonReplacer)}\n`);
  return error.exitCode;
}
