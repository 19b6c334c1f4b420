import { join } from "node:path";
import type { Command } from "commander";
import { handle, parseChoice, parseIntegerOption, type RunState } from "../action.js";
import type { CliContext } from "../context.js";
import type { DatasetSummary } from "../../datagen/index.js";

const FORMATS = ["parquet", "csv"] as const;

async function printSummary(ctx: CliContext, summary: DatasetSummary): Promise<void> {
  const table = await ctx.table(
    ["table", "rows", "file"],
    Object.entries(summary.files).map(([name, file]) => [name, summary.rows[name] ?? "", file]),
  );
  ctx.result(summary, () => table);
}

export function registerDatagen(program: Command, state: RunState): void {
  const datagen = program
    .command("datagen")
    .description("generate synthetic wearable data or import the real Apple Watch / Fitbit study or UCI Adult");

  datagen
    .command("wearable")
    .description("generate participants, minute-level wearable events and activity labels")
    .option("--participants <n>", "number of participants", parseIntegerOption("--participants", 1, 100_000), 50)
    .option("--days <n>", "days of minute-level recordings per participant", parseIntegerOption("--days", 1, 3650), 7)
    .option("--seed <n>", "random seed (same seed, same bytes)", parseIntegerOption("--seed"), 42)
    .option("--start <time>", "first minute of the recordings (ISO 8601, UTC)")
    .option("-o, --out <dir>", "output folder", "data")
    .option("--format <format>", "parquet or csv", parseChoice("--format", FORMATS), "parquet")
    .action(
      handle(state, async (ctx, _args, opts) => {
        const { generateWearable } = await import("../../datagen/index.js");
        const spinner = await ctx.spinner(`Generating ${opts.participants} participants x ${opts.days} days`);
        try {
          const summary = await generateWearable({
            participants: opts.participants as number,
            days: opts.days as number,
            seed: opts.seed as number,
            start: opts.start as string | undefined,
            outDir: ctx.resolvePath(opts.out as string),
            format: opts.format as (typeof FORMATS)[number],
          });
          spinner.succeed(`Generated ${summary.rows.wearable_events} events in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
          await printSummary(ctx, summary);
        } catch (err) {
          spinner.fail("Generation failed");
          throw err;
        }
      }),
    );

  datagen
    .command("import-aw-fb")
    .description("convert the real Apple Watch / Fitbit file (aw_fb_data.csv) into the same three tables")
    .argument("<path>", "path of aw_fb_data.csv")
    .option("-o, --out <dir>", "output folder", "data")
    .option("--format <format>", "parquet or csv", parseChoice("--format", FORMATS), "parquet")
    .option("--start <time>", "first minute of each participant's Apple Watch recording (ISO 8601, UTC)")
    .action(
      handle(state, async (ctx, [path], opts) => {
        const { importAwFb } = await import("../../datagen/index.js");
        const spinner = await ctx.spinner(`Importing ${path}`);
        try {
          const summary = await importAwFb({
            path: ctx.resolvePath(path!),
            outDir: ctx.resolvePath(opts.out as string),
            format: opts.format as (typeof FORMATS)[number],
            start: opts.start as string | undefined,
          });
          spinner.succeed(`Imported ${summary.rows.wearable_events} events of ${summary.rows.participants} participants`);
          await printSummary(ctx, summary);
        } catch (err) {
          spinner.fail("Import failed");
          throw err;
        }
      }),
    );

  datagen
    .command("import-adult")
    .description("convert UCI Adult (adult.data + adult.test) into people and income_labels tables")
    .argument("<dir>", "folder holding adult.data and adult.test")
    .option("-o, --out <dir>", "output folder", "data")
    .option("--format <format>", "parquet or csv", parseChoice("--format", FORMATS), "parquet")
    .action(
      handle(state, async (ctx, [dir], opts) => {
        const { importAdult } = await import("../../datagen/index.js");
        const spinner = await ctx.spinner(`Importing UCI Adult from ${dir}`);
        try {
          const folder = ctx.resolvePath(dir!);
          const summary = await importAdult({
            dataPath: join(folder, "adult.data"),
            testPath: join(folder, "adult.test"),
            outDir: ctx.resolvePath(opts.out as string),
            format: opts.format as (typeof FORMATS)[number],
          });
          spinner.succeed(`Imported ${summary.splits.train} training and ${summary.splits.test} test people`);
          await printSummary(ctx, summary);
        } catch (err) {
          spinner.fail("Import failed");
          throw err;
        }
      }),
    );
}
