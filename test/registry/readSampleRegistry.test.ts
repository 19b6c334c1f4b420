import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileModelRegistry } from "../../src/registry/FileModelRegistry.js";
import { resolveModelUri } from "../../src/registry/modelUri.js";
import { FileTrackingStore } from "../../src/tracking/FileTrackingStore.js";
import { HAVE_SAMPLE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, SAMPLE_RUN_2, SAMPLE_STORE, snapshotTree } from "../tracking/helpers.js";

const M1 = "m-bbae1925e1a2484cb5c794dfb5fe9a7b";
const M2 = "m-65bcb80bb56340f088c28469bbe86961";

describe.skipIf(!HAVE_SAMPLE)("reading the sample store's model registry", () => {
  const registry = new FileModelRegistry(new FileTrackingStore(SAMPLE_STORE));
  let before = "";
  beforeAll(() => {
    before = snapshotTree(SAMPLE_STORE);
  });
  afterAll(() => {
    expect(snapshotTree(SAMPLE_STORE)).toBe(before);
  });

  it("reads the registered model with its tags, aliases and latest versions", async () => {
    const model = await registry.getRegisteredModel("activity_classifier");
    expect(model.name).toBe("activity_classifier");
    expect(model.description).toBe("Activity classifier (sample)");
    expect(model.creationTimestamp).toBe(1795371006250);
    expect(model.lastUpdatedTimestamp).toBe(1795371006342);
    expect(model.tags).toEqual({ task: "classification" });
    expect(model.aliases).toEqual({ champion: 1 });
    expect(model.latestVersions.map((v) => [v.currentStage, v.version])).toEqual([
      ["None", 2],
      ["Production", 1],
    ]);
    expect((await registry.listRegisteredModels()).map((m) => m.name)).toEqual(["activity_classifier"]);
  });

  it("reads both versions completely", async () => {
    const v1 = await registry.getModelVersion("activity_classifier", 1);
    expect(v1).toEqual({
      name: "activity_classifier",
      version: 1,
      creationTimestamp: 1795371006263,
      lastUpdatedTimestamp: 1795371006313,
      currentStage: "Production",
      description: null,
      source: `models:/${M1}`,
      runId: SAMPLE_RUN_1,
      runLink: null,
      status: "READY",
      statusMessage: null,
      storageLocation: `file:///home/user/mlflow-ref/mlruns/${SAMPLE_EXPERIMENT}/models/${M1}/artifacts`,
      userId: null,
      modelId: M1,
      tags: { validated: "yes" },
      aliases: ["champion"],
    });
    const v2 = await registry.getModelVersion("activity_classifier", "2");
    expect(v2.currentStage).toBe("None");
    expect(v2.description).toBe("bigger trees");
    expect(v2.runId).toBe(SAMPLE_RUN_2);
    expect(v2.tags).toEqual({ candidate: "true" });
    expect(v2.aliases).toEqual([]);
    expect((await registry.listModelVersions("activity_classifier")).map((v) => v.version)).toEqual([1, 2]);
    expect((await registry.getModelVersionByAlias("activity_classifier", "champion")).version).toBe(1);
    expect((await registry.getModelVersionByAlias("activity_classifier", "latest")).version).toBe(2);
  });

  it("resolves every kind of model URI to the sample's model files", async () => {
    const m1Dir = join(SAMPLE_STORE, SAMPLE_EXPERIMENT, "models", M1, "artifacts");
    const m2Dir = join(SAMPLE_STORE, SAMPLE_EXPERIMENT, "models", M2, "artifacts");
    const cases: [string, string][] = [
      ["models:/activity_classifier/1", m1Dir],
      ["models:/activity_classifier/2", m2Dir],
      ["models:/activity_classifier@champion", m1Dir],
      ["models:/activity_classifier/Production", m1Dir],
      ["models:/activity_classifier/production", m1Dir],
      ["models:/activity_classifier/None", m2Dir],
      ["models:/activity_classifier/latest", m2Dir],
      [`runs:/${SAMPLE_RUN_1}/model`, m1Dir],
      [`runs:/${SAMPLE_RUN_2}/model`, m2Dir],
      [`models:/${M2}`, m2Dir],
      [`runs:/${SAMPLE_RUN_1}/reports`, join(SAMPLE_STORE, SAMPLE_EXPERIMENT, SAMPLE_RUN_1, "artifacts", "reports")],
      [m1Dir, m1Dir],
    ];
    for (const [uri, dir] of cases) {
      const resolved = await resolveModelUri(uri, { registry });
      expect(resolved, uri).toBe(dir);
    }
    expect(readFileSync(join(await resolveModelUri("models:/activity_classifier@champion", { registry }), "MLmodel"), "utf8")).toContain(`model_id: ${M1}`);
    await expect(resolveModelUri("models:/activity_classifier/Staging", { registry })).rejects.toThrow(/No versions of model with name 'activity_classifier' and stage 'Staging'/);
    await expect(resolveModelUri("models:/activity_classifier@nope", { registry })).rejects.toThrow(/alias nope not found/);
    await expect(resolveModelUri("models:/activity_classifier/9", { registry })).rejects.toThrow(/not found/);
  });
});
