import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { LarderError } from "../../src/errors.js";
import { Booster } from "../../src/gbdt/index.js";
import {
  GOLDEN_MISSING_MESSAGE,
  goldenAvailable,
  goldenFixtureNames,
  readGoldenCsv,
  readGoldenText,
} from "../helpers/goldenCsv.js";
import { randomModel, randomRows } from "./randomTrees.js";

if (!goldenAvailable) console.warn(GOLDEN_MISSING_MESSAGE);

/** First differing line, for a readable failure instead of two 100 kB strings. */
function firstDifference(actual: string, expected: string): string | null {
  if (actual === expected) return null;
  const a = actual.split("\n");
  const b = expected.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  got      ${a[i]?.slice(0, 200)}\n  expected ${b[i]?.slice(0, 200)}`;
  }
  return "same lines, different bytes";
}

/** Tree blocks of a model text, for checking tree_sizes. */
function treeBlocks(text: string): string[] {
  const start = text.indexOf("\n\nTree=") + 2;
  const end = text.indexOf("end of trees\n");
  return text
    .slice(start, end)
    .split(/(?=^Tree=\d+$)/m)
    .filter((block) => block.length > 0);
}

function treeSizes(text: string): number[] {
  return /^tree_sizes=(.*)$/m.exec(text)![1]!.split(" ").map(Number);
}

function sectionLines(text: string, title: string): string[] {
  const start = text.indexOf(`\n${title}\n`) + title.length + 2;
  return text.slice(start, text.indexOf("\n\n", start)).split("\n").filter((line) => line.length > 0);
}

describe.skipIf(!goldenAvailable)("the golden model.txt files", () => {
  for (const name of goldenFixtureNames()) {
    describe(name, () => {
      const text = readGoldenText(name, "model.txt");

      it("fromString then toString gives identical bytes", () => {
        expect(firstDifference(Booster.fromString(text).toString(), text)).toBeNull();
      });

      it("fromTrees with the same meta and trees writes identical bytes (tree_sizes and importances recomputed)", () => {
        const loaded = Booster.fromString(text);
        const rebuilt = Booster.fromTrees(loaded.modelMeta, loaded.trees);
        expect(firstDifference(rebuilt.toString(), text)).toBeNull();
      });

      it("split importance equals the file's feature_importances section; gain sums split_gain", () => {
        const booster = Booster.fromString(text);
        const split = booster.featureImportance("split");
        const expected = new Map(sectionLines(text, "feature_importances:").map((line) => line.split("=") as [string, string]));
        booster.featureNames.forEach((feature, j) => expect(split[j]).toBe(Number(expected.get(feature) ?? 0)));
        const gain = booster.featureImportance("gain");
        const sums = new Float64Array(booster.numFeatures);
        for (const block of treeBlocks(text)) {
          const features = /^split_feature=(.*)$/m.exec(block)![1]!.split(" ").filter(Boolean).map(Number);
          const gains = /^split_gain=(.*)$/m.exec(block)![1]!.split(" ").filter(Boolean).map(Number);
          features.forEach((f, i) => (sums[f] += gains[i]! > 0 ? Math.fround(gains[i]!) : 0));
        }
        expect(gain).toEqual(sums);
      });
    });
  }
});

describe.skipIf(!goldenAvailable)("tolerant reading", () => {
  const name = "binary_cat_nan";
  const text = goldenAvailable ? readGoldenText(name, "model.txt") : "";
  const input = goldenAvailable ? readGoldenCsv(name, "input.csv").values : new Float64Array(0);
  const expectedRaw = goldenAvailable ? readGoldenCsv(name, "expected_raw.csv").values : new Float64Array(0);

  it("reads CRLF line ends and writes the LF original back", () => {
    const booster = Booster.fromString(text.replace(/\n/g, "\r\n"));
    expect(booster.predict(input, { rawScore: true })).toEqual(expectedRaw);
    expect(firstDifference(booster.toString(), text)).toBeNull();
  });

  it("reads a model stripped of every optional key and section and predicts the same", () => {
    const optional = /^(tree_sizes|version|split_gain|leaf_weight|leaf_count|internal_value|internal_weight|internal_count|is_linear|shrinkage)=.*\n/gm;
    const trailerStart = text.indexOf("end of trees");
    const stripped = text.slice(0, trailerStart).replace(optional, "") + "end of trees\n";
    const booster = Booster.fromString(stripped);
    expect(booster.predict(input, { rawScore: true })).toEqual(expectedRaw);
    expect(booster.modelMeta.parameters).toBeNull();
    // LightGBM fills missing arrays with zeros and writes them back that way
    expect(booster.toString()).toMatch(/^leaf_weight=0 0 0 /m);
    expect(booster.toString()).toMatch(/^shrinkage=1$/m);
  });

  it("reads inf / nan / none tokens", () => {
    const edited = text
      .replace(/^feature_infos=\S+/m, "feature_infos=[-inf:inf]")
      .replace(/ -1:0:1:2$/m, " none");
    const booster = Booster.fromString(edited);
    expect(booster.modelMeta.featureInfos[0]).toBe("[-inf:inf]");
    expect(booster.modelMeta.featureInfos[5]).toBe("none");
    const infThreshold = Booster.fromString(edited.replace(/^threshold=0 -0.41216003701241183/m, "threshold=0 inf"));
    expect(infThreshold.trees[0]!.threshold[1]).toBe(Infinity);
    expect(infThreshold.toString()).toMatch(/^threshold=0 inf /m);
  });

  it("replays the pandas_categorical JSON as written, even where JSON.parse loses Python's spelling", () => {
    const trailer = 'pandas_categorical:[[1.0, 2.5, 3.0], ["caf\\u00e9", "b"]]';
    const edited = text.replace("pandas_categorical:null", trailer);
    const booster = Booster.fromString(edited);
    expect(booster.pandasCategorical).toEqual([[1, 2.5, 3], ["café", "b"]]);
    expect(booster.toString()).toBe(edited);
    const meta = booster.modelMeta;
    meta.pandasCategorical = [["café", "x"]];
    expect(Booster.fromTrees(meta, booster.trees).toString()).toContain('\npandas_categorical:[["caf\\u00e9", "x"]]\n');
  });
});

describe.skipIf(!goldenAvailable)("damaged model text", () => {
  it("seeded random damage is either read or rejected with a LarderError, never a crash", () => {
    const lines = readGoldenText("binary_cat_nan", "model.txt").split("\n");
    const random = new SeededRandom(99);
    const rows = new Float64Array(6 * 5).map(() => random.uniform(-2, 2));
    const crashes: string[] = [];
    let rejected = 0;
    for (let i = 0; i < 400; i++) {
      const copy = [...lines];
      for (let edit = random.int(0, 3); edit >= 0; edit--) {
        const at = random.int(0, copy.length);
        const line = copy[at] ?? "";
        const kind = random.int(0, 4);
        if (kind === 0) copy.splice(at, 1);
        else if (kind === 1) copy[at] = line.replace(/-?\d+(\.\d+)?/, random.pick(["-5", "999", "abc", "", "nan", "1e400", "0.5"]));
        else if (kind === 2) copy[at] = line.slice(0, random.int(0, line.length + 1));
        else copy.splice(at, 0, copy[random.int(0, copy.length)]!);
      }
      try {
        const booster = Booster.fromString(copy.join("\n"));
        booster.predict(rows);
        booster.predictContrib(rows);
        booster.toString();
      } catch (err) {
        if (err instanceof LarderError) rejected++;
        else crashes.push(String(err));
      }
    }
    expect(crashes).toEqual([]);
    expect(rejected).toBeGreaterThan(50);
  });
});

describe("1-leaf trees", () => {
  const oneLeafModel = [
    "tree",
    "version=v4",
    "num_class=1",
    "num_tree_per_iteration=1",
    "label_index=0",
    "max_feature_idx=1",
    "objective=regression",
    "feature_names=a b",
    "feature_infos=[0:1] none",
    "tree_sizes=999",
    "",
    "Tree=0",
    "num_leaves=1",
    "num_cat=0",
    "split_feature=",
    "split_gain=",
    "threshold=",
    "decision_type=",
    "left_child=",
    "right_child=",
    "leaf_value=4.8600000000000003",
    "leaf_weight=100",
    "leaf_count=100",
    "internal_value=",
    "internal_weight=",
    "internal_count=",
    "is_linear=0",
    "shrinkage=1",
    "",
    "",
    "end of trees",
    "",
  ].join("\n");

  it("predicts the constant, writes LightGBM's reloaded form (empty leaf_weight) with exact tree_sizes", () => {
    const booster = Booster.fromString(oneLeafModel);
    expect([...booster.predict([[0.3, 7]])]).toEqual([4.86]);
    expect([...booster.predictLeaf([[0.3, 7]])]).toEqual([0]);
    const written = booster.toString();
    expect(written).toMatch(/^leaf_weight=$/m);
    expect(written).toMatch(/^leaf_count=100$/m);
    expect(treeSizes(written)).toEqual(treeBlocks(written).map((block) => block.length));
    expect(written.endsWith("end of trees\n\nfeature_importances:\n\npandas_categorical:null\n")).toBe(true);
  });
});

describe("writing models built from trees", () => {
  it("tree_sizes are the byte lengths of the blocks, and windows renumber trees from 0", () => {
    const { meta, trees } = randomModel(41, { numFeatures: 5, numTrees: 6, maxLeaves: 10, categoricalFeatures: [3], perIteration: 2 });
    const booster = Booster.fromTrees(meta, trees);
    const full = booster.toString();
    expect(treeSizes(full)).toEqual(treeBlocks(full).map((block) => block.length));
    const window = booster.toString({ startIteration: 2, numIteration: 3 });
    expect(treeBlocks(window).map((block) => block.split("\n")[0])).toEqual(["Tree=0", "Tree=1", "Tree=2", "Tree=3", "Tree=4", "Tree=5"]);
    expect(treeSizes(window)).toEqual(treeBlocks(window).map((block) => block.length));
    const reread = Booster.fromString(window);
    const rows = randomRows(42, 30, 5, [3]);
    expect(reread.predict(rows, { rawScore: true })).toEqual(booster.predict(rows, { rawScore: true, startIteration: 2, numIteration: 3 }));
  });

  it("a written model reads back to the same trees and the same bytes", () => {
    const { meta, trees } = randomModel(43, { numFeatures: 4, numTrees: 15, maxLeaves: 31, categoricalFeatures: [0] });
    const text = Booster.fromTrees(meta, trees).toString();
    const reread = Booster.fromString(text);
    expect(reread.toString()).toBe(text);
    const rows = randomRows(44, 200, 4, [0]);
    expect(reread.predict(rows, { rawScore: true })).toEqual(Booster.fromTrees(meta, trees).predict(rows, { rawScore: true }));
  });

  it("importance lines are sorted by count, ties in feature order, zero counts left out", () => {
    const { meta, trees } = randomModel(45, { numFeatures: 6, numTrees: 4, maxLeaves: 5 });
    const booster = Booster.fromTrees(meta, trees);
    const split = booster.featureImportance("split");
    const lines = sectionLines(booster.toString(), "feature_importances:");
    const expected = [...split]
      .map((count, j) => ({ count, name: meta.featureNames[j]! }))
      .filter(({ count }) => count > 0)
      .sort((x, y) => y.count - x.count)
      .map(({ count, name }) => `${name}=${count}`);
    expect(lines).toEqual(expected);
  });

  it("importanceType 'gain' writes truncated summed gains", () => {
    const { meta, trees } = randomModel(47, { numFeatures: 4, numTrees: 6, maxLeaves: 7 });
    const booster = Booster.fromTrees(meta, trees);
    const gain = booster.featureImportance("gain");
    const lines = sectionLines(booster.toString({ importanceType: "gain" }), "feature_importances:");
    const expected = [...gain]
      .map((value, j) => ({ value: Math.trunc(value), name: meta.featureNames[j]! }))
      .filter(({ value }) => value > 0)
      .sort((x, y) => y.value - x.value)
      .map(({ value, name }) => `${name}=${value}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual(expected);
  });

  it("fromTrees copies its input and checks its shape", () => {
    const { meta, trees } = randomModel(46, { numFeatures: 3, numTrees: 2, maxLeaves: 4 });
    const booster = Booster.fromTrees(meta, trees);
    const before = booster.predict([[0.5, 0.5, 0.5]], { rawScore: true })[0];
    trees[0]!.leafValue.fill(100);
    expect(booster.predict([[0.5, 0.5, 0.5]], { rawScore: true })[0]).toBe(before);
    expect(() => Booster.fromTrees({ ...meta, featureNames: ["a"] }, trees)).toThrow(LarderError);
    const broken = { ...trees[1]!, numLeaves: 3, leftChild: Int32Array.of(1, -1), rightChild: Int32Array.of(-2, 5) };
    broken.splitFeature = Int32Array.of(0, 1);
    broken.threshold = Float64Array.of(0, 0);
    broken.decisionType = Uint8Array.of(0, 0);
    expect(() => Booster.fromTrees(meta, [trees[0]!, broken])).toThrow(/child 5, out of range/);
  });
});

