import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileModelRegistry, STAGE_HISTORY_TAG } from "../../src/registry/FileModelRegistry.js";
import { FileTrackingStore } from "../../src/tracking/FileTrackingStore.js";
import { expectLarderError, HAVE_SAMPLE, removeTempDirs, SAMPLE_RUN_2, SAMPLE_STORE } from "../tracking/helpers.js";
import { copySampleStore, makeFixture } from "./registryFixtures.js";

afterAll(removeTempDirs);

/** Keys of a meta.yaml in order, with the YAML style of each value (quoted, null, int, plain). */
function keyShape(text: string): string[] {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => {
      const m = /^(\s*)([\w.]+):(?: (.*))?$/.exec(line);
      if (m === null) return `?${line}`;
      const value = m[3];
      const style = value === undefined ? "mapping" : value === "null" ? "null" : /^'.*'$/.test(value) ? "quoted" : /^\d+$/.test(value) ? "int" : "plain";
      return `${m[1]}${m[2]}:${style}`;
    });
}

describe("registering versions", () => {
  it("creates the model when new, numbers versions, and records source and run id", async () => {
    const { registry, store, root, trainedRun } = await makeFixture();
    const a = await trainedRun({ f1_macro: 0.91 });
    const b = await trainedRun({ f1_macro: 0.93 });
    const v1 = await registry.registerModel(`runs:/${a.runId}/model`, "activity_classifier");
    const v2 = await registry.registerModel(`runs:/${b.runId}/model/`, "activity_classifier", { description: "bigger trees", tags: { candidate: "true" } });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const runA = await store.getRun(a.runId);
    expect(v1.source).toBe(`${runA.info.artifactUri}/model`);
    expect(v1.storageLocation).toBe(v1.source);
    expect(v1.runId).toBe(a.runId);
    expect(v1.currentStage).toBe("None");
    expect(v2.description).toBe("bigger trees");
    expect(v2.tags).toEqual({ candidate: "true" });
    const modelDir = join(root, "models", "activity_classifier");
    expect(readFileSync(join(modelDir, "version-2", "tags", "candidate"), "utf8")).toBe("true");
    expect(readFileSync(join(modelDir, "version-1", "meta.yaml"), "utf8")).toContain("\nversion: 1\n");
    await expectLarderError(registry.registerModel(`runs:/${a.runId}/nothing-here`, "activity_classifier"), "RESOURCE_DOES_NOT_EXIST", /No model found/);
    await expectLarderError(registry.registerModel("runs:/0123456789abcdef0123456789abcdef/model", "x"), "RESOURCE_DOES_NOT_EXIST");
    await expectLarderError(registry.createRegisteredModel("activity_classifier"), "RESOURCE_ALREADY_EXISTS");
  });

  it.skipIf(!HAVE_SAMPLE)("writes model and version meta.yaml with MLflow's keys, order and styles", async () => {
    const { registry, root, trainedRun } = await makeFixture();
    const run = await trainedRun({ f1_macro: 0.9 });
    await registry.createRegisteredModel("activity_classifier", { description: "Activity classifier (sample)", tags: { task: "classification" } });
    await registry.registerModel(`runs:/${run.runId}/model`, "activity_classifier");
    await registry.transitionModelVersionStage("activity_classifier", 1, "production");
    await registry.setRegisteredModelAlias("activity_classifier", "champion", 1);
    const ourModel = readFileSync(join(root, "models/activity_classifier/meta.yaml"), "utf8");
    const sampleModel = readFileSync(join(SAMPLE_STORE, "models/activity_classifier/meta.yaml"), "utf8");
    expect(keyShape(ourModel)).toEqual(keyShape(sampleModel));
    expect(ourModel).toContain("aliases:\n  champion: '1'\n");
    expect(readFileSync(join(root, "models/activity_classifier/aliases/champion"), "utf8")).toBe("1");
    expect(readFileSync(join(root, "models/activity_classifier/tags/task"), "utf8")).toBe("classification");
    const ourVersion = readFileSync(join(root, "models/activity_classifier/version-1/meta.yaml"), "utf8");
    const sampleVersion = readFileSync(join(SAMPLE_STORE, "models/activity_classifier/version-1/meta.yaml"), "utf8");
    // The sample's version came from an MLflow 3 LoggedModel (model_id set); ours from run artifacts (model_id null).
    expect(keyShape(ourVersion)).toEqual(keyShape(sampleVersion).map((k) => (k === "model_id:plain" ? "model_id:null" : k)));
    expect(ourVersion).toMatch(/\ncurrent_stage: Production\n/);
    expect(ourVersion).toMatch(/\nstatus: READY\n/);
  });

  it.skipIf(!HAVE_SAMPLE)("registers an MLflow 3 logged model like MLflow: models:/m-… source, link tag appended", async () => {
    const root = copySampleStore();
    const registry = new FileModelRegistry(new FileTrackingStore(root));
    const v3 = await registry.registerModel(`runs:/${SAMPLE_RUN_2}/model`, "activity_classifier");
    expect(v3.version).toBe(3);
    expect(v3.source).toBe("models:/m-65bcb80bb56340f088c28469bbe86961");
    expect(v3.modelId).toBe("m-65bcb80bb56340f088c28469bbe86961");
    expect(v3.storageLocation).toBe("file:///home/user/mlflow-ref/mlruns/439892257072291717/models/m-65bcb80bb56340f088c28469bbe86961/artifacts");
    expect(v3.runId).toBe(SAMPLE_RUN_2);
    expect(readFileSync(join(root, "439892257072291717/models/m-65bcb80bb56340f088c28469bbe86961/tags/mlflow.modelVersions"), "utf8")).toBe(
      '[{"name": "activity_classifier", "version": 2}, {"name": "activity_classifier", "version": 3}]',
    );
  });

  it("refuses names that could escape the models folder", async () => {
    const { registry, trainedRun } = await makeFixture();
    const run = await trainedRun({});
    for (const bad of ["../escape", "a/b", "a\\b", "50%", ".hidden", "", " "]) {
      await expectLarderError(registry.registerModel(`runs:/${run.runId}/model`, bad), "INVALID_PARAMETER_VALUE");
      await expectLarderError(registry.getRegisteredModel(bad), "INVALID_PARAMETER_VALUE");
    }
  });
});

