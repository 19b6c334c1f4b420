/**
 * A training set in LightGBM's binned form: one bin column per feature, bin mappers learned from
 * a sample of up to `bin_construct_sample_cnt` rows, and float32 labels (LightGBM's `label_t`).
 */
import { LarderError } from "../../errors.js";
import { type FeatureSample, innerFeatureIndices } from "./featureGroups.js";
import { LcgRandom } from "./lcgRandom.js";
import { type BinMapper, type BinningOptions, findBin, isSampledNonZero, valueToBin } from "./binMapper.js";

export type BinColumn = Uint8Array | Uint16Array;

export interface DatasetOptions {
  maxBin?: number;
  /** Per column, its own max_bin (LightGBM's `max_bin_by_feature`). */
  maxBinByFeature?: readonly number[];
  /** Also work out LightGBM's inner feature numbering (`innerFeatureIndex`), which extra trees need. */
  innerFeatureOrder?: boolean;
  minDataInBin?: number;
  minDataInLeaf?: number;
  featurePreFilter?: boolean;
  useMissing?: boolean;
  zeroAsMissing?: boolean;
  binConstructSampleCount?: number;
  dataRandomSeed?: number;
  /** Column indices to treat as categorical. */
  categoricalFeatures?: readonly number[];
  featureNames?: readonly string[];
}

export interface BinnedDataset {
  numRows: number;
  numFeatures: number;
  featureNames: string[];
  mappers: BinMapper[];
  /** One bin index per row for each feature (an empty column for trivial features). */
  bins: BinColumn[];
  labels: Float32Array;
  /** Per-row weights as float32, or null when unweighted. */
  weights: Float32Array | null;
  /** LightGBM's inner index of each feature (-1 if trivial), when asked for. */
  innerFeatureIndex?: Int32Array;
}

/** Input columns, all of the same length. */
export type FeatureColumns = readonly Float64Array[];

export function resolveBinningOptions(numRows: number, sampleCount: number, options: DatasetOptions): BinningOptions {
  const minDataInLeaf = options.minDataInLeaf ?? 20;
  return {
    maxBin: options.maxBin ?? 255,
    minDataInBin: options.minDataInBin ?? 3,
    minSplitData: Math.trunc((minDataInLeaf * sampleCount) / numRows),
    featurePreFilter: options.featurePreFilter ?? true,
    useMissing: options.useMissing ?? true,
    zeroAsMissing: options.zeroAsMissing ?? false,
  };
}

function checkColumns(columns: FeatureColumns): number {
  if (columns.length === 0) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "the training set has no feature columns", {
      hint: "pass at least one Float64Array column",
    });
  }
  const numRows = columns[0]!.length;
  for (let j = 1; j < columns.length; j++) {
    if (columns[j]!.length !== numRows) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `feature column ${j} has ${columns[j]!.length} rows, column 0 has ${numRows}`, {
        hint: "all feature columns must have the same length",
      });
    }
  }
  return numRows;
}

function toFloat32Labels(labels: ArrayLike<number>, numRows: number): Float32Array {
  if (labels.length !== numRows) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `got ${labels.length} labels for ${numRows} rows`, {
      hint: "pass one label per row",
    });
  }
  const out = Float32Array.from(labels);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new LarderError("DATA_ERROR", `label of row ${i} is ${labels[i]}`, { hint: "labels must be finite numbers" });
    }
  }
  return out;
}

function binColumn(column: Float64Array, mapper: BinMapper): BinColumn {
  const out = mapper.numBin <= 256 ? new Uint8Array(column.length) : new Uint16Array(column.length);
  for (let i = 0; i < column.length; i++) out[i] = valueToBin(mapper, column[i]!);
  return out;
}

