/**
 * Reader of LightGBM's text model format (`model.txt`, `Booster.model_to_string()`).
 *
 * Tolerant in the ways LightGBM itself is: CRLF line ends, `tree_sizes` ignored (trees are read
 * sequentially), optional tree keys missing (filled with zeros as LightGBM does), `inf`/`nan`
 * tokens, 1-leaf trees, and the trailers Python adds. Structural errors (wrong array lengths,
 * child indices out of range) are reported with the tree and key at fault.
 */
import { LarderError } from "../errors.js";
import { parseNumberToken } from "./numberFormat.js";
import { constantTreeData, DECISION_CATEGORICAL_MASK, type LinearLeaves, type ModelMeta, type TreeData } from "./tree.js";

export interface ParsedModel {
  meta: ModelMeta;
  trees: TreeData[];
}

function formatError(message: string): LarderError {
  return new LarderError("DATA_ERROR", `invalid LightGBM model text: ${message}`, {
    hint: "the model must be LightGBM's text format (Booster.save_model / model_to_string)",
  });
}

function tokensOf(value: string): string[] {
  return value.split(" ").filter((token) => token.length > 0);
}

function parseInteger(token: string, where: string): number {
  const value = parseNumberToken(token);
  if (value === undefined || !Number.isInteger(value)) {
    throw formatError(`${where}: expected an integer, got '${token}'`);
  }
  return value;
}

function parseFloatToken(token: string, where: string): number {
  const value = parseNumberToken(token);
  if (value === undefined) throw formatError(`${where}: expected a number, got '${token}'`);
  return value;
}

/** Header lines, tree blocks and trailer sections, split but not yet interpreted. */
interface RawSections {
  header: Map<string, string>;
  trees: Array<{ title: string; keys: Map<string, string> }>;
  parameters: string[] | null;
  parser: string[] | null;
  pandasCategoricalJson: string | undefined;
}

function isSectionStart(line: string): boolean {
  return (
    line.startsWith("Tree=") ||
    line === "end of trees" ||
    line === "feature_importances:" ||
    line === "parameters:" ||
    line.startsWith("pandas_categorical:")
  );
}

function splitSections(text: string): RawSections {
  const lines = text.split(/\r\n|\n|\r/);
  const header = new Map<string, string>();
  let i = 0;
  for (; i < lines.length && !isSectionStart(lines[i]!); i++) {
    const line = lines[i]!;
    if (line.length === 0) continue;
    const eq = line.indexOf("=");
    if (eq < 0) header.set(line.trim(), "");
    else header.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const trees: RawSections["trees"] = [];
  while (i < lines.length && lines[i]!.startsWith("Tree=")) {
    const title = lines[i]!;
    const keys = new Map<string, string>();
    for (i++; i < lines.length && lines[i]!.length > 0; i++) {
      const line = lines[i]!;
      const eq = line.indexOf("=");
      if (eq < 0) throw formatError(`${title}: line without '=': '${line.slice(0, 80)}'`);
      keys.set(line.slice(0, eq), line.slice(eq + 1));
    }
    while (i < lines.length && lines[i]!.length === 0) i++;
    trees.push({ title, keys });
  }
  let parameters: string[] | null = null;
  let parser: string[] | null = null;
  let pandasCategoricalJson: string | undefined;
  let section: "none" | "parameters" | "parser" = "none";
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (section === "parameters") {
      if (line === "end of parameters") section = "none";
      else if (line.length > 0) parameters!.push(line);
    } else if (section === "parser") {
      if (line === "end of parser") section = "none";
      else if (line.length > 0) parser!.push(line);
    } else if (line === "parameters:") {
      section = "parameters";
      parameters = [];
    } else if (line === "parser:") {
      section = "parser";
      parser = [];
    } else if (line.startsWith("pandas_categorical:")) {
      pandasCategoricalJson = line.slice("pandas_categorical:".length);
    }
  }
  return { header, trees, parameters, parser, pandasCategoricalJson };
}