describe("stages, aliases, tags, deletion", () => {
  it("moves versions between stages (case-insensitive) and archives the others when asked", async () => {
    const { registry, trainedRun } = await makeFixture();
    for (let i = 0; i < 3; i++) await registry.registerModel(`runs:/${(await trainedRun({})).runId}/model`, "m");
    await registry.transitionModelVersionStage("m", 1, "Production");
    await registry.transitionModelVersionStage("m", 2, "production");
    // Without archiveExisting two versions can be in Production at once.
    expect((await registry.listModelVersions("m")).map((v) => v.currentStage)).toEqual(["Production", "Production", "None"]);
    const v3 = await registry.transitionModelVersionStage("m", "3", "PRODUCTION", { archiveExisting: true });
    expect(v3.currentStage).toBe("Production");
    expect((await registry.listModelVersions("m")).map((v) => v.currentStage)).toEqual(["Archived", "Archived", "Production"]);
    expect((await registry.getLatestVersions("m", ["Archived"])).map((v) => v.version)).toEqual([2]);
    await expectLarderError(registry.transitionModelVersionStage("m", 1, "Prod"), "INVALID_PARAMETER_VALUE", /Invalid Model Version stage: Prod\. Value must be one of None, Staging, Production, Archived\./);
    await expectLarderError(registry.transitionModelVersionStage("m", 1, "Archived", { archiveExisting: true }), "INVALID_PARAMETER_VALUE", /only allowed/);
    await expectLarderError(registry.transitionModelVersionStage("m", 9, "Staging"), "RESOURCE_DOES_NOT_EXIST");
    const history = await registry.getStageHistory("m", 2);
    expect(history.map((h) => [h.from, h.to])).toEqual([
      ["None", "Production"],
      ["Production", "Archived"],
    ]);
    expect((await registry.getModelVersion("m", 2)).tags[STAGE_HISTORY_TAG]).toBeDefined();
  });

  it("sets, moves and deletes aliases; refuses reserved ones", async () => {
    const { registry, root, trainedRun } = await makeFixture();
    for (let i = 0; i < 2; i++) await registry.registerModel(`runs:/${(await trainedRun({})).runId}/model`, "m");
    await registry.setRegisteredModelAlias("m", "champion", 1);
    await registry.setRegisteredModelAlias("m", "challenger", "2");
    expect((await registry.getModelVersionByAlias("m", "champion")).version).toBe(1);
    await registry.setRegisteredModelAlias("m", "champion", 2);
    expect((await registry.getModelVersion("m", 2)).aliases).toEqual(["challenger", "champion"]);
    expect((await registry.getRegisteredModel("m")).aliases).toEqual({ challenger: 2, champion: 2 });
    expect(readFileSync(join(root, "models/m/meta.yaml"), "utf8")).toContain("aliases:\n  challenger: '2'\n  champion: '2'\n");
    await registry.deleteRegisteredModelAlias("m", "challenger");
    expect(existsSync(join(root, "models/m/aliases/challenger"))).toBe(false);
    await expectLarderError(registry.getModelVersionByAlias("m", "challenger"), "INVALID_PARAMETER_VALUE", /not found/);
    await expectLarderError(registry.deleteRegisteredModelAlias("m", "challenger"), "RESOURCE_DOES_NOT_EXIST");
    for (const reserved of ["latest", "LATEST", "v1", "V12"]) await expectLarderError(registry.setRegisteredModelAlias("m", reserved, 1), "INVALID_PARAMETER_VALUE", /reserved/);
    await expectLarderError(registry.setRegisteredModelAlias("m", "../x", 1), "INVALID_PARAMETER_VALUE");
    await expectLarderError(registry.setRegisteredModelAlias("m", "ok", 7), "RESOURCE_DOES_NOT_EXIST");
  });

  it("soft-deletes versions: gone for reads, aliases dropped, numbers never reused", async () => {
    const { registry, root, trainedRun } = await makeFixture();
    for (let i = 0; i < 2; i++) await registry.registerModel(`runs:/${(await trainedRun({})).runId}/model`, "m");
    await registry.setRegisteredModelAlias("m", "champion", 2);
    await registry.deleteModelVersion("m", 2);
    expect(readFileSync(join(root, "models/m/version-2/meta.yaml"), "utf8")).toContain("current_stage: Deleted_Internal\n");
    await expectLarderError(registry.getModelVersion("m", 2), "RESOURCE_DOES_NOT_EXIST");
    expect(existsSync(join(root, "models/m/aliases/champion"))).toBe(false);
    const v3 = await registry.registerModel(`runs:/${(await trainedRun({})).runId}/model`, "m");
    expect(v3.version).toBe(3);
    expect((await registry.listModelVersions("m")).map((v) => v.version)).toEqual([1, 3]);
  });

  it("sets and deletes model and version tags, bumping last_updated_timestamp", async () => {
    const { registry, trainedRun } = await makeFixture();
    await registry.registerModel(`runs:/${(await trainedRun({})).runId}/model`, "m");
    const before = (await registry.getRegisteredModel("m")).lastUpdatedTimestamp;
    await new Promise((r) => setTimeout(r, 5));
    await registry.setRegisteredModelTag("m", "task", "classification");
    await registry.setModelVersionTag("m", 1, "validated", "yes");
    const model = await registry.getRegisteredModel("m");
    expect(model.tags).toEqual({ task: "classification" });
    expect(model.lastUpdatedTimestamp).toBeGreaterThan(before);
    expect((await registry.getModelVersion("m", 1)).tags.validated).toBe("yes");
    await registry.deleteModelVersionTag("m", 1, "validated");
    await registry.deleteRegisteredModelTag("m", "task");
    expect((await registry.getRegisteredModel("m")).tags).toEqual({});
    await expectLarderError(registry.deleteRegisteredModelTag("m", "task"), "RESOURCE_DOES_NOT_EXIST");
    await registry.updateModelVersion("m", 1, { description: "first" });
    expect((await registry.getModelVersion("m", 1)).description).toBe("first");
    await registry.deleteRegisteredModel("m");
    await expectLarderError(registry.getRegisteredModel("m"), "RESOURCE_DOES_NOT_EXIST");
  });
});

