export { createDataset, createValidationDataset, resolveBinningOptions } from "./dataset.js";
export type { BinColumn, BinnedDataset, DatasetOptions, FeatureColumns } from "./dataset.js";
export { findBin, valueToBin, binToThreshold, featureInfo } from "./binMapper.js";
export type { BinMapper, BinningOptions } from "./binMapper.js";
export { LcgRandom } from "./lcgRandom.js";
