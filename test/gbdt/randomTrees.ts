/**
 * Seeded random trees and rows that reach every decision rule: numerical splits with missing
 * type None / Zero / NaN and both default directions, thresholds at and around ±1e-35 and 0,
 * categorical bitsets over several words, and rows full of NaN, ±0, tiny, huge and odd values.
 */
import { SeededRandom } from "../../src/core/random.js";
import type { ModelMeta, TreeData } from "../../src/gbdt/index.js";

const K_ZERO = 1.0000000180025095e-35;
const SPECIAL_THRESHOLDS = [K_ZERO, -K_ZERO, 0, 5e-36, -5e-36, 1, -1, 2.5];
const SPECIAL_VALUES = [NaN, 0, -0, K_ZERO, -K_ZERO, 5e-36, -5e-36, 2e-35, -2e-35, 1, -1, 2.5, 1e300, -1e300, Infinity, -Infinity];
const SPECIAL_CATEGORIES = [NaN, -1, -0.5, 0, 0.9, 1.7, 31, 32, 33, 63, 64, 95, 1000, 2 ** 31, 2 ** 32 + 3, -(2 ** 31)];

export interface RandomModelOptions {
  numFeatures: number;
  numTrees: number;
  maxLeaves: number;
  categoricalFeatures?: number[];
  perIteration?: number;
  /** Missing types numerical splits draw from (0 None, 1 Zero, 2 NaN); all three by default. */
  missingTypes?: readonly number[];
}

function pick<T>(random: SeededRandom, values: readonly T[]): T {
  return values[Math.floor(random.next() * values.length)]!;
}

export function randomTree(
  random: SeededRandom,
  numFeatures: number,
  maxLeaves: number,
  categorical: ReadonlySet<number>,
  missingTypes: readonly number[] = [0, 1, 2],
): TreeData {
  const numLeaves = 1 + Math.floor(random.next() * maxLeaves);
  const left: number[] = [];
  const right: number[] = [];
  const leafParent: Array<[number, "L" | "R"] | undefined> = [undefined];
  for (let leaves = 1; leaves < numLeaves; leaves++) {
    const leaf = Math.floor(random.next() * leaves);
    const node = leaves - 1;
    const parent = leafParent[leaf];
    if (parent) (parent[1] === "L" ? left : right)[parent[0]] = node;
    left[node] = ~leaf;
    right[node] = ~leaves;
    leafParent[leaf] = [node, "L"];
    leafParent[leaves] = [node, "R"];
  }
  const numInternal = numLeaves - 1;
  const splitFeature = new Int32Array(numInternal);
  const threshold = new Float64Array(numInternal);
  const decisionType = new Uint8Array(numInternal);
  const catBoundaries: number[] = [0];
  const catThreshold: number[] = [];
  for (let node = 0; node < numInternal; node++) {
    const feature = Math.floor(random.next() * numFeatures);
    splitFeature[node] = feature;
    if (categorical.has(feature)) {
      const words = 1 + Math.floor(random.next() * 3);
      for (let w = 0; w < words; w++) catThreshold.push(random.nextUint32());
      threshold[node] = catBoundaries.length - 1;
      catBoundaries.push(catThreshold.length);
      decisionType[node] = 1 | (random.next() < 0.5 ? 8 : 0);
    } else {
      threshold[node] = random.next() < 0.4 ? pick(random, SPECIAL_THRESHOLDS) : (random.next() - 0.5) * 4;
      const missing = pick(random, missingTypes);
      decisionType[node] = (missing << 2) | (random.next() < 0.5 ? 2 : 0);
    }
  }
  const leafCount = Int32Array.from({ length: numLeaves }, () => 1 + Math.floor(random.next() * 50));
  const internalCount = new Int32Array(numInternal);
  const countOf = (child: number): number =>
    child < 0 ? leafCount[~child]! : (internalCount[child] = countOf(left[child]!) + countOf(right[child]!));
  if (numInternal > 0) countOf(0);
  return {
    numLeaves,
    numCat: catBoundaries.length - 1,
    splitFeature,
    splitGain: Float64Array.from({ length: numInternal }, () => Math.fround(random.next() * 100)),
    threshold,
    decisionType,
    leftChild: Int32Array.from(left),
    rightChild: Int32Array.from(right),
    leafValue: Float64Array.from({ length: numLeaves }, () => random.next() * 2 - 1),
    leafWeight: Float64Array.from(leafCount, (count) => count * 0.25),
    leafCount,
    internalValue: new Float64Array(numInternal),
    internalWeight: Float64Array.from(internalCount, (count) => count * 0.25),
    internalCount,
    catBoundaries: catBoundaries.length > 1 ? Int32Array.from(catBoundaries) : new Int32Array(0),
    catThreshold: Uint32Array.from(catThreshold),
    isLinear: false,
    shrinkage: 0.1,
  };
}

