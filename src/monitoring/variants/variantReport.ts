import { resolve } from "node:path";
import { Duck } from "../../core/duckdb.js";
import { quotedString } from "../../core/sql.js";
import { LarderError } from "../../errors.js";
import { predictionLogSql } from "../../serving/predictionLog.js";
import { namedClassSql, predictedValueSql, predictionRowsSql } from "../predictionRows.js";
import { twoProportionZTest } from "../stats/tests.js";
import { loadTable } from "../tableInput.js";
import { joinLabels, type LabelJoin } from "./labelJoin.js";

export interface VariantReportOptions {
  /** A prediction log folder (`larder serve --log-predictions DIR`). */
  log: string;
  /** Ground truth: CSV/Parquet with `label` and a key (see joinLabels). */
  labels?: string;
  /** Names for the arg-max index of logged probabilities: one list, or one per model URI. */
  classNames?: string[] | Record<string, string[]>;
  /**
   * Asked for the class names of each logged model URI whose outputs are probability lists, when
   * `classNames` is not given (the CLI loads the model); null leaves the indices as they are.
   */
  resolveClassNames?: (modelUri: string) => Promise<string[] | null>;
  /** Significance level of the accuracy comparison (default 0.05). */
  alpha?: number;
  cwd?: string;
}

export interface VariantSummary {
  variant: string;
  requests: number;
  /** Scored rows (a request may hold several). */
  rows: number;
  models: string[];
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Share of scored rows per predicted class, largest first. */
  predictions: Array<{ class: string; count: number; share: number }>;
  /** Mean of single-number outputs (binary P(class 1) or regression values), when there are any. */
  meanPrediction: number | null;
  labeled?: number;
  correct?: number;
  accuracy?: number;
  macroF1?: number;
}

export interface VariantComparison {
  /** The two variants with the most labeled rows, larger first. */
  variants: [string, string];
  accuracy: [number, number];
  labeled: [number, number];
  z: number;
  pValue: number;
  alpha: number;
  /** The variant with the higher accuracy when the difference is significant, else null. */
  better: string | null;
  decision: string;
}

export interface VariantReport {
  log: string;
  labels: string | null;
  labelJoin: LabelJoin | null;
  variants: VariantSummary[];
  comparison: VariantComparison | null;
  notes: string[];
}

function classNamesSql(classNames: VariantReportOptions["classNames"]): string | null {
  if (classNames === undefined) return null;
  const list = (names: string[]) => `[${names.map(quotedString).join(", ")}]`;
  if (Array.isArray(classNames)) return classNames.length === 0 ? null : list(classNames);
  const entries = Object.entries(classNames);
  if (entries.length === 0) return null;
  return `CASE model_uri ${entries.map(([uri, names]) => `WHEN ${quotedString(uri)} THEN ${list(names)}`).join(" ")} END`;
}

async function resolveNames(duck: Duck, log: string, resolver: VariantReportOptions["resolveClassNames"]): Promise<Record<string, string[]> | undefined> {
  if (!resolver) return undefined;
  const uris = await duck.all<{ model_uri: string }>(
    `SELECT DISTINCT model_uri FROM ${log} WHERE model_uri IS NOT NULL AND json_type(json_extract(outputs, '$[0]')) = 'ARRAY' ORDER BY 1`,
  );
  const out: Record<string, string[]> = {};
  for (const { model_uri } of uris) {
    const names = await resolver(model_uri);
    if (names && names.length > 0) out[model_uri] = names;
  }
  return out;
}

