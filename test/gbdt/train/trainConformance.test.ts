import { describe, expect, it } from "vitest";
import { train } from "../../../src/gbdt/train/index.js";
import type { TreeData } from "../../../src/gbdt/tree.js";
import {
  HAVE_FIXTURES,
  SKIP_REASON,
  TRAIN_FIXTURES,
  type TreeFields,
  headerField,
  parseTreeBlocks,
  readCsv,
  readManifest,
  readModelText,
} from "./helpers.js";

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

const ints = (tokens: string[] | undefined): number[] => (tokens ?? []).map(Number);

/** Differences between a trained tree and LightGBM's, as readable strings (empty = identical). */
function compareTree(mine: TreeData, ref: TreeFields, leafTolerance: number): string[] {
  const problems: string[] = [];
  const numLeaves = Number(ref.num_leaves![0]);
  if (mine.numLeaves !== numLeaves) return [`num_leaves ${mine.numLeaves} vs ${numLeaves}`];
  const same = (key: string, got: ArrayLike<number>, want: number[]): void => {
    const g = Array.from(got);
    if (g.length !== want.length || g.some((v, i) => v !== want[i])) problems.push(`${key}: ${g.join(" ")} vs ${want.join(" ")}`);
  };
  if (numLeaves > 1) {
    same("split_feature", mine.splitFeature, ints(ref.split_feature));
    same("threshold", mine.threshold, (ref.threshold ?? []).map(Number));
    same("decision_type", mine.decisionType, ints(ref.decision_type));
    same("left_child", mine.leftChild, ints(ref.left_child));
    same("right_child", mine.rightChild, ints(ref.right_child));
    same("internal_count", mine.internalCount, ints(ref.internal_count));
  }
  same("leaf_count", mine.leafCount, ints(ref.leaf_count));
  if (Number(ref.num_cat![0]) > 0) {
    same("cat_boundaries", mine.catBoundaries, ints(ref.cat_boundaries));
    same("cat_threshold", mine.catThreshold, ints(ref.cat_threshold));
  }
  const want = ref.leaf_value!.map(Number);
  const worst = Math.max(...want.map((v, i) => Math.abs(v - (mine.leafValue[i] ?? NaN))));
  if (!(worst <= leafTolerance)) problems.push(`leaf_value max diff ${worst}`);
  return problems;
}

/** The `[name: value]` lines of a model's parameters section as a params object. */
function parametersSection(modelText: string): Record<string, string> {
  const section = modelText.slice(modelText.indexOf("\nparameters:\n"), modelText.indexOf("\nend of parameters"));
  const params: Record<string, string> = {};
  for (const match of section.matchAll(/^\[([a-z0-9_]+): (.*)\]$/gm)) params[match[1]!] = match[2]!;
  return params;
}

describe.skipIf(!HAVE_FIXTURES)("training reproduces LightGBM 4.7's trees on the train_* fixtures", () => {
  for (const fixture of TRAIN_FIXTURES) {
    it(`${fixture}: structure, thresholds, counts, leaf values and per-iteration metric`, () => {
      const manifest = readManifest(fixture);
      const input = readCsv(fixture, "input.csv");
      const labels = readCsv(fixture, "train_label.csv").columns[0]!;
      const modelText = readModelText(fixture);
      const { num_boost_round: rounds, num_threads: _threads, verbosity: _v, ...rest } = manifest.params as Record<string, never>;
      const result = train({ ...rest, num_iterations: rounds }, { columns: input.columns, labels, featureNames: input.header }, { evalTrainingSet: true });

      expect(result.meta.objective).toBe(headerField(modelText, "objective"));
      expect(result.meta.featureInfos.join(" ")).toBe(headerField(modelText, "feature_infos"));
      const refTrees = parseTreeBlocks(modelText);
      expect(result.trees.length).toBe(refTrees.length);
      const problems = refTrees.flatMap((ref, t) => compareTree(result.trees[t]!, ref, 1e-12).map((p) => `tree ${t}: ${p}`));
      expect(problems.slice(0, 10)).toEqual([]);

      // With the model writer, everything before the parameters section is byte-identical:
      // header, tree_sizes, every tree block (gains, internal values) and feature importances.
      const beforeParameters = (text: string): string => text.slice(0, text.indexOf("\nparameters:\n"));
      expect(beforeParameters(result.booster.toString())).toBe(beforeParameters(modelText));

      // And the trained booster predicts LightGBM's raw scores exactly.
      const expectedRaw = readCsv(fixture, "expected_raw.csv");
      const raw = result.booster.predictColumns(input.columns, { rawScore: true });
      const width = expectedRaw.columns.length;
      let rawMismatches = 0;
      for (let i = 0; i < input.numRows; i++) {
        for (let k = 0; k < width; k++) if (raw[i * width + k] !== expectedRaw.columns[k]![i]) rawMismatches++;
      }
      expect(rawMismatches).toBe(0);

      const expectedEval = readCsv(fixture, "expected_eval.csv");
      const metricName = expectedEval.header[1]!.replace(/^train_/, "");
      const got = result.evalHistory.training![metricName]!;
      const want = Array.from(expectedEval.columns[1]!);
      expect(got.length).toBe(want.length);
      const worst = Math.max(...want.map((w, i) => Math.abs(w - got[i]!) / Math.max(1, Math.abs(w))));
      expect(worst).toBeLessThanOrEqual(1e-13);
    });

    it(`${fixture}: replaying the model's own parameters section trains the same trees`, () => {
      const modelText = readModelText(fixture);
      const params = parametersSection(modelText);
      expect(Object.keys(params).length).toBeGreaterThan(100);
      const input = readCsv(fixture, "input.csv");
      const labels = readCsv(fixture, "train_label.csv").columns[0]!;
      const result = train(params, { columns: input.columns, labels, featureNames: input.header });
      const beforeParameters = (text: string): string => text.slice(0, text.indexOf("\nparameters:\n"));
      expect(beforeParameters(result.booster.toString())).toBe(beforeParameters(modelText));
    });
  }
});