export function randomModel(seed: number, options: RandomModelOptions): { meta: ModelMeta; trees: TreeData[] } {
  const random = new SeededRandom(seed);
  const categorical = new Set(options.categoricalFeatures ?? []);
  const perIteration = options.perIteration ?? 1;
  const trees = Array.from({ length: options.numTrees * perIteration }, () =>
    randomTree(random, options.numFeatures, options.maxLeaves, categorical, options.missingTypes),
  );
  const featureNames = Array.from({ length: options.numFeatures }, (_, j) => `f${j}`);
  const meta: ModelMeta = {
    version: "v4",
    numClass: perIteration,
    numTreePerIteration: perIteration,
    labelIndex: 0,
    maxFeatureIdx: options.numFeatures - 1,
    objective: perIteration > 1 ? `multiclass num_class:${perIteration}` : "binary sigmoid:1",
    averageOutput: false,
    featureNames,
    featureInfos: featureNames.map((_, j) => (categorical.has(j) ? "-1:0:1:2" : "[-3:3]")),
    parameters: null,
    pandasCategorical: null,
  };
  return { meta, trees };
}

export function randomRows(seed: number, numRows: number, numFeatures: number, categorical: readonly number[] = []): Float64Array {
  const random = new SeededRandom(seed);
  const isCategorical = new Set(categorical);
  const rows = new Float64Array(numRows * numFeatures);
  for (let i = 0; i < rows.length; i++) {
    const feature = i % numFeatures;
    const special = random.next() < 0.35;
    if (isCategorical.has(feature)) {
      rows[i] = special ? pick(random, SPECIAL_CATEGORIES) : Math.floor(random.next() * 96);
    } else {
      rows[i] = special ? pick(random, SPECIAL_VALUES) : (random.next() - 0.5) * 4;
    }
  }
  return rows;
}

/** A tree that is one long chain: node i sends x <= i/10 to leaf i and the rest down the chain. */
export function chainTree(numLeaves: number): TreeData {
  const internal = numLeaves - 1;
  return {
    numLeaves,
    numCat: 0,
    splitFeature: new Int32Array(internal),
    splitGain: new Float64Array(internal).fill(1),
    threshold: Float64Array.from({ length: internal }, (_, i) => i / 10 - 5),
    decisionType: new Uint8Array(internal).fill(8),
    leftChild: Int32Array.from({ length: internal }, (_, i) => ~i),
    rightChild: Int32Array.from({ length: internal }, (_, i) => (i + 1 < internal ? i + 1 : ~(i + 1))),
    leafValue: Float64Array.from({ length: numLeaves }, (_, i) => i * 0.001 - 0.05),
    leafWeight: new Float64Array(numLeaves),
    leafCount: new Int32Array(numLeaves).fill(1),
    internalValue: new Float64Array(internal),
    internalWeight: new Float64Array(internal),
    internalCount: Int32Array.from({ length: internal }, (_, i) => numLeaves - i),
    catBoundaries: new Int32Array(0),
    catThreshold: new Uint32Array(0),
    isLinear: false,
    shrinkage: 1,
  };
}