describe("promotion gates", () => {
  it("promotes only when the version's run meets the requirement, and says what was measured", async () => {
    const { registry, trainedRun } = await makeFixture();
    const weak = await trainedRun({ f1_macro: 0.85, accuracy: 0.95 }, { data: "v2" });
    const strong = await trainedRun({ f1_macro: 0.93 }, { data: "v1" });
    await registry.registerModel(`runs:/${weak.runId}/model`, "m");
    await registry.registerModel(`runs:/${strong.runId}/model`, "m");
    const err = await expectLarderError(
      registry.transitionModelVersionStage("m", 1, "Production", { require: "metrics.f1_macro >= 0.9" }),
      "INVALID_STATE",
      /Promotion gate failed for model 'm' version 1/,
    );
    expect(err.message).toContain("metrics.f1_macro >= 0.9 (measured: 0.85)");
    expect((await registry.getModelVersion("m", 1)).currentStage).toBe("None");

    const both = await expectLarderError(
      registry.transitionModelVersionStage("m", 2, "Staging", { require: ["metrics.f1_macro >= 0.9 AND metrics.accuracy > 0.9", "params.data = 'v2'"] }),
      "INVALID_STATE",
    );
    expect(both.message).toContain("metrics.accuracy > 0.9 (measured: not logged)");
    expect(both.message).toContain("params.data = 'v2' (measured: 'v1')");
    expect(both.message).not.toContain("metrics.f1_macro >= 0.9 (");

    const promoted = await registry.transitionModelVersionStage("m", 2, "Production", { require: "metrics.f1_macro >= 0.9" });
    expect(promoted.currentStage).toBe("Production");
    await expectLarderError(registry.transitionModelVersionStage("m", 1, "Staging", { require: "metrics.f1 >> 1" }), "INVALID_PARAMETER_VALUE", /position/);
  });
});

