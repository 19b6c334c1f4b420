import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Booster } from "../../src/gbdt/index.js";
import { loadModel, saveLightGBMModel } from "../../src/models/index.js";
import { hasShared, sharedPath, tempDir } from "../helpers/paths.js";

const SAMPLE_MODEL = ["mlflow", "mlruns-sample", "439892257072291717", "models", "m-bbae1925e1a2484cb5c794dfb5fe9a7b", "artifacts"];

describe.runIf(hasShared(...SAMPLE_MODEL))("saveLightGBMModel", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("writes MLflow's LightGBM flavor that loads back with the same predictions and label names", async () => {
    const text = await readFile(sharedPath(...SAMPLE_MODEL, "model.lgb"), "utf8");
    const booster = Booster.fromString(text);
    const inputs = booster.featureNames.map((name) => ({ name, type: "double" as const, required: true }));
    const out = join(dir, "model");
    await saveLightGBMModel(out, booster, {
      inputs,
      inputExample: [[0.1, 0.2, 9.8, 70.0]],
      labelNames: ["Lying", "Sitting", "Running"],
      runId: "0123456789abcdef0123456789abcdef",
      now: new Date("2026-11-23T10:00:00.123Z"),
    });
    expect(await readFile(join(out, "model.lgb"), "utf8")).toBe(text);

    const ours = parse(await readFile(join(out, "MLmodel"), "utf8")) as Record<string, unknown>;
    const theirs = parse(await readFile(sharedPath(...SAMPLE_MODEL, "MLmodel"), "utf8")) as Record<string, unknown>;
    // Same flavors and signature as a model MLflow 3.6 logged from the same booster.
    expect(ours.flavors).toEqual({ ...(theirs.flavors as object), python_function: { ...((theirs.flavors as Record<string, object>).python_function), python_version: "3.11.7" } });
    expect(ours.signature).toEqual(theirs.signature);
    expect(ours.utc_time_created).toBe("2026-11-23 10:00:00.123000");
    expect(ours.run_id).toBe("0123456789abcdef0123456789abcdef");
    expect(Object.keys(ours).sort()).toEqual(Object.keys(ours));

    const loaded = await loadModel(out);
    expect(loaded.labelNames).toEqual(["Lying", "Sitting", "Running"]);
    expect(loaded.signature?.inputs).toEqual(inputs);
    const row = [[0.1, 0.2, 9.8, 70.0]];
    expect(Array.from(loaded.predictCells(row))).toEqual(Array.from(booster.predict(row)));
    const example = await readFile(join(out, "input_example.json"), "utf8");
    expect(JSON.parse(example)).toEqual({ columns: booster.featureNames, data: row });
    // Doubles are written as Python floats: pandas would read 70 as int64, which MLflow's schema refuses.
    expect(example).toContain("70.0]]");
  });
});