export const formatPValue = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** Per serving variant: traffic, latency, what it predicts and, given labels, how well. */
export async function variantReport(options: VariantReportOptions): Promise<VariantReport> {
  const cwd = options.cwd ?? process.cwd();
  const alpha = options.alpha ?? 0.05;
  const logDir = resolve(cwd, options.log);
  const log = await predictionLogSql(logDir);
  if (log === null) throw new LarderError("RESOURCE_DOES_NOT_EXIST", `The prediction log folder ${options.log} holds no records`);
  return Duck.with(async (duck) => {
    const names = classNamesSql(options.classNames ?? (await resolveNames(duck, log, options.resolveClassNames)));
    const predicted = namedClassSql(names);
    await duck.run(`CREATE TEMP TABLE log_rows AS SELECT *, ${predicted} AS predicted, ${predictedValueSql} AS predicted_value FROM ${predictionRowsSql(log)}`);
    const traffic = await duck.all<{ variant: string; requests: bigint; p50: number; p99: number; models: string[] }>(
      `SELECT variant, count(*) AS requests, quantile_cont(latency_ms, 0.5) AS p50, quantile_cont(latency_ms, 0.99) AS p99,
              list_sort(list(DISTINCT model_uri)) AS models
       FROM ${log} GROUP BY variant ORDER BY requests DESC, variant`,
    );
    const perRow = await duck.all<{ variant: string; rows: bigint; mean: number | null }>(
      `SELECT variant, count(*) AS rows, avg(predicted_value) AS mean FROM log_rows GROUP BY variant`,
    );
    const distribution = await duck.all<{ variant: string; predicted: string; n: bigint }>(
      `SELECT variant, predicted, count(*) AS n FROM log_rows WHERE predicted IS NOT NULL GROUP BY ALL ORDER BY variant, n DESC, predicted`,
    );
    const variants: VariantSummary[] = traffic.map((t) => {
      const scored = perRow.find((r) => r.variant === t.variant);
      const rows = Number(scored?.rows ?? 0n);
      return {
        variant: t.variant,
        requests: Number(t.requests),
        rows,
        models: t.models,
        latencyP50Ms: t.p50,
        latencyP99Ms: t.p99,
        predictions: distribution
          .filter((d) => d.variant === t.variant)
          .map((d) => ({ class: d.predicted, count: Number(d.n), share: rows === 0 ? 0 : Number(d.n) / rows })),
        meanPrediction: scored?.mean ?? null,
      };
    });
    const notes: string[] = [];
    if (options.labels === undefined) return { log: options.log, labels: null, labelJoin: null, variants, comparison: null, notes };

    const labelColumns = await loadTable(duck, "labels", resolve(cwd, options.labels), { csvAsText: true });
    const labelJoin = await joinLabels(duck, "log_rows", labelColumns, "p.predicted");
    await scoreVariants(duck, variants, notes);
    return { log: options.log, labels: options.labels, labelJoin, variants, comparison: compare(variants, alpha), notes };
  });
}

/**
 * Accuracy, and macro F1 = mean over classes of 2·TP / (2·TP + FP + FN), over the classes seen in
 * a variant's labels or predictions (scikit-learn's f1_score(average="macro")).
 */
async function scoreVariants(duck: Duck, variants: VariantSummary[], notes: string[]): Promise<void> {
  const scores = await duck.all<{ variant: string; labeled: bigint; correct: bigint; macro_f1: number }>(
    `WITH j AS (SELECT * FROM labeled WHERE predicted IS NOT NULL),
          classes AS (SELECT variant, predicted AS c FROM j UNION SELECT variant, label FROM j),
          per_class AS (
            SELECT k.variant, k.c,
                   count(*) FILTER (j.predicted = k.c AND j.label = k.c) AS tp,
                   count(*) FILTER (j.predicted = k.c AND j.label <> k.c) AS fp,
                   count(*) FILTER (j.label = k.c AND j.predicted <> k.c) AS fn
            FROM classes k JOIN j USING (variant) GROUP BY ALL)
     SELECT t.variant, t.labeled, t.correct, f.macro_f1
     FROM (SELECT variant, count(*) AS labeled, count(*) FILTER (predicted = label) AS correct FROM j GROUP BY variant) t
     JOIN (SELECT variant, avg(2 * tp / (2 * tp + fp + fn)) AS macro_f1 FROM per_class GROUP BY variant) f USING (variant)`,
  );
  for (const v of variants) {
    const s = scores.find((r) => r.variant === v.variant);
    const labeled = Number(s?.labeled ?? 0n);
    v.labeled = labeled;
    if (labeled === 0) continue;
    v.correct = Number(s!.correct);
    v.accuracy = v.correct / labeled;
    v.macroF1 = s!.macro_f1;
  }
  const totalLabeled = variants.reduce((n, v) => n + (v.labeled ?? 0), 0);
  if (totalLabeled === 0) notes.push("No labeled row matched a logged prediction; check the join columns of the labels file.");
  else if (variants.every((v) => (v.correct ?? 0) === 0)) {
    notes.push("No prediction equals its label: if the log holds class indices and the labels are names, pass the class names.");
  }
}

function compare(variants: VariantSummary[], alpha: number): VariantComparison | null {
  const ranked = variants.filter((v) => (v.labeled ?? 0) > 0).sort((a, b) => b.labeled! - a.labeled! || a.variant.localeCompare(b.variant));
  if (ranked.length < 2) return null;
  const [a, b] = [ranked[0]!, ranked[1]!];
  const { z, pValue } = twoProportionZTest(a.correct!, a.labeled!, b.correct!, b.labeled!);
  const significant = pValue < alpha;
  const better = significant ? (a.accuracy! > b.accuracy! ? a : b) : null;
  const worse = better === a ? b : a;
  const decision = better
    ? `${better.variant} better than ${worse.variant} at p=${formatPValue(pValue)} (accuracy ${better.accuracy!.toFixed(3)} vs ${worse.accuracy!.toFixed(3)})`
    : `no significant difference between ${a.variant} and ${b.variant} (p=${Number.isNaN(pValue) ? "n/a" : formatPValue(pValue)}, alpha ${alpha})`;
  return {
    variants: [a.variant, b.variant],
    accuracy: [a.accuracy!, b.accuracy!],
    labeled: [a.labeled!, b.labeled!],
    z,
    pValue,
    alpha,
    better: better?.variant ?? null,
    decision,
  };
}