/** Learn bin mappers from the sample rows and bin every column. */
export function createDataset(
  columns: FeatureColumns,
  labels: ArrayLike<number>,
  options: DatasetOptions = {},
  weights?: ArrayLike<number>,
): BinnedDataset {
  const numRows = checkColumns(columns);
  if (numRows === 0) {
    throw new LarderError("INVALID_PARAMETER_VALUE", "the training set has no rows", { hint: "pass at least one row" });
  }
  const labelArray = toFloat32Labels(labels, numRows);
  const sampleLimit = options.binConstructSampleCount ?? 200000;
  const sampleCount = Math.min(numRows, sampleLimit);
  const sampleRows = new LcgRandom(options.dataRandomSeed ?? 1).sample(numRows, sampleCount);
  const binning = resolveBinningOptions(numRows, sampleRows.length, options);
  const categorical = new Set(options.categoricalFeatures ?? []);
  for (const c of categorical) {
    if (!Number.isInteger(c) || c < 0 || c >= columns.length) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `categorical_feature index ${c} is out of range 0..${columns.length - 1}`, {
        hint: "categorical_feature lists column indices",
      });
    }
  }
  const maxBinByFeature = options.maxBinByFeature ?? [];
  if (maxBinByFeature.length > 0 && maxBinByFeature.length !== columns.length) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `max_bin_by_feature has ${maxBinByFeature.length} values for ${columns.length} columns`, {
      hint: "give one max_bin per feature column",
    });
  }
  const mappers: BinMapper[] = [];
  const bins: BinColumn[] = [];
  const sample = new Float64Array(sampleRows.length);
  const samplePositions = new Int32Array(sampleRows.length);
  const featureSamples: FeatureSample[] = [];
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j]!;
    let kept = 0;
    for (let s = 0; s < sampleRows.length; s++) {
      const v = column[sampleRows[s]!]!;
      if (isSampledNonZero(v)) {
        samplePositions[kept] = s;
        sample[kept++] = v;
      }
    }
    if (options.innerFeatureOrder) featureSamples.push({ positions: samplePositions.slice(0, kept), values: sample.slice(0, kept) });
    const columnBinning = maxBinByFeature.length > 0 ? { ...binning, maxBin: maxBinByFeature[j]! } : binning;
    const mapper = findBin(sample.slice(0, kept), sampleRows.length, categorical.has(j), columnBinning);
    mappers.push(mapper);
    bins.push(mapper.isTrivial ? new Uint8Array(0) : binColumn(column, mapper));
  }
  const featureNames = options.featureNames ? [...options.featureNames] : columns.map((_, j) => `Column_${j}`);
  if (featureNames.length !== columns.length) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `got ${featureNames.length} feature names for ${columns.length} columns`, {
      hint: "pass one name per feature column",
    });
  }
  let weightArray: Float32Array | null = null;
  if (weights !== undefined) {
    if (weights.length !== numRows) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `got ${weights.length} weights for ${numRows} rows`, { hint: "pass one weight per row" });
    }
    weightArray = Float32Array.from(weights);
  }
  const innerFeatureIndex = options.innerFeatureOrder ? innerFeatureIndices(mappers, featureSamples, sampleRows.length, numRows) : undefined;
  return {
    numRows,
    numFeatures: columns.length,
    featureNames,
    mappers,
    bins,
    labels: labelArray,
    weights: weightArray,
    ...(innerFeatureIndex ? { innerFeatureIndex } : {}),
  };
}

/** Bin a validation set with the training set's mappers, as LightGBM does for `valid_sets`. */
export function createValidationDataset(
  reference: BinnedDataset,
  columns: FeatureColumns,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): BinnedDataset {
  const numRows = checkColumns(columns);
  if (columns.length !== reference.numFeatures) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `validation set has ${columns.length} features, training set has ${reference.numFeatures}`, {
      hint: "use the same feature columns as the training set",
    });
  }
  const bins = reference.mappers.map((m, j) => (m.isTrivial ? new Uint8Array(0) : binColumn(columns[j]!, m)));
  return {
    numRows,
    numFeatures: reference.numFeatures,
    featureNames: reference.featureNames,
    mappers: reference.mappers,
    bins,
    labels: toFloat32Labels(labels, numRows),
    weights: weights === undefined ? null : Float32Array.from(weights),
  };
}
