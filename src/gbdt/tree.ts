/**
 * One decision tree in LightGBM's own representation: the arrays of a `Tree=` block of the text
 * model format, one entry per internal node (`numLeaves - 1` of them) or per leaf. This is the
 * contract between the trainer (which produces trees) and the model format and predictor (which
 * read, write and evaluate them).
 *
 * Children: a value >= 0 is an internal node index; a negative value `~leaf` (i.e. `-leaf - 1`)
 * is a leaf index. `decisionType` packs LightGBM's bits: 1 = categorical, 2 = default-left,
 * bits 2-3 = missing type (0 None, 1 Zero, 2 NaN).
 */
export interface TreeData {
  numLeaves: number;
  numCat: number;
  splitFeature: Int32Array;
  /** LightGBM keeps gains as float32: the writer and importances round them with Math.fround. */
  splitGain: Float64Array;
  /** Numerical: the split value. Categorical: index into `catBoundaries`. */
  threshold: Float64Array;
  decisionType: Uint8Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  leafValue: Float64Array;
  /**
   * Sum of hessians per leaf. Empty for a 1-leaf tree read from a file (LightGBM drops it on load,
   * so Python-saved models write `leaf_weight=` empty); the writer writes whatever is here.
   */
  leafWeight: Float64Array;
  leafCount: Int32Array;
  internalValue: Float64Array;
  internalWeight: Float64Array;
  internalCount: Int32Array;
  /** Offsets into `catThreshold` for categorical split i: words `catBoundaries[i]..catBoundaries[i+1]`. */
  catBoundaries: Int32Array;
  /** Bitsets of the categories that go left, 32 per word. */
  catThreshold: Uint32Array;
  isLinear: boolean;
  /** For a linear tree (`is_linear=1`): each leaf's constant and coefficients of raw features. */
  linear?: LinearLeaves;
  shrinkage: number;
}

/**
 * A linear tree's leaf models (LightGBM's `linear_tree`): the output of leaf l for a row x is
 * `leafConst[l] + Σ leafCoeff[l][i] · x[leafFeatures[l][i]]`, or `leafValue[l]` when one of those
 * features is missing (NaN).
 */
export interface LinearLeaves {
  leafConst: Float64Array;
  /** Per leaf, original (raw) feature indices. */
  leafFeatures: Int32Array[];
  leafCoeff: Float64Array[];
}

export const DECISION_CATEGORICAL_MASK = 1;
export const DECISION_DEFAULT_LEFT_MASK = 2;
export const MISSING_TYPE_NONE = 0;
export const MISSING_TYPE_ZERO = 1;
export const MISSING_TYPE_NAN = 2;

export function missingTypeOf(decisionType: number): number {
  return (decisionType >> 2) & 3;
}

/**
 * The header and trailer of a LightGBM text model: everything but the trees. The trainer fills it
 * from its parameters and dataset; the reader fills it from a model file.
 */
export interface ModelMeta {
  /** `version=` (LightGBM 4.x writes `v4`). */
  version: string;
  numClass: number;
  numTreePerIteration: number;
  labelIndex: number;
  maxFeatureIdx: number;
  /** The objective line as LightGBM writes it, e.g. `binary sigmoid:1`, `multiclass num_class:3`. */
  objective: string;
  averageOutput: boolean;
  featureNames: string[];
  /** Per feature: `[min:max]` for numerical, `-1:a:b:…` category list for categorical, `none` if unused. */
  featureInfos: string[];
  monotoneConstraints?: number[];
  /** Lines of the `parameters:` section (`[key: value]`), replayed verbatim on write; null when absent. */
  parameters: string[] | null;
  /** The JSON after `pandas_categorical:`; null when absent. */
  pandasCategorical: unknown;
  /**
   * The `pandas_categorical:` JSON text exactly as read. The writer replays it when it still
   * describes `pandasCategorical` (Python's float spelling such as `1.0` does not survive
   * `JSON.parse`); otherwise it serializes `pandasCategorical` the way Python's `json.dumps` does.
   */
  pandasCategoricalJson?: string;
  /** Lines of the optional `parser:` section (custom parser config), replayed verbatim. */
  parser?: string[] | null;
}

/**
 * A one-leaf tree in the shape LightGBM reads and writes it: only the leaf's value and count;
 * every other array empty (a reloaded model has no weight for a constant tree either).
 */
export function constantTreeData(value: number, count: number, shrinkage = 1): TreeData {
  return {
    numLeaves: 1,
    numCat: 0,
    splitFeature: new Int32Array(0),
    splitGain: new Float64Array(0),
    threshold: new Float64Array(0),
    decisionType: new Uint8Array(0),
    leftChild: new Int32Array(0),
    rightChild: new Int32Array(0),
    leafValue: Float64Array.of(value),
    leafWeight: new Float64Array(0),
    leafCount: Int32Array.of(count),
    internalValue: new Float64Array(0),
    internalWeight: new Float64Array(0),
    internalCount: new Int32Array(0),
    catBoundaries: new Int32Array(0),
    catThreshold: new Uint32Array(0),
    isLinear: false,
    shrinkage,
  };
}
