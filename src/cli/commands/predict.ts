import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { handle, type RunState } from "../action.js";
import { trackingUriFrom } from "../trackingOption.js";

export function registerPredict(program: Command, state: RunState): void {
  program
    .command("predict")
    .description("batch predictions from a LightGBM model over a CSV or Parquet file")
    .requiredOption("-m, --model <uri>", "model.txt path, model folder, runs:/RUN/model, models:/NAME/VERSION|STAGE or models:/NAME@ALIAS")
    .option("-i, --input <file>", "input rows (.csv or .parquet); feature columns matched by name")
    .option("--entities <file>", "entity rows (keys, timestamp) to join the model's feature service to, point-in-time, before predicting")
    .option("--feature-repo <dir>", "feature repo for --entities")
    .option("--feature-service <name>", "feature service for --entities (default: the one recorded with the model)")
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
        if (Boolean(opts.input) === Boolean(opts.entities)) throw new UsageError("Give either -i INPUT or --entities FILE (with --feature-repo DIR)");
        if (opts.entities && !opts.featureRepo) throw new UsageError("--entities needs --feature-repo DIR");
        const { loadModelUri, predictFile } = await import("../../models/index.js");
        const model = await loadModelUri(opts.model as string, { trackingUri: trackingUriFrom(ctx, opts.trackingUri) });
        const input = ctx.resolvePath((opts.input ?? opts.entities) as string);
        const bar = await ctx.progress("predicting", 1, "rows");
        try {
          const result = await predictFile({
            model,
            input,
            ...(opts.featureRepo ? { featureRepo: ctx.resolvePath(opts.featureRepo as string) } : {}),
            ...(opts.featureService ? { featureService: opts.featureService as string } : {}),
            onProgress: (done, total) => {
              bar.setTotal(total);
              bar.update(done);
            },
            output: ctx.resolvePath(opts.output as string),
            kind,
            ...(typeof opts.keep === "string" ? { keep: opts.keep.split(",").map((c) => c.trim()).filter(Boolean) } : {}),
          });
          bar.stop();
          ctx.info(`done: Predicted ${result.rows} rows`);
          ctx.result(result, (r) => `Wrote ${r.rows} rows to ${r.output} (${r.columns.join(", ")})`);
        } catch (err) {
          bar.stop();
          throw err;
        }
      }),
    );
}