describe("model text errors", () => {
  const minimal = (tree: string[]) =>
    ["tree", "num_class=1", "label_index=0", "max_feature_idx=0", "feature_names=x", "feature_infos=[0:1]", "", ...tree, "", "end of trees", ""].join("\n");

  it("names what is missing or malformed", () => {
    expect(() => Booster.fromString("tree\nlabel_index=0\n")).toThrow(/lacks 'num_class='/);
    expect(() => Booster.fromString(minimal(["Tree=0", "num_cat=0", "leaf_value=1"]))).toThrow(/Tree=0 lacks the required key 'num_leaves'/);
    expect(() => Booster.fromString(minimal(["Tree=0", "num_leaves=2", "num_cat=0", "leaf_value=1"]))).toThrow(/expected 2 values, found 1/);
    expect(() =>
      Booster.fromString(minimal(["Tree=0", "num_leaves=2", "num_cat=0", "split_feature=3", "threshold=0", "left_child=-1", "right_child=-2", "leaf_value=1 2"])),
    ).toThrow(/splits on feature 3, but the model has 1/);
    expect(() =>
      Booster.fromString(minimal(["Tree=0", "num_leaves=2", "num_cat=0", "split_feature=0", "threshold=abc", "left_child=-1", "right_child=-2", "leaf_value=1 2"])),
    ).toThrow(/expected a number, got 'abc'/);
    expect(() =>
      Booster.fromString(
        minimal(["Tree=0", "num_leaves=2", "num_cat=1", "split_feature=0", "threshold=0", "decision_type=1", "left_child=-1", "right_child=-2", "leaf_value=1 2", "cat_boundaries=0 -3", "cat_threshold="]),
      ),
    ).toThrow(/cat_boundaries must be non-negative and non-decreasing/);
    // A linear tree reads every array, even with one leaf, and its leaf models must add up.
    expect(() => Booster.fromString(minimal(["Tree=0", "num_leaves=1", "num_cat=0", "leaf_value=1", "is_linear=1"]))).toThrow(
      /lacks the required key/,
    );
    const oneLeafLinear = ["Tree=0", "num_leaves=1", "num_cat=0", "split_feature=", "threshold=", "left_child=", "right_child=", "leaf_value=1", "is_linear=1"];
    expect(() =>
      Booster.fromString(minimal([...oneLeafLinear, "leaf_const=1", "num_features=2", "leaf_features=0  ", "leaf_coeff=0.5  "])),
    ).toThrow(/num_features says 2 leaf features/);
    expect(() => Booster.fromString(minimal([...oneLeafLinear, "leaf_const=1", "num_features=1", "leaf_features=4  ", "leaf_coeff=0.5  "]))).toThrow(
      /uses feature 4, but the model has 1/,
    );
    const constant = Booster.fromString(minimal([...oneLeafLinear, "leaf_const=1", "num_features=1", "leaf_features=0  ", "leaf_coeff=0.5  "]));
    expect([...constant.predict([[2], [NaN], [1e-40]], { rawScore: true })]).toEqual([2, 1, 1]);
  });

  it("a model with no trees predicts zeros", () => {
    const booster = Booster.fromString(minimal([]).replace("feature_infos=[0:1]", "objective=regression\nfeature_infos=[0:1]"));
    expect(booster.numTrees).toBe(0);
    expect([...booster.predict([[1], [2]])]).toEqual([0, 0]);
  });
});
