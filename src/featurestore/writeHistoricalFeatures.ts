import { FeatureStore, type HistoricalFeaturesOptions } from "./FeatureStore.js";

/**
 * Opens the repo in `repoDir`, writes the point-in-time training set of `request` to `output`
 * (`.parquet` or `.csv`), and closes everything again: the one-shot form of `getHistoricalFeatures`.
 */
export async function writeHistoricalFeatures(repoDir: string, request: HistoricalFeaturesOptions, output: string): Promise<void> {
  const store = await FeatureStore.open(repoDir);
  try {
    const job = await store.getHistoricalFeatures(request);
    try {
      await job.writeTo(output);
    } finally {
      await job.close();
    }
  } finally {
    await store.close();
  }
}
