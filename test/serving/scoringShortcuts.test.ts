// The per-request shortcuts of the scoring server against the general code they stand in for.
import { describe, expect, it } from "vitest";
import { pythonJsonDumps } from "../../src/core/pythonJson.js";
import { Booster } from "../../src/gbdt/index.js";
import { LoadedModel, loadModel } from "../../src/models/index.js";
import { enforceSchema } from "../../src/serving/enforceSchema.js";
import { predictionsBody } from "../../src/serving/predictionResponse.js";
import { predictRows } from "../../src/serving/predictRows.js";
import { goldenAvailable, readGoldenText } from "../helpers/goldenCsv.js";
import { hasShared, sharedPath } from "../helpers/paths.js";

const MODEL_DIR = ["mlflow", "mlruns-sample", "439892257072291717", "models", "m-bbae1925e1a2484cb5c794dfb5fe9a7b", "artifacts"];

function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe("predictionsBody", () => {
  it("writes what pythonJsonDumps writes for every shape of prediction", () => {
    const cases: unknown[][] = [
      [],
      [0.5],
      [0, 1, -0, 1e16, 1e-5, 123456789.125, 5e-324, NaN, Infinity, -Infinity],
      [[0.1, 0.2, 0.7], [1, 0, 0]],
      [[]],
      ["Lying", "Sitting", 'quote " and \\ slash', "naïve \u2028 \n"],
      [0, 1, 2],
      [null, 0.25, [NaN, 1]],
      [{ nested: [1, "a"] }, true, false, undefined],
    ];
    for (const predictions of cases) expect(predictionsBody(predictions)).toBe(pythonJsonDumps({ predictions }));
  });
});

function categoricalModel(trailer: string): LoadedModel {
  const text = readGoldenText("pandas_categorical", "model.txt").replace(/^pandas_categorical:.*$/m, `pandas_categorical:${trailer}`);
  return new LoadedModel("test", Booster.fromString(text), null, null, null);
}

describe.runIf(goldenAvailable)("predictRows", () => {
  const rows = [
    [10, 3, 1],
    [2.5, 6, 0],
    [NaN, 0, 2],
    [-1, 9, 7],
    [10, 2.5, 1],
  ];

  it("predicts what predictCells predicts: string categories, numeric categories, no categories", () => {
    const models = [
      categoricalModel('[["red", "green", "blue", "black", "white", "pink", "teal"], ["S", "M", "L"]]'),
      categoricalModel('[[0, 1, 2, 3, 4, 5, 6], [7, 8, 9]]'),
      categoricalModel("null"),
    ];
    for (const model of models) {
      expect(outcome(() => [...predictRows(model, rows)])).toEqual(outcome(() => [...model.predictCells(rows)]));
      // Twice: the second call uses what the first learnt about the model.
      expect(outcome(() => [...predictRows(model, rows)])).toEqual(outcome(() => [...model.predictCells(rows)]));
    }
  });

  it("fails as predictCells fails: broken category trailer, strings, wrong widths", () => {
    const broken = categoricalModel("[]");
    expect(outcome(() => predictRows(broken, rows))).toEqual(outcome(() => broken.predictCells(rows)));
    expect(outcome(() => predictRows(broken, rows))).toHaveProperty("error");
    const model = categoricalModel('[["red", "green", "blue", "black", "white", "pink", "teal"], ["S", "M", "L"]]');
    for (const odd of [[[10, "teal", "M"]], [[10, 3]], [[10, 3, 1, 4]], [[10, null, 1]], [["ten", 1, 1]], []]) {
      expect(outcome(() => [...predictRows(model, odd)])).toEqual(outcome(() => [...model.predictCells(odd)]));
    }
  });
});

describe.runIf(hasShared(...MODEL_DIR))("enforceSchema's remembered column matching", () => {
  it("matches each column list afresh when clients alternate orders, and still refuses missing columns", async () => {
    const model = await loadModel(sharedPath(...MODEL_DIR));
    const ordered = { columns: ["accel_x", "accel_y", "accel_z", "heart_rate"], rows: [[1, 2, 3, 4]] };
    const shuffled = { columns: ["heart_rate", "accel_z", "extra", "accel_x", "accel_y"], rows: [[4, 3, 99, 1, 2]] };
    const missing = { columns: ["accel_x", "accel_y", "accel_z"], rows: [[1, 2, 3]] };
    for (let round = 0; round < 3; round++) {
      expect(enforceSchema(model, ordered)).toEqual([[1, 2, 3, 4]]);
      expect(enforceSchema(model, shuffled)).toEqual([[1, 2, 3, 4]]);
      expect(() => enforceSchema(model, missing)).toThrow(/Model is missing inputs \['heart_rate'\]/);
      expect(enforceSchema(model, shuffled)).toEqual([[1, 2, 3, 4]]);
    }
  });
});
