import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { handle, type RunState } from "../action.js";
import { trackingUriFrom } from "../trackingOption.js";

export function registerPredict(program: Command, state: RunState): void {
  program
    .command("predict")
    .description("batch predictions from a LightGBM model over a CSV or Parquet file")
    .requiredOption("-m, --model <uri>", "model.txt path, model folder, runs:/RUN/model, models:/NAME/VERSION|STAGE or models:/NAME@ALIAS")
    .requiredOption("-i, --input <file>", "input rows (.csv or .parquet); feature columns matched by name")
    .requiredOption("-o, --output <file>", "output file (.csv or .parquet), one row per input row")
    .option("--raw-score", "raw scores instead of probabilities")
    .option("--pred-leaf", "leaf index per tree")
    .option("--pred-contrib", "feature contributions (TreeSHAP), plus the expected value")
    .option("--keep <columns>", "comma-separated input columns to copy to the output")
    .option("--tracking-uri <uri>", "tracking store for runs:/ and models:/ URIs (default: MLFLOW_TRACKING_URI, else ./mlruns)")
    .action(
      handle(state, async (ctx, _args, opts) => {
        const chosen = (["rawScore", "predLeaf", "predContrib"] as const).filter((k) => opts[k] === true);
        if (chosen.length > 1) throw new UsageError("--raw-score, --pred-leaf and --pred-contrib exclude each other", { hint: "Pick one." });
        const kind = chosen[0] === "rawScore" ? "raw" : chosen[0] === "predLeaf" ? "leaf" : chosen[0] === "predContrib" ? "contrib" : "probability";
        const { loadModelUri, predictFile } = await import("../../models/index.js");
        const model = await loadModelUri(opts.model as string, { trackingUri: trackingUriFrom(ctx, opts.trackingUri) });
        const spinner = await ctx.spinner(`Predicting ${opts.input}`);
        try {
          const result = await predictFile({
            model,
            input: ctx.resolvePath(opts.input as string),
            output: ctx.resolvePath(opts.output as string),
            kind,
            keep: typeof opts.keep === "string" ? opts.keep.split(",").map((c) => c.trim()).filter(Boolean) : [],
          });
          spinner.succeed(`Predicted ${result.rows} rows`);
          ctx.result(result, (r) => `Wrote ${r.rows} rows to ${r.output} (${r.columns.join(", ")})`);
        } catch (err) {
          spinner.fail("Prediction failed");
          throw err;
        }
      }),
    );
}
