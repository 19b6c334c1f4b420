import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Entity } from "../../src/featurestore/definitions/Entity.js";
import { Field } from "../../src/featurestore/definitions/Field.js";
import { FeatureView } from "../../src/featurestore/definitions/FeatureView.js";
import { FileSource } from "../../src/featurestore/definitions/FileSource.js";
import { Float64 } from "../../src/featurestore/definitions/dtypes.js";
import { resolveRepo } from "../../src/featurestore/definitions/resolveRepo.js";
import { FeatureStore } from "../../src/featurestore/FeatureStore.js";
import { diffDefinitions, planLines } from "../../src/featurestore/registry/diffDefinitions.js";
import { FileFeatureRegistry } from "../../src/featurestore/registry/FileFeatureRegistry.js";
import { hostname } from "node:os";
import { FEATURES_TS, writeActivityRepo } from "./helpers/activityRepo.js";
import { larderModuleForTests } from "./helpers/larderModule.js";
import { withTempDir } from "./helpers/paths.js";

const participant = new Entity({ name: "participant", joinKeys: ["participant_id"] });
const source = new FileSource({ name: "src", path: "data/x.parquet", timestampField: "ts" });
const view = (name: string, ttl: number | string = "1h", online = true) =>
  new FeatureView({ name, entities: [participant], ttl, online, source, schema: [new Field({ name: "hr", dtype: Float64 })] });

describe("diffDefinitions (plan)", () => {
  it("lists creates, deletes and updates by type in Feast's wording, and infra changes for online views", () => {
    const a = view("a");
    const current = resolveRepo([a, view("old"), view("changed", "1h"), view("offline_later")], "f.ts").specs;
    const desired = resolveRepo([a, view("new"), view("changed", "2h"), view("offline_later", "1h", false), new Entity({ name: "device" })], "f.ts").specs;
    const plan = diffDefinitions(current, desired, "p");
    expect(planLines(plan)).toEqual([
      "Created entity device",
      "Created feature view new",
      "Deleted feature view old",
      "Updated feature view changed",
      "\tttlSeconds: 3600 -> 7200",
      "Updated feature view offline_later",
      "\tonline: true -> false",
      "",
      "Created lmdb table p_new",
      "Deleted lmdb table p_offline_later",
      "Deleted lmdb table p_old",
    ]);
    expect(plan.viewsToTeardown.map((v) => v.name).sort()).toEqual(["offline_later", "old"]);
  });

  it("reports no changes for identical definitions, in any order", () => {
    const specs = resolveRepo([view("a"), view("b")], "f.ts").specs;
    const again = resolveRepo([view("b"), view("a")], "f.ts").specs;
    expect(planLines(diffDefinitions(specs, again, "p"))).toEqual(["No changes to registry", "", "No changes to infrastructure"]);
    const first = planLines(diffDefinitions(undefined, specs, "p"));
    expect(first.slice(0, 2)).toEqual(["Created project p", "Created entity participant"]);
  });
});

describe("FileFeatureRegistry", () => {
  it("round-trips through JSON, changes versionId on each write, and refuses another project's file", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "data", "registry.json");
      const registry = new FileFeatureRegistry(path, "p");
      expect(await registry.read()).toBeUndefined();
      const specs = resolveRepo([view("a")], "f.ts").specs;
      const first = await registry.update((current) => ({ ...(current ?? registry.empty()), objects: specs }));
      const second = await registry.update((current) => current!);
      expect(second.versionId).not.toBe(first.versionId);
      expect((await registry.read())!.objects).toEqual(specs);
      await expect(new FileFeatureRegistry(path, "other").read()).rejects.toThrow(/belongs to project p, not other/);
      await writeFile(path, "{ not json");
      await expect(registry.read()).rejects.toThrow(/is not valid JSON/);
    });
  });

  it("serializes concurrent updates through the lock, and takes over a lock left by a dead process", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "registry.json");
      const registry = new FileFeatureRegistry(path, "p");
      const order: string[] = [];
      await Promise.all(
        ["x", "y", "z"].map((name) =>
          registry.update(async (current) => {
            order.push(`start ${name}`);
            await new Promise((r) => setTimeout(r, 20));
            order.push(`end ${name}`);
            const doc = current ?? registry.empty();
            return { ...doc, objects: { ...doc.objects, entities: [...doc.objects.entities, { name, joinKeys: [name], description: "", tags: {} }] } };
          }),
        ),
      );
      for (let i = 0; i < order.length; i += 2) expect(order[i + 1]!.slice(4)).toBe(order[i]!.slice(6));
      expect((await registry.read())!.objects.entities).toHaveLength(3);

      await writeFile(`${path}.lock`, JSON.stringify({ pid: 999999999, host: hostname(), time: Date.now() }));
      expect((await registry.update((current) => current!)).project).toBe("p");
    });
  });
});

