import { LarderError } from "../errors.js";
import type { Metric } from "./entities.js";
import { formatPythonFloat, parsePythonFloat } from "./pythonFloat.js";

/** One line of `metrics/<key>`: `<timestamp_ms> <value> <step>\n`, value in Python float notation. */
export function formatMetricLine(metric: Metric): string {
  return `${metric.timestamp} ${formatPythonFloat(metric.value)} ${metric.step}\n`;
}

/**
 * Reads a metric file. Besides the 3-field lines, MLflow reads legacy 2-field lines (step 0) and
 * 3.x lines carrying a dataset name and digest (5 fields); anything else is corruption.
 */
export function parseMetricFile(text: string, key: string, path: string): Metric[] {
  const metrics: Metric[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const fields = line.trim().split(" ");
    if (fields.length !== 2 && fields.length !== 3 && fields.length !== 5) {
      throw new LarderError("INTERNAL_ERROR", `Metric '${key}' is malformed at '${path}': line '${line}' has ${fields.length} fields`, {
        hint: "Each line must be '<timestamp> <value> <step>'.",
      });
    }
    metrics.push({
      key,
      timestamp: Number(fields[0]),
      value: parsePythonFloat(fields[1]!),
      step: fields.length >= 3 ? Number(fields[2]) : 0,
    });
  }
  return metrics;
}

function greaterOrEqual(a: number, b: number): boolean {
  // Python's tuple max treats NaN as never greater; keep the first seen in that case.
  return a > b || a === b;
}

/** The value MLflow shows as a run's metric: the entry with the largest (step, timestamp, value). */
export function latestMetric(history: Metric[]): Metric | undefined {
  let best: Metric | undefined;
  for (const m of history) {
    if (best === undefined) {
      best = m;
      continue;
    }
    if (m.step !== best.step) {
      if (m.step > best.step) best = m;
    } else if (m.timestamp !== best.timestamp) {
      if (m.timestamp > best.timestamp) best = m;
    } else if (greaterOrEqual(m.value, best.value) && m.value !== best.value) {
      best = m;
    }
  }
  return best;
}
