import { writeFile } from "node:fs/promises";
import { InvalidArgumentError, type Command } from "commander";
import { handle, type RunState } from "../action.js";
import type { CliContext } from "../context.js";
import { trackingUriFrom } from "../trackingOption.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const list = (value: unknown): string[] | undefined =>
  typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : undefined;

/** Exit status of `monitor drift` when a threshold is passed, so CI can branch to retraining. */
export const DRIFT_EXIT_CODE = 2;

const fixed = (value: number | undefined, digits = 4): string => (value === undefined || Number.isNaN(value) ? "" : value.toFixed(digits));
const pValue = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? "" : value === 0 ? "0" : value < 1e-4 ? value.toExponential(2) : value.toFixed(4));
const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;

function parseProbability(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError("--alpha must be a number between 0 and 1.");
  return n;
}

export function registerMonitor(program: Command, state: RunState): void {
  const monitor = program.command("monitor").description("drift between reference and current data, and A/B reports of serving variants");

  monitor
    .command("drift")
    .description(`per-feature PSI, KS or chi-square, null shares; exit ${DRIFT_EXIT_CODE} when a threshold is passed`)
    .requiredOption("-r, --reference <file-or-run>", "reference: .csv/.parquet, a prediction log folder, or a run (runs:/ID or ID: its training file)")
    .requiredOption("-c, --current <file-or-log>", "current: .csv/.parquet or a prediction log folder (larder serve --log-predictions)")
    .option("--features <names>", "comma-separated columns to compare (default: the run's features, else the shared columns)")
    .option("--threshold <name=value>", "drift when psi > value, ks_pvalue < value or chi2_pvalue < value (repeat or comma-join; default psi=0.2; given ones replace the default)", collect)
    .option("--html <file>", "also write a self-contained HTML report with histograms")
    .option("--classes <names>", "class names in model output order, to name logged arg-max indices")
    .option("--tracking-uri <uri>", "tracking store for a run reference (default: MLFLOW_TRACKING_URI, else ./mlruns)")
    .action(
      handle(state, async (ctx, _args, opts) => {
        const { monitorDrift, parseThresholds, driftReportHtml } = await import("../../monitoring/index.js");
        const thresholds = opts.threshold ? parseThresholds(opts.threshold as string[]) : undefined;
        const spinner = await ctx.spinner("Comparing distributions");
        let report;
        try {
          report = await monitorDrift({
            reference: opts.reference as string,
            current: opts.current as string,
            cwd: ctx.io.cwd,
            trackingUri: trackingUriFrom(ctx, opts.trackingUri),
            ...(list(opts.features) ? { features: list(opts.features) } : {}),
            ...(list(opts.classes) ? { classNames: list(opts.classes) } : {}),
            ...(thresholds ? { thresholds } : {}),
          });
          spinner.succeed(`Compared ${report.features.length} distributions`);
        } catch (err) {
          spinner.fail("Drift check failed");
          throw err;
        }
        if (typeof opts.html === "string") {
          const path = ctx.resolvePath(opts.html);
          await writeFile(path, driftReportHtml(report));
          ctx.info(`Wrote ${path}`);
        }
        const table = await ctx.table(
          ["feature", "kind", "psi", "ks / chi2", "p-value", "null ref", "null cur", "drift"],
          report.features.map((f) => [
            f.feature,
            f.kind,
            fixed(f.psi),
            f.kind === "numeric" ? fixed(f.ks?.statistic) : fixed(f.chiSquare?.statistic, 2),
            f.kind === "numeric" ? pValue(f.ks?.pValue) : pValue(f.chiSquare?.pValue),
            percent(f.referenceNullShare),
            percent(f.currentNullShare),
            f.drifted ? ctx.out.red(`DRIFT (${f.reasons.join("; ")})`) : "no",
          ]),
        );
        ctx.result(report, (r) =>
          [
            table,
            ...r.notes.map((n) => `note: ${n}`),
            r.drifted ? `Drift in ${r.driftedFeatures.join(", ")}.` : "No drift past the thresholds.",
          ].join("\n"),
        );
        return report.drifted ? DRIFT_EXIT_CODE : 0;
      }),
    );

  monitor
    .command("variants")
    .description("per serving variant: requests, latency p50/p99, predicted classes; with labels, accuracy, macro F1 and an A/B decision")
    .requiredOption("-l, --log <dir>", "prediction log folder (larder serve --log-predictions)")
    .option("--labels <file>", "ground truth .csv/.parquet: label plus request_id, entity_key, or entity columns (optional timestamp)")
    .option("--classes <names>", "class names in model output order (default: read from each logged model)")
    .option("--alpha <p>", "significance level of the accuracy comparison", parseProbability, 0.05)
    .option("--tracking-uri <uri>", "tracking store to read logged models' class names from")
    .action(
      handle(state, async (ctx, _args, opts) => {
        const { variantReport } = await import("../../monitoring/index.js");
        const trackingUri = trackingUriFrom(ctx, opts.trackingUri);
        const classNames = list(opts.classes);
        const report = await variantReport({
          log: opts.log as string,
          cwd: ctx.io.cwd,
          alpha: opts.alpha as number,
          ...(typeof opts.labels === "string" ? { labels: opts.labels } : {}),
          ...(classNames ? { classNames } : { resolveClassNames: (uri: string) => classNamesOf(ctx, uri, trackingUri) }),
        });
        const labeled = report.labels !== null;
        const head = ["variant", "requests", "rows", "p50 ms", "p99 ms", "predicted classes", ...(labeled ? ["labeled", "accuracy", "macro F1"] : [])];
        const table = await ctx.table(
          head,
          report.variants.map((v) => [
            v.variant,
            v.requests,
            v.rows,
            v.latencyP50Ms.toFixed(2),
            v.latencyP99Ms.toFixed(2),
            v.predictions.slice(0, 6).map((p) => `${p.class} ${percent(p.share)}`).join(", ") + (v.predictions.length > 6 ? ", …" : ""),
            ...(labeled ? [v.labeled ?? 0, fixed(v.accuracy), fixed(v.macroF1)] : []),
          ]),
        );
        ctx.result(report, (r) => [table, ...r.notes.map((n) => `note: ${n}`), ...(r.comparison ? [`Decision: ${r.comparison.decision}`] : [])].join("\n"));
      }),
    );
}

/** Class names of a logged model, if it can still be loaded; the report works without them. */
async function classNamesOf(ctx: CliContext, uri: string, trackingUri: string): Promise<string[] | null> {
  try {
    const { loadModelUri } = await import("../../models/index.js");
    return (await loadModelUri(uri, { trackingUri })).classNames;
  } catch {
    ctx.info(`Could not load ${uri} for its class names; showing class indices.`);
    return null;
  }
}
