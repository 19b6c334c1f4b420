/**
 * Writer of LightGBM's text model format, byte for byte as LightGBM 4.x's `save_model` (through
 * the Python package, which appends the `pandas_categorical:` trailer) writes it: key order,
 * `%g` / `%.17g` number spelling, per-tree byte counts in `tree_sizes`, importances recomputed
 * from the trees, and the parameters section replayed as given.
 */
import { featureImportance, type ImportanceType } from "./importance.js";
import { formatG, formatHighPrecision } from "./numberFormat.js";
import { pythonJsonDumps } from "../core/pythonJson.js";
import type { LinearLeaves, ModelMeta, TreeData } from "./tree.js";

export interface WriteModelOptions {
  /** First iteration to write (LightGBM's `start_iteration`). Default 0. */
  startIteration?: number;
  /** Number of iterations to write; <= 0 or absent means all. */
  numIteration?: number;
  /** What the `feature_importances:` section counts. Default "split", as Python's save_model. */
  importanceType?: ImportanceType;
}

/** LightGBM's ArrayToString: the first `count` entries, space separated; empty if none. */
function joinArray(values: ArrayLike<number>, count: number, format: (value: number) => string): string {
  const n = Math.min(count, values.length);
  if (n <= 0) return "";
  let out = format(values[0]!);
  for (let i = 1; i < n; i++) out += " " + format(values[i]!);
  return out;
}

const plainInteger = (value: number) => String(value);
const signedByte = (value: number) => String((value << 24) >> 24);
const shortFloat = (value: number) => formatG(value, 6);
const float32Short = (value: number) => formatG(Math.fround(value), 6);

/** One tree's block as LightGBM's `Tree::ToString` writes it (ends with "shrinkage=…\n\n"). */
export function treeToString(tree: TreeData): string {
  const leaves = tree.numLeaves;
  const internal = leaves - 1;
  let out = `num_leaves=${leaves}\nnum_cat=${tree.numCat}\n`;
  out += `split_feature=${joinArray(tree.splitFeature, internal, plainInteger)}\n`;
  out += `split_gain=${joinArray(tree.splitGain, internal, float32Short)}\n`;
  out += `threshold=${joinArray(tree.threshold, internal, formatHighPrecision)}\n`;
  out += `decision_type=${joinArray(tree.decisionType, internal, signedByte)}\n`;
  out += `left_child=${joinArray(tree.leftChild, internal, plainInteger)}\n`;
  out += `right_child=${joinArray(tree.rightChild, internal, plainInteger)}\n`;
  out += `leaf_value=${joinArray(tree.leafValue, leaves, formatHighPrecision)}\n`;
  out += `leaf_weight=${joinArray(tree.leafWeight, leaves, formatHighPrecision)}\n`;
  out += `leaf_count=${joinArray(tree.leafCount, leaves, plainInteger)}\n`;
  out += `internal_value=${joinArray(tree.internalValue, internal, shortFloat)}\n`;
  out += `internal_weight=${joinArray(tree.internalWeight, internal, shortFloat)}\n`;
  out += `internal_count=${joinArray(tree.internalCount, internal, plainInteger)}\n`;
  if (tree.numCat > 0) {
    out += `cat_boundaries=${joinArray(tree.catBoundaries, tree.numCat + 1, plainInteger)}\n`;
    out += `cat_threshold=${joinArray(tree.catThreshold, tree.catThreshold.length, plainInteger)}\n`;
  }
  out += `is_linear=${tree.isLinear ? 1 : 0}\n`;
  if (tree.isLinear && tree.linear) out += linearLeavesToString(tree.linear, leaves);
  out += `shrinkage=${formatG(tree.shrinkage, 6)}\n\n`;
  return out;
}