describe("rollback", () => {
  it("puts the previous Production version back and archives the current one", async () => {
    const { registry, trainedRun } = await makeFixture();
    for (let i = 0; i < 3; i++) await registry.registerModel(`runs:/${(await trainedRun({})).runId}/model`, "m");
    await expectLarderError(registry.rollback("m"), "INVALID_STATE", /no version in Production/);
    await registry.transitionModelVersionStage("m", 1, "Staging");
    await registry.transitionModelVersionStage("m", 1, "Production");
    await expectLarderError(registry.rollback("m"), "INVALID_STATE", /no earlier Production version/);
    await new Promise((r) => setTimeout(r, 3));
    await registry.transitionModelVersionStage("m", 2, "Production", { archiveExisting: true });
    await new Promise((r) => setTimeout(r, 3));
    // Version 3 was archived without ever being in Production: it is not a rollback target.
    await registry.transitionModelVersionStage("m", 3, "Archived");

    const first = await registry.rollback("m");
    expect(first.restored.version).toBe(1);
    expect(first.archived.map((v) => v.version)).toEqual([2]);
    expect((await registry.listModelVersions("m")).map((v) => v.currentStage)).toEqual(["Production", "Archived", "Archived"]);

    // Rolling back again returns to the version that was in Production most recently before 1.
    await new Promise((r) => setTimeout(r, 3));
    const second = await registry.rollback("m");
    expect(second.restored.version).toBe(2);
    expect((await registry.getLatestVersions("m", ["Production"])).map((v) => v.version)).toEqual([2]);
  });

  it.skipIf(!HAVE_SAMPLE)("falls back to the most recently archived version for stages set by MLflow", async () => {
    const root = copySampleStore();
    const registry = new FileModelRegistry(new FileTrackingStore(root));
    await expectLarderError(registry.rollback("activity_classifier"), "INVALID_STATE", /no earlier Production version/);
    await registry.transitionModelVersionStage("activity_classifier", 2, "Production", { archiveExisting: true });
    const result = await registry.rollback("activity_classifier");
    expect(result.restored.version).toBe(1);
    expect(result.archived.map((v) => v.version)).toEqual([2]);
  });
});
