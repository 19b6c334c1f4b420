/**
 * Feature importance as LightGBM computes it (`GBDT::FeatureImportance`): over the first
 * `numTrees` trees, every split with a positive gain counts once ("split") or adds its gain
 * ("gain"). Gains are float32 in LightGBM, so they are summed as float32 values in double.
 */
import type { TreeData } from "./tree.js";

export type ImportanceType = "split" | "gain";

export function featureImportance(
  trees: readonly TreeData[],
  numFeatures: number,
  type: ImportanceType,
  numTrees = trees.length,
): Float64Array {
  const importance = new Float64Array(numFeatures);
  const end = Math.min(numTrees, trees.length);
  for (let t = 0; t < end; t++) {
    const tree = trees[t]!;
    for (let node = 0; node < tree.numLeaves - 1; node++) {
      const gain = Math.fround(tree.splitGain[node]!);
      if (gain > 0) importance[tree.splitFeature[node]!]! += type === "split" ? 1 : gain;
    }
  }
  return importance;
}
