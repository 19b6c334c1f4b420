import { pythonJsonDumps } from "../core/pythonJson.js";

export type OutputKind = "probability" | "label";

/**
 * The `{"predictions": …}` body MLflow writes: a flat list for one output per row (binary
 * probability, regression value), a list of lists for class probabilities. With `label`, each
 * row's most likely class by name (or index when the model has no label names).
 */
export function predictionValues(values: Float64Array, width: number, output: OutputKind, labelNames: readonly string[] | null): unknown[] {
  // Labels exist only for classifiers; callers check the model's task first.
  const numRows = width === 0 ? 0 : values.length / width;
  const out: unknown[] = new Array(numRows);
  for (let r = 0; r < numRows; r++) {
    if (output === "label") {
      let best = 0;
      if (width === 1) best = values[r]! > 0.5 ? 1 : 0;
      else for (let k = 1; k < width; k++) if (values[r * width + k]! > values[r * width + best]!) best = k;
      out[r] = labelNames?.[best] ?? best;
    } else {
      out[r] = width === 1 ? values[r]! : Array.from(values.subarray(r * width, (r + 1) * width));
    }
  }
  return out;
}

export function predictionsBody(predictions: unknown[]): string {
  return pythonJsonDumps({ predictions });
}
