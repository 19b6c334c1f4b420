/** What the split search needs to know about one used feature. */
import type { BinMapper } from "../dataset/binMapper.js";

export interface FeatureMeta {
  /** Original column index. */
  feature: number;
  numBin: number;
  missingType: number;
  defaultBin: number;
  mostFreqBin: number;
  /** 1 when bin 0 is the most frequent bin: LightGBM then never stores or scans bin 0. */
  offset: number;
  categorical: boolean;
  /** First bin of this feature in a leaf histogram. */
  histStart: number;
  /** Monotone constraint: 1 increasing, -1 decreasing, 0 none. */
  monotoneType: number;
  /** Factor on this feature's split gains (`feature_contri`). */
  penalty: number;
}

/** Metas for the non-trivial features, with histogram slots laid out one feature after another. */
export function buildFeatureMetas(
  mappers: readonly BinMapper[],
  monotoneConstraints: readonly number[] = [],
  featureContri: readonly number[] = [],
): { metas: FeatureMeta[]; totalBins: number } {
  const metas: FeatureMeta[] = [];
  let totalBins = 0;
  mappers.forEach((m, feature) => {
    if (m.isTrivial) return;
    metas.push({
      feature,
      numBin: m.numBin,
      missingType: m.missingType,
      defaultBin: m.defaultBin,
      mostFreqBin: m.mostFreqBin,
      offset: m.mostFreqBin === 0 ? 1 : 0,
      categorical: m.categorical,
      histStart: totalBins,
      monotoneType: monotoneConstraints[feature] ?? 0,
      penalty: featureContri[feature] ?? 1,
    });
    totalBins += m.numBin;
  });
  return { metas, totalBins };
}