describe("FeatureStore plan and apply", () => {
  it("plan writes nothing; apply writes the registry; removing a view deletes it and keeps others' meta", async () => {
    await withTempDir(async (dir) => {
      await writeActivityRepo(dir);
      const larderModule = await larderModuleForTests();
      const store = await FeatureStore.open(dir, { larderModule });
      try {
        const planned = await store.plan();
        expect(planned.lines[0]).toBe("Created project activity");
        await expect(readFile(join(dir, "data", "registry.json"))).rejects.toThrow();
        await store.apply();
        const before = (await store.registry.read())!;
        await new Promise((r) => setTimeout(r, 5));

        const withoutProfile = FEATURES_TS.replace(/export const profile = [\s\S]*?\n\}\);\n/, "").replace(", profile, hrTimesSteps]", ", hrTimesSteps]");
        await writeFile(join(dir, "features.ts"), withoutProfile);
        const reopened = await FeatureStore.open(dir, { larderModule });
        const applied = await reopened.apply();
        await reopened.close();
        expect(applied.lines).toEqual([
          "Deleted feature view profile",
          "Updated feature service activity_model_v1",
          expect.stringMatching(/^\tfeatures: /),
          "",
          "Deleted lmdb table activity_profile",
        ]);
        const after = (await store.registry.read())!;
        expect(after.meta.featureViews.profile).toBeUndefined();
        expect(after.meta.featureViews.heart_stats).toEqual(before.meta.featureViews.heart_stats);
        expect(after.meta.featureServices.activity_model_v1!.createdTimestamp).toBe(before.meta.featureServices.activity_model_v1!.createdTimestamp);
        expect(after.meta.featureServices.activity_model_v1!.lastUpdatedTimestamp).not.toBe(before.meta.featureServices.activity_model_v1!.lastUpdatedTimestamp);
      } finally {
        await store.close();
      }
    });
  });

  it("validates definitions against the source files, naming the file, view and column", async () => {
    await withTempDir(async (dir) => {
      await writeActivityRepo(
        dir,
        FEATURES_TS.replace('new Field({ name: "steps", dtype: Int64 })', 'new Field({ name: "stepz", dtype: Int64 })')
          .replace('heartStats.select(["heart_rate", "steps"])', 'heartStats.select(["heart_rate", "stepz"])')
          .replace(
          'new Field({ name: "gender", dtype: String })',
          'new Field({ name: "gender", dtype: Int64 })',
        ),
      );
      const store = await FeatureStore.open(dir, { larderModule: await larderModuleForTests() });
      try {
        const error = await store.plan().catch((err: Error) => err);
        expect(error).toBeInstanceOf(Error);
        const message = (error as Error).message;
        expect(message).toContain(`Invalid definitions in ${join(dir, "features.ts")}`);
        expect(message).toContain("Feature view heart_stats: schema field stepz is not a column of source heart_source (data/heart.parquet); did you mean steps?");
        expect(message).toContain("Feature view profile: field gender is declared Int64, but the source column gender is VARCHAR");
        // Skipping the check plans anyway.
        expect((await store.plan({ skipSourceValidation: true })).lines[0]).toBe("Created project activity");
      } finally {
        await store.close();
      }
    });
  });

  it("infers a schema from the source when none is given", async () => {
    await withTempDir(async (dir) => {
      await writeActivityRepo(
        dir,
        FEATURES_TS.replace('  schema: [new Field({ name: "age", dtype: Int64 }), new Field({ name: "gender", dtype: String })],\n', ""),
      );
      const store = await FeatureStore.open(dir, { larderModule: await larderModuleForTests() });
      try {
        await store.apply();
        const profile = (await store.listFeatureViews()).find((v) => v.name === "profile")!;
        expect(profile.features.map((f) => [f.name, f.dtype])).toEqual([["age", "Int64"], ["gender", "String"]]);
      } finally {
        await store.close();
      }
    });
  });
});

