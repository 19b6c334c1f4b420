/** Small deterministic data sets for training tests. */
export interface Synthetic {
  columns: Float64Array[];
  labels: Float64Array;
}

export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

/** `numFeatures` (>= 3) uniform features in [-1, 1); the label depends on the first three plus noise. */
export function makeData(
  numRows: number,
  numFeatures: number,
  kind: "binary" | "multiclass" | "regression" | "counts",
  seed = 1,
  numClass = 3,
): Synthetic {
  const rnd = lcg(seed);
  const columns = Array.from({ length: numFeatures }, () => new Float64Array(numRows));
  const labels = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) {
    for (let j = 0; j < numFeatures; j++) columns[j]![i] = Math.round((rnd() * 2 - 1) * 1000) / 1000;
    const z = 2 * columns[0]![i]! - columns[1]![i]! + 0.5 * columns[2]![i]! * columns[0]![i]! + (rnd() - 0.5) * 0.8;
    if (kind === "binary") labels[i] = z > 0 ? 1 : 0;
    else if (kind === "multiclass") labels[i] = Math.min(numClass - 1, Math.max(0, Math.floor(((z + 3) / 6) * numClass)));
    else if (kind === "counts") labels[i] = Math.floor(Math.exp(z / 2) * 2 * rnd() * 2);
    else labels[i] = 3 * z + 10;
  }
  return { columns, labels };
}

export function slice(data: Synthetic, begin: number, end: number): Synthetic {
  return { columns: data.columns.map((c) => c.slice(begin, end)), labels: data.labels.slice(begin, end) };
}
