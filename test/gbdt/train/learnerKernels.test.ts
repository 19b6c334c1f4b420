import { describe, expect, it } from "vitest";
import { createDataset } from "../../../src/gbdt/dataset/dataset.js";
import { resolveParams, type RawParams } from "../../../src/gbdt/train/params.js";
import { TreeLearner } from "../../../src/gbdt/train/treeLearner.js";
import { lcg, makeData } from "./syntheticData.js";

/**
 * Grow a few trees on the same data and gradients with the wasm kernels and with the plain
 * JavaScript loops; they must be the same trees to the last bit (the JavaScript loops are the
 * reference the fixture conformance tests pin to LightGBM).
 */
function growBoth(raw: RawParams, numRows: number, prepare: (columns: Float64Array[], rnd: () => number, labels: Float64Array) => void) {
  const data = makeData(numRows, 6, "binary", 9);
  const rnd = lcg(77);
  prepare(data.columns, rnd, data.labels);
  const params = resolveParams(raw);
  const categorical = params.categoricalFeature.filter((c): c is number => typeof c === "number");
  const dataset = createDataset(data.columns, data.labels, {
    zeroAsMissing: params.zeroAsMissing,
    categoricalFeatures: categorical,
    minDataInLeaf: params.minDataInLeaf,
  });
  const trees = [true, false].map((allowWasm) => {
    const learner = new TreeLearner(dataset, { ...params, numThreads: 1 }, allowWasm);
    const gradientRnd = lcg(5);
    const out = [];
    for (let t = 0; t < 4; t++) {
      const gradients = Float32Array.from({ length: numRows }, (_, i) => (data.labels[i]! > 0 ? -0.6 : 0.4) + (gradientRnd() - 0.5) * 0.3);
      const hessians = Float32Array.from({ length: numRows }, () => 0.05 + gradientRnd() * 0.2);
      const bag = t % 2 === 1 ? Int32Array.from({ length: numRows }, (_, i) => i).filter((i) => i % 3 !== 0) : null;
      const featureUsed = new Uint8Array(learner.metas.length).fill(1);
      out.push(learner.train(gradients, hessians, bag, featureUsed));
    }
    learner.close();
    return out;
  });
  return { wasm: trees[0]!, js: trees[1]! };
}

describe("wasm training kernels", () => {
  it("grow the same trees as the JavaScript loops: numerical features, some with NaN", () => {
    const { wasm, js } = growBoth({ objective: "binary", num_leaves: 15 }, 3000, (columns, rnd) => {
      for (let i = 0; i < columns[1]!.length; i++) if (rnd() < 0.1) columns[1]![i] = NaN;
      for (let i = 0; i < columns[3]!.length; i++) if (rnd() < 0.5) columns[3]![i] = 0;
    });
    expect(wasm.some((tree) => tree.numLeaves === 15)).toBe(true);
    expect(wasm).toEqual(js);
  });

  it("grow the same trees with zero as missing, a categorical feature and L2", () => {
    const { wasm, js } = growBoth(
      { objective: "binary", num_leaves: 20, zero_as_missing: true, categorical_feature: [4], lambda_l2: 0.5, min_data_in_leaf: 5 },
      2500,
      (columns, rnd, labels) => {
        // Categories 0-5 lean positive, 6-11 negative.
        for (let i = 0; i < columns[4]!.length; i++) columns[4]![i] = Math.floor(rnd() * 6) + (labels[i]! > 0 === rnd() < 0.97 ? 0 : 6);
        for (let i = 0; i < columns[2]!.length; i++) if (rnd() < 0.3) columns[2]![i] = 0;
      },
    );
    expect(wasm.some((tree) => tree.decisionType.some((d) => (d & 1) === 1))).toBe(true);
    expect(wasm).toEqual(js);
  });

  it("grow the same trees when L1 and max_delta_step send the scan to JavaScript", () => {
    const { wasm, js } = growBoth({ objective: "binary", num_leaves: 10, lambda_l1: 0.2, max_delta_step: 0.7 }, 2000, () => {});
    expect(wasm).toEqual(js);
  });
});