/** Reads one tree block the way LightGBM's tree constructor does. */
function parseTree(title: string, keys: Map<string, string>, numFeatures: number): TreeData {
  const where = (key: string) => `${title} ${key}`;
  const required = (key: string): string => {
    const value = keys.get(key);
    if (value === undefined) throw formatError(`${title} lacks the required key '${key}'`);
    return value;
  };
  const numLeaves = parseInteger(required("num_leaves"), where("num_leaves"));
  const numCat = parseInteger(required("num_cat"), where("num_cat"));
  if (numLeaves < 1) throw formatError(`${title}: num_leaves must be >= 1, got ${numLeaves}`);
  if (numCat < 0) throw formatError(`${title}: num_cat must be >= 0, got ${numCat}`);
  const isLinear = keys.has("is_linear") && parseInteger(keys.get("is_linear")!, where("is_linear")) !== 0;

  const numbers = (key: string, length: number, isRequired: boolean, integer: boolean): number[] | undefined => {
    const value = isRequired ? required(key) : keys.get(key);
    if (value === undefined) return undefined;
    const tokens = tokensOf(value);
    if (tokens.length < length) {
      throw formatError(`${title} ${key}: expected ${length} values, found ${tokens.length}`);
    }
    const out = new Array<number>(length);
    for (let j = 0; j < length; j++) {
      out[j] = integer ? parseInteger(tokens[j]!, where(key)) : parseFloatToken(tokens[j]!, where(key));
    }
    return out;
  };
  const intArray = (key: string, length: number, isRequired = false) =>
    Int32Array.from(numbers(key, length, isRequired, true) ?? new Array<number>(length).fill(0));
  const floatArray = (key: string, length: number, isRequired = false) =>
    Float64Array.from(numbers(key, length, isRequired, false) ?? new Array<number>(length).fill(0));

  const leafValue = floatArray("leaf_value", numLeaves, true);
  const leafCount = intArray("leaf_count", numLeaves);
  const shrinkage = keys.has("shrinkage") ? parseFloatToken(keys.get("shrinkage")!, where("shrinkage")) : 1;

  if (numLeaves === 1 && !isLinear) {
    // LightGBM reads nothing else of a constant tree, so its other arrays come back empty.
    return constantTreeData(leafValue[0]!, leafCount[0]!, shrinkage);
  }

  const numInternal = numLeaves - 1;
  const splitGain = floatArray("split_gain", numInternal);
  for (let j = 0; j < numInternal; j++) splitGain[j] = Math.fround(splitGain[j]!);
  const decisionTokens = numbers("decision_type", numInternal, false, true);
  const decisionType = new Uint8Array(numInternal);
  if (decisionTokens) for (let j = 0; j < numInternal; j++) decisionType[j] = decisionTokens[j]! & 0xff;

  let catBoundaries = new Int32Array(0);
  let catThreshold = new Uint32Array(0);
  if (numCat > 0) {
    catBoundaries = intArray("cat_boundaries", numCat + 1, true);
    for (let j = 0; j < numCat; j++) {
      if (catBoundaries[j]! < 0 || catBoundaries[j + 1]! < catBoundaries[j]!) {
        throw formatError(`${title} cat_boundaries must be non-negative and non-decreasing`);
      }
    }
    const words = numbers("cat_threshold", catBoundaries[numCat]!, true, true)!;
    catThreshold = Uint32Array.from(words, (word) => word >>> 0);
  }

  const tree: TreeData = {
    numLeaves,
    numCat,
    splitFeature: intArray("split_feature", numInternal, true),
    splitGain,
    threshold: floatArray("threshold", numInternal, true),
    decisionType,
    leftChild: intArray("left_child", numInternal, true),
    rightChild: intArray("right_child", numInternal, true),
    leafValue,
    leafWeight: floatArray("leaf_weight", numLeaves),
    leafCount,
    internalValue: floatArray("internal_value", numInternal),
    internalWeight: floatArray("internal_weight", numInternal),
    internalCount: intArray("internal_count", numInternal),
    catBoundaries,
    catThreshold,
    isLinear,
    shrinkage,
  };
  if (isLinear) tree.linear = parseLinearLeaves(title, keys, numLeaves, numFeatures);
  validateTreeStructure(tree, title, numFeatures);
  return tree;
}

/** A linear tree's `leaf_const`, `num_features`, `leaf_features` and `leaf_coeff` lines. */
function parseLinearLeaves(title: string, keys: Map<string, string>, numLeaves: number, numFeatures: number): LinearLeaves {
  const tokens = (key: string): string[] => (keys.has(key) ? tokensOf(keys.get(key)!) : []);
  const constTokens = tokens("leaf_const");
  const countTokens = tokens("num_features");
  const featureTokens = tokens("leaf_features");
  const coeffTokens = tokens("leaf_coeff");
  const leafConst = new Float64Array(numLeaves);
  const leafFeatures: Int32Array[] = [];
  const leafCoeff: Float64Array[] = [];
  let next = 0;
  for (let leaf = 0; leaf < numLeaves; leaf++) {
    if (leaf < constTokens.length) leafConst[leaf] = parseFloatToken(constTokens[leaf]!, `${title} leaf_const`);
    const count = leaf < countTokens.length ? parseInteger(countTokens[leaf]!, `${title} num_features`) : 0;
    if (count < 0 || next + count > featureTokens.length || next + count > coeffTokens.length) {
      throw formatError(`${title}: num_features says ${next + count} leaf features, leaf_features and leaf_coeff have fewer`);
    }
    const features = new Int32Array(count);
    const coeff = new Float64Array(count);
    for (let i = 0; i < count; i++, next++) {
      features[i] = parseInteger(featureTokens[next]!, `${title} leaf_features`);
      coeff[i] = parseFloatToken(coeffTokens[next]!, `${title} leaf_coeff`);
      if (features[i]! < 0 || features[i]! >= numFeatures) {
        throw formatError(`${title}: leaf ${leaf} uses feature ${features[i]}, but the model has ${numFeatures}`);
      }
    }
    leafFeatures.push(features);
    leafCoeff.push(coeff);
  }
  return { leafConst, leafFeatures, leafCoeff };
}

