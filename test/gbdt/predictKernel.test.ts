import { describe, expect, it } from "vitest";
import { compileForest, computeRawCompiled } from "../../src/gbdt/compiledForest.js";
import { flattenForest } from "../../src/gbdt/flatForest.js";
import { computeRaw } from "../../src/gbdt/predictKernel.js";
import { chainTree, randomModel, randomRows } from "./randomTrees.js";
import { referenceRaw } from "./referencePredictor.js";

describe("batch kernels: four-row walk and compiled trees equal the plain reference", () => {
  const cases = [
    { seed: 61, numFeatures: 5, numTrees: 30, maxLeaves: 31, categoricalFeatures: [3], perIteration: 1 },
    { seed: 62, numFeatures: 4, numTrees: 8, maxLeaves: 12, categoricalFeatures: [0, 2], perIteration: 3 },
  ];
  for (const { seed, perIteration, ...options } of cases) {
    it(`seed ${seed}, ${perIteration} tree(s) per iteration, odd row count`, () => {
      const { trees } = randomModel(seed, { ...options, perIteration });
      trees.push(...Array.from({ length: perIteration }, () => chainTree(200)));
      trees.push(...Array.from({ length: perIteration }, () => chainTree(100)));
      const forest = flattenForest(trees);
      const numRows = 1003;
      const rows = randomRows(seed + 1, numRows, options.numFeatures, options.categoricalFeatures);
      const walked = new Float64Array(numRows * perIteration);
      computeRaw(forest, rows, numRows, options.numFeatures, { firstTree: 0, endTree: trees.length, perIteration }, walked);
      const compiled = compileForest(forest, perIteration);
      expect(compiled).not.toBeNull();
      const fromCompiled = new Float64Array(numRows * perIteration).fill(7);
      computeRawCompiled(compiled!, rows, numRows, options.numFeatures, 0, trees.length, perIteration, fromCompiled);
      let walkMismatches = 0;
      let compiledMismatches = 0;
      for (let r = 0; r < numRows; r++) {
        const expected = referenceRaw(trees, perIteration, rows.subarray(r * options.numFeatures, (r + 1) * options.numFeatures));
        expected.forEach((v, k) => {
          if (!Object.is(v, walked[r * perIteration + k])) walkMismatches++;
          if (!Object.is(v, fromCompiled[r * perIteration + k])) compiledMismatches++;
        });
      }
      expect(walkMismatches).toBe(0);
      expect(compiledMismatches).toBe(0);
    });
  }

  it("a window of iterations uses only its trees", () => {
    const { trees } = randomModel(63, { numFeatures: 3, numTrees: 6, maxLeaves: 8, perIteration: 2 });
    const forest = flattenForest(trees);
    const rows = randomRows(64, 50, 3);
    const compiled = compileForest(forest, 2)!;
    const out = new Float64Array(100);
    computeRawCompiled(compiled, rows, 50, 3, 4, 10, 2, out);
    for (let r = 0; r < 50; r++) {
      expect([...out.subarray(r * 2, r * 2 + 2)]).toEqual(referenceRaw(trees.slice(4, 10), 2, rows.subarray(r * 3, r * 3 + 3)));
    }
  });
});
