import { existsSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeatureView } from "../../src/featurestore/definitions/FeatureView.js";
import { loadDefinitions, runningLarderModule } from "../../src/featurestore/loadDefinitions.js";
import { FEATURES_TS, writeActivityRepo } from "./helpers/activityRepo.js";
import { larderModuleForTests } from "./helpers/larderModule.js";
import { REPO_ROOT, withTempDir } from "./helpers/paths.js";

describe("loading features.ts", () => {
  it("resolves `larder` to the running Larder's own entry point", () => {
    expect(runningLarderModule()).toBe(join(REPO_ROOT, "src/index.ts"));
  });

  it("bundles a TypeScript repo with relative imports, and builds definitions with the running classes", async () => {
    await withTempDir(async (dir) => {
      await writeActivityRepo(dir);
      const { specs, transforms } = await loadDefinitions(join(dir, "features.ts"), { larderModule: await larderModuleForTests() });
      expect(specs.entities.map((e) => e.name)).toEqual(["participant"]);
      expect(specs.featureViews.map((v) => [v.name, v.ttlSeconds])).toEqual([["heart_stats", 3600], ["profile", 0]]);
      expect(specs.featureViews[0]!.aggregations.map((a) => a.name)).toEqual(["mean_heart_rate_1800s", "sum_steps_3600s"]);
      expect(specs.onDemandFeatureViews.map((o) => o.name)).toEqual(["hr_x_steps"]);
      expect(specs.featureServices.map((s) => s.name)).toEqual(["activity_model_v1"]);
      expect(specs.dataSources.map((s) => s.name)).toEqual(["heart_source", "profile_source"]);
      expect(transforms.get("hr_x_steps")!({ heart_rate: [2, null], heart_stats__steps: [3, 4] })).toEqual({ hr_times_steps: [6, null] });
      // The temporary bundle is removed.
      expect((await readdir(dir)).filter((f) => f.endsWith(".mjs"))).toEqual([]);
    });
  });

  it("imports from larder get the running module's classes, not a bundled copy", async () => {
    await withTempDir(async (dir) => {
      await writeFile(
        join(dir, "features.ts"),
        `import { FeatureView } from "larder";\n(globalThis as Record<string, unknown>).__larderFeatureViewClass = FeatureView;\n`,
      );
      await loadDefinitions(join(dir, "features.ts"), { larderModule: await larderModuleForTests() });
      expect((globalThis as Record<string, unknown>).__larderFeatureViewClass).toBe(FeatureView);
    });
  });

  it("names the file and line of a syntax error", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "features.ts"), "export const x = ;\n");
      await expect(loadDefinitions(join(dir, "features.ts"))).rejects.toThrow(/Cannot compile .*features\.ts:\n.*features\.ts:1:/);
    });
  });

  it("names the file when a definition is invalid", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "features.ts"), FEATURES_TS.replace('ttl: "1h"', 'ttl: "an hour"').replace(/import \{ minutes \}.*\n/, "const minutes = (n: number) => `${n}m`;\n"));
      await expect(loadDefinitions(join(dir, "features.ts"), { larderModule: await larderModuleForTests() })).rejects.toThrow(
        /features\.ts: Feature view heart_stats: ttl must be seconds or a duration/,
      );
    });
  });

  it("reports a missing features.ts", async () => {
    await withTempDir(async (dir) => {
      expect(existsSync(join(dir, "features.ts"))).toBe(false);
      await expect(loadDefinitions(join(dir, "features.ts"))).rejects.toThrow(/No features\.ts at/);
    });
  });
});
