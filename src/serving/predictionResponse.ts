import { pythonFloatRepr, pythonJsonDumps, pythonString } from "../core/pythonJson.js";

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
    } else if (width === 1) {
      out[r] = values[r]!;
    } else {
      const row: number[] = new Array(width);
      for (let k = 0; k < width; k++) row[k] = values[r * width + k]!;
      out[r] = row;
    }
  }
  return out;
}

/** One prediction as `pythonJsonDumps` writes it, without its generic walk for the shapes predictions take. */
function predictionJson(value: unknown): string {
  if (typeof value === "number") return pythonFloatRepr(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let k = 0; k < value.length; k++) out += (k === 0 ? "" : ", ") + predictionJson(value[k]);
    return out + "]";
  }
  return pythonJsonDumps(value);
}

/** `pythonJsonDumps({ predictions })`, byte for byte. */
export function predictionsBody(predictions: unknown[]): string {
  let out = '{"predictions": [';
  for (let r = 0; r < predictions.length; r++) out += (r === 0 ? "" : ", ") + predictionJson(predictions[r]);
  return out + "]}";
}
