import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck } from "../../src/core/duckdb.js";
import { importAdult } from "../../src/datagen/index.js";
import { FeatureStore } from "../../src/featurestore/index.js";
import { loadModelUri, predictFile, trainRun } from "../../src/models/index.js";
import { REPO_ROOT, hasShared, sharedPath, tempDir } from "../helpers/paths.js";

const ADULT = ["datasets", "adult"];

/**
 * The adult-income example's pipeline on a sample of the real files: import, feature view keyed by
 * person id, point-in-time training set, a binary classifier with categorical columns, scoring.
 */
describe.runIf(hasShared(...ADULT, "adult.data") && hasShared(...ADULT, "adult.test"))("UCI Adult pipeline on a sample of the real files", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("trains from the feature store and scores the test sample well above the majority class", async () => {
    // 6,000 training and 3,000 test records keep the test quick; the full run is examples/adult-income/run.sh.
    const sample = async (name: string, lines: number, skip: number) => {
      const text = (await readFile(sharedPath(...ADULT, name), "utf8")).split("\n");
      await writeFile(join(dir, name), [...text.slice(0, skip), ...text.slice(skip, skip + lines)].join("\n") + "\n");
    };
    await sample("adult.data", 6000, 0);
    await sample("adult.test", 3000, 1);
    await importAdult({ dataPath: join(dir, "adult.data"), testPath: join(dir, "adult.test"), outDir: join(dir, "data") });

    await mkdir(join(dir, "feature_repo"), { recursive: true });
    for (const file of ["feature_store.yaml", "features.ts"]) {
      await copyFile(join(REPO_ROOT, "examples/adult-income/feature_repo", file), join(dir, "feature_repo", file));
    }
    await Duck.with(async (duck) => {
      for (const split of ["train", "test"]) {
        await duck.run(`COPY (SELECT person_id, event_timestamp, income FROM '${join(dir, "data/income_labels.parquet")}' WHERE split = '${split}')
          TO '${join(dir, `${split}_labels.parquet`)}' (FORMAT PARQUET)`);
      }
    });
    const store = await FeatureStore.open(join(dir, "feature_repo"));
    await store.apply();
    for (const split of ["train", "test"]) {
      const job = await store.getHistoricalFeatures({ featureService: "income_model_v1", entities: join(dir, `${split}_labels.parquet`) });
      await job.writeTo(join(dir, `${split}.parquet`));
      await job.close();
    }
    await store.close();

    const trackingUri = join(dir, "mlruns");
    const run = await trainRun({ trackingUri, experiment: "adult", train: join(dir, "train.parquet"), valid: join(dir, "test.parquet"), label: "income" });
    // 76% of the test records are <=50K; gradient boosting on Adult gets about 0.87.
    expect(run.metrics.accuracy).toBeGreaterThan(0.83);
    expect(run.metrics.auc).toBeGreaterThan(0.88);
    expect(Object.keys(run.metrics)).toEqual(expect.arrayContaining(["f1_lteq50K", "f1_gt50K"]));

    const model = await loadModelUri(run.modelUri, { trackingUri });
    expect(model.signature?.inputs?.filter((c) => "type" in c && c.type === "string").length).toBe(8);
    const scored = await predictFile({ model, input: join(dir, "test.parquet"), output: join(dir, "scored.csv"), keep: ["person_id", "income"] });
    expect(scored.rows).toBe(3000);
    expect(scored.columns).toEqual(["person_id", "income", "prob_<=50K", "prob_>50K"]);
  });
});
