import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { handle, type RunState } from "../action.js";

export function registerValidate(program: Command, state: RunState): void {
  program
    .command("validate")
    .description("check a CSV or Parquet file against expectations (YAML); exit 1 when any fails")
    .argument("<data>", "the data file (.csv or .parquet)")
    .requiredOption("-e, --expectations <file>", "expectations: YAML (row_count, freshness, columns: type, not_null, max_null_percent, range, allowed, unique) or a .js/.mjs module")
    .option("--now <time>", "measure freshness against this ISO time instead of the clock")
    .action(
      handle(state, async (ctx, [data], opts) => {
        let now: Date | undefined;
        if (typeof opts.now === "string") {
          now = new Date(opts.now);
          if (Number.isNaN(now.getTime())) throw new UsageError(`--now '${opts.now}' is not a time`, { hint: "Use ISO 8601, e.g. 2026-01-31T12:00:00Z." });
        }
        const { validateData } = await import("../../monitoring/index.js");
        const report = await validateData(ctx.resolvePath(data!), ctx.resolvePath(opts.expectations as string), now === undefined ? {} : { now });
        const table = await ctx.table(
          ["expectation", "column", "result", "observed", "expected"],
          report.results.map((r) => [r.expectation, r.column ?? "", r.passed ? ctx.out.green("PASS") : ctx.out.red("FAIL"), r.observed, r.expected]),
        );
        ctx.result(report, (r) =>
          [
            table,
            r.passed
              ? `All ${r.results.length} expectations passed on ${r.rows} rows of ${data}.`
              : `${r.failures} of ${r.results.length} expectations failed on ${r.rows} rows of ${data}.`,
          ].join("\n"),
        );
        // A failed check is a finding, not an error: the report stands, and CI sees exit 1.
        return report.passed ? 0 : 1;
      }),
    );
}