/**
 * Checks what prediction relies on, so that a damaged file fails here with a clear message
 * instead of looping or reading out of bounds later.
 */
export function validateTreeStructure(tree: TreeData, title: string, numFeatures: number): void {
  const numInternal = tree.numLeaves - 1;
  const seen = new Uint8Array(numInternal + tree.numLeaves);
  const mark = (child: number, parent: number) => {
    const slot = child >= 0 ? child : numInternal + ~child;
    if (child >= numInternal || ~child >= tree.numLeaves || child === 0) {
      throw formatError(`${title}: node ${parent} has child ${child}, out of range`);
    }
    if (seen[slot]) throw formatError(`${title}: node or leaf ${child} is reached twice`);
    seen[slot] = 1;
  };
  for (let node = 0; node < numInternal; node++) {
    const feature = tree.splitFeature[node]!;
    if (feature < 0 || feature >= numFeatures) {
      throw formatError(`${title}: node ${node} splits on feature ${feature}, but the model has ${numFeatures}`);
    }
    mark(tree.leftChild[node]!, node);
    mark(tree.rightChild[node]!, node);
    if (tree.decisionType[node]! & DECISION_CATEGORICAL_MASK) {
      const j = tree.threshold[node]!;
      if (!(Number.isInteger(j) && j >= 0 && j < tree.numCat)) {
        throw formatError(`${title}: categorical node ${node} refers to bitset ${j}, but num_cat=${tree.numCat}`);
      }
      const lo = tree.catBoundaries[j]!;
      const hi = tree.catBoundaries[j + 1]!;
      if (!(lo >= 0 && hi >= lo && hi <= tree.catThreshold.length)) {
        throw formatError(`${title}: cat_boundaries ${lo}..${hi} out of range`);
      }
    }
  }
}

function parsePandasCategorical(json: string | undefined): unknown {
  if (json === undefined) return null;
  try {
    return JSON.parse(json);
  } catch (cause) {
    throw new LarderError("DATA_ERROR", "invalid LightGBM model text: the pandas_categorical line is not JSON", {
      cause,
      hint: "the line must look like pandas_categorical:null or pandas_categorical:[[\"a\", \"b\"]]",
    });
  }
}

export function parseModelText(text: string): ParsedModel {
  const raw = splitSections(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = raw.header;
  const headerInt = (key: string, fallback?: number): number => {
    const value = header.get(key);
    if (value === undefined) {
      if (fallback === undefined) throw formatError(`the header lacks '${key}='`);
      return fallback;
    }
    return parseInteger(value.trim(), key);
  };
  const numClass = headerInt("num_class");
  const numTreePerIteration = headerInt("num_tree_per_iteration", numClass);
  const featureNamesText = header.get("feature_names");
  const featureNames = featureNamesText === undefined ? undefined : tokensOf(featureNamesText);
  const maxFeatureIdx = headerInt("max_feature_idx", featureNames ? featureNames.length - 1 : undefined);
  const numFeatures = maxFeatureIdx + 1;
  if (numClass < 1 || numTreePerIteration < 1) {
    throw formatError(`num_class (${numClass}) and num_tree_per_iteration (${numTreePerIteration}) must be >= 1`);
  }
  const names = featureNames ?? Array.from({ length: numFeatures }, (_, j) => `Column_${j}`);
  if (names.length !== numFeatures) {
    throw formatError(`feature_names has ${names.length} names but max_feature_idx=${maxFeatureIdx}`);
  }
  const infosText = header.get("feature_infos");
  const featureInfos = infosText === undefined ? names.map(() => "none") : tokensOf(infosText);
  if (featureInfos.length !== numFeatures) {
    throw formatError(`feature_infos has ${featureInfos.length} entries but the model has ${numFeatures} features`);
  }
  const monotoneText = header.get("monotone_constraints");
  const monotoneConstraints = monotoneText === undefined ? undefined : tokensOf(monotoneText).map((t) => parseInteger(t, "monotone_constraints"));
  if (monotoneConstraints && monotoneConstraints.length !== numFeatures) {
    throw formatError(`monotone_constraints has ${monotoneConstraints.length} entries but the model has ${numFeatures} features`);
  }

  const trees = raw.trees.map(({ title, keys }) => parseTree(title, keys, numFeatures));
  if (trees.length % numTreePerIteration !== 0) {
    throw formatError(`${trees.length} trees is not a multiple of num_tree_per_iteration=${numTreePerIteration}`);
  }

  const meta: ModelMeta = {
    version: header.get("version") ?? "v4",
    numClass,
    numTreePerIteration,
    labelIndex: headerInt("label_index", 0),
    maxFeatureIdx,
    objective: header.get("objective") ?? "",
    averageOutput: header.has("average_output"),
    featureNames: names,
    featureInfos,
    parameters: raw.parameters,
    pandasCategorical: parsePandasCategorical(raw.pandasCategoricalJson),
    parser: raw.parser,
  };
  if (monotoneConstraints) meta.monotoneConstraints = monotoneConstraints;
  if (raw.pandasCategoricalJson !== undefined) meta.pandasCategoricalJson = raw.pandasCategoricalJson;
  return { meta, trees };
}
