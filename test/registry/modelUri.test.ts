import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { LarderError } from "../../src/errors.js";
import { parseModelUri, resolveModelUri } from "../../src/registry/modelUri.js";
import { makeTempDir, removeTempDirs } from "../tracking/helpers.js";
import { makeFixture } from "./registryFixtures.js";

afterAll(removeTempDirs);

describe("parseModelUri", () => {
  it("recognises every form", () => {
    expect(parseModelUri("runs:/abc123/model")).toEqual({ kind: "run", runId: "abc123", artifactPath: "model" });
    expect(parseModelUri("runs:/abc123/sub/model/")).toEqual({ kind: "run", runId: "abc123", artifactPath: "sub/model" });
    expect(parseModelUri("models:/clf/3")).toEqual({ kind: "version", name: "clf", version: 3 });
    expect(parseModelUri("models:/clf/Production")).toEqual({ kind: "stage", name: "clf", stage: "Production" });
    expect(parseModelUri("models:/clf/staging")).toEqual({ kind: "stage", name: "clf", stage: "Staging" });
    expect(parseModelUri("models:/clf/LATEST")).toEqual({ kind: "latest", name: "clf" });
    expect(parseModelUri("models:/clf@champion")).toEqual({ kind: "alias", name: "clf", alias: "champion" });
    expect(parseModelUri("models:/m-0a24c301ab8840bc9af390a84b80d1ca")).toEqual({ kind: "loggedModel", modelId: "m-0a24c301ab8840bc9af390a84b80d1ca" });
    expect(parseModelUri("/abs/model")).toEqual({ kind: "path", path: "/abs/model" });
    expect(parseModelUri("file:///abs/model")).toEqual({ kind: "path", path: "/abs/model" });
  });

  it.each([
    ["models:/a/b/c", /expected models/],
    ["models:/clf", /expected models/],
    ["models:/clf/", /expected models/],
    ["models:/@alias", /expected models/],
    ["models:/clf/Prod", /Invalid Model Version stage/],
    ["models://host/clf/1", /remote registries/],
    ["runs:/", /expected runs/],
    ["runs:/abc/../../etc", /'\.\.'/],
    ["s3://bucket/model", /scheme 's3:'/],
    ["", /empty/],
  ])("rejects %s", (uri, message) => {
    expect(() => parseModelUri(uri)).toThrow(LarderError);
    expect(() => parseModelUri(uri)).toThrow(message);
  });
});

describe("resolveModelUri on a store Larder wrote", () => {
  it("resolves paths, runs:/, versions, stages, latest and aliases to the model folder", async () => {
    const { registry, store, trainedRun } = await makeFixture();
    const a = await trainedRun({ f1_macro: 0.9 });
    const b = await trainedRun({ f1_macro: 0.95 });
    await registry.registerModel(`runs:/${a.runId}/model`, "clf");
    await registry.registerModel(`runs:/${b.runId}/model`, "clf");
    await registry.transitionModelVersionStage("clf", 1, "Production");
    await registry.transitionModelVersionStage("clf", 2, "Staging");
    await registry.setRegisteredModelAlias("clf", "champion", 1);
    const dirA = await store.getArtifactLocalPath(a.runId, "model");
    const dirB = await store.getArtifactLocalPath(b.runId, "model");
    const cases: [string, string][] = [
      [`runs:/${a.runId}/model`, dirA],
      ["models:/clf/1", dirA],
      ["models:/clf/2", dirB],
      ["models:/clf/Production", dirA],
      ["models:/clf/staging", dirB],
      ["models:/clf/latest", dirB],
      ["models:/clf@champion", dirA],
      [dirA, dirA],
      [pathToFileURL(dirB).href, dirB],
    ];
    for (const [uri, dir] of cases) expect(await resolveModelUri(uri, { registry }), uri).toBe(dir);
    // A version registered from another version follows the chain.
    await registry.registerModel("models:/clf/2", "clf-copy");
    expect(await resolveModelUri("models:/clf-copy/1", { registry })).toBe(dirB);
    await expect(resolveModelUri("models:/clf/Archived", { registry })).rejects.toThrow(/No versions of model with name 'clf' and stage 'Archived' found/);
    await expect(resolveModelUri("models:/nope/1", { registry })).rejects.toThrow(/not found/);
    await expect(resolveModelUri(`runs:/${a.runId}/missing`, { registry })).rejects.toThrow(/does not exist/);
  });

  it("resolves through the tracking URI when no registry is given", async () => {
    const { root, registry, trainedRun } = await makeFixture();
    const a = await trainedRun({});
    await registry.registerModel(`runs:/${a.runId}/model`, "clf");
    expect(await resolveModelUri("models:/clf/1", { trackingUri: root })).toMatch(/artifacts[\\/]model$/);
    const dir = join(makeTempDir(), "plain-model");
    mkdirSync(dir);
    writeFileSync(join(dir, "MLmodel"), "flavors: {}\n");
    expect(await resolveModelUri(dir)).toBe(dir);
    await expect(resolveModelUri(join(dir, "missing"))).rejects.toThrow(/does not exist/);
  });
});