/** A linear tree's leaf models: per leaf, its features (or nothing) and then one more space. */
function linearLeavesToString(linear: LinearLeaves, leaves: number): string {
  let out = `leaf_const=${joinArray(linear.leafConst, leaves, formatHighPrecision)}\n`;
  out += `num_features=${Array.from({ length: leaves }, (_, l) => linear.leafCoeff[l]!.length).join(" ")}\n`;
  const perLeaf = (values: (l: number) => ArrayLike<number>, format: (value: number) => string): string => {
    let line = "";
    for (let l = 0; l < leaves; l++) {
      const v = values(l);
      if (v.length > 0) line += joinArray(v, v.length, format) + " ";
      line += " ";
    }
    return line;
  };
  out += `leaf_features=${perLeaf((l) => linear.leafFeatures[l]!, plainInteger)}\n`;
  out += `leaf_coeff=${perLeaf((l) => linear.leafCoeff[l]!, formatHighPrecision)}\n`;
  return out;
}

function pandasCategoricalText(meta: ModelMeta): string {
  const source = meta.pandasCategoricalJson;
  if (source !== undefined) {
    try {
      if (JSON.stringify(JSON.parse(source)) === JSON.stringify(meta.pandasCategorical ?? null)) return source;
    } catch {
      // fall through: the stored text is stale or damaged, so serialize the value instead
    }
  }
  return pythonJsonDumps(meta.pandasCategorical ?? null, { integral: "int" });
}

export function writeModelText(meta: ModelMeta, trees: readonly TreeData[], options: WriteModelOptions = {}): string {
  const perIteration = meta.numTreePerIteration;
  const totalIterations = Math.floor(trees.length / perIteration);
  const startIteration = Math.min(Math.max(options.startIteration ?? 0, 0), totalIterations);
  const numIteration = options.numIteration ?? 0;
  let endTree = trees.length;
  if (numIteration > 0) endTree = Math.min((startIteration + numIteration) * perIteration, endTree);
  const startTree = startIteration * perIteration;

  let out = "tree\n";
  out += `version=${meta.version}\n`;
  out += `num_class=${meta.numClass}\n`;
  out += `num_tree_per_iteration=${perIteration}\n`;
  out += `label_index=${meta.labelIndex}\n`;
  out += `max_feature_idx=${meta.maxFeatureIdx}\n`;
  if (meta.objective) out += `objective=${meta.objective}\n`;
  if (meta.averageOutput) out += "average_output\n";
  out += `feature_names=${meta.featureNames.join(" ")}\n`;
  if (meta.monotoneConstraints && meta.monotoneConstraints.length > 0) {
    out += `monotone_constraints=${meta.monotoneConstraints.join(" ")}\n`;
  }
  out += `feature_infos=${meta.featureInfos.join(" ")}\n`;

  const blocks: string[] = [];
  for (let t = startTree; t < endTree; t++) {
    blocks.push(`Tree=${t - startTree}\n${treeToString(trees[t]!)}\n`);
  }
  // Every character of a block is ASCII, so its length is its byte count.
  out += `tree_sizes=${blocks.map((block) => block.length).join(" ")}\n\n`;
  out += blocks.join("");
  out += "end of trees\n";

  // LightGBM counts importance over the first numIteration iterations from 0, not from start.
  const importanceTrees = numIteration > 0 ? Math.min(numIteration * perIteration, trees.length) : trees.length;
  const importance = featureImportance(trees, meta.featureNames.length, options.importanceType ?? "split", importanceTrees);
  const ranked: Array<{ name: string; value: number }> = [];
  importance.forEach((value, feature) => {
    const truncated = Math.trunc(value);
    if (truncated > 0) ranked.push({ name: meta.featureNames[feature]!, value: truncated });
  });
  ranked.sort((a, b) => b.value - a.value); // Array.prototype.sort is stable, like std::stable_sort
  out += "\nfeature_importances:\n";
  for (const { name, value } of ranked) out += `${name}=${value}\n`;

  if (meta.parameters && meta.parameters.length > 0) {
    out += "\nparameters:\n";
    for (const line of meta.parameters) out += line + "\n";
    out += "\nend of parameters\n";
  }
  if (meta.parser && meta.parser.length > 0) {
    out += "\nparser:\n";
    for (const line of meta.parser) out += line + "\n";
    out += "\nend of parser\n";
  }
  out += `\npandas_categorical:${pandasCategoricalText(meta)}\n`;
  return out;
}
