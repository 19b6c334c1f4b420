import type { Command } from "commander";
import { handle, parseIntegerOption, type RunState } from "../action.js";

export function registerInit(program: Command, state: RunState): void {
  program
    .command("init")
    .description("scaffold the wearable activity example: feature repo, synthetic data, README")
    .argument("[dir]", "folder of the new project", "activity")
    .option("--force", "write into a non-empty folder")
    .option("--participants <n>", "participants in the generated data", parseIntegerOption("--participants", 1, 100_000), 50)
    .option("--days <n>", "days of recordings in the generated data", parseIntegerOption("--days", 1, 3650), 7)
    .option("--seed <n>", "random seed of the generated data", parseIntegerOption("--seed"), 42)
    .action(
      handle(state, async (ctx, [dir], opts) => {
        const { initProject } = await import("../../project/index.js");
        const spinner = await ctx.spinner(`Creating project in ${dir}`);
        try {
          const result = await initProject({
            dir: ctx.resolvePath(dir ?? "activity"),
            force: opts.force === true,
            participants: opts.participants as number,
            days: opts.days as number,
            seed: opts.seed as number,
          });
          spinner.succeed(`Created ${result.dir}`);
          ctx.result(result, (r) =>
            [
              `Created a Larder project in ${r.dir}`,
              ...r.files.map((f) => `  ${f}`),
              ...Object.entries(r.data.rows).map(([t, n]) => `  data/${t}.parquet (${n} rows)`),
              "",
              `Next: cd ${dir ?? "activity"} && cat README.md`,
            ].join("\n"),
          );
        } catch (err) {
          spinner.fail("Project not created");
          throw err;
        }
      }),
    );
}
