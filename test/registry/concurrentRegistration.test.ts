import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runTsChild } from "../tracking/childProcesses.js";
import { removeTempDirs } from "../tracking/helpers.js";
import { makeFixture } from "./registryFixtures.js";

afterAll(removeTempDirs);

describe("registering from several processes at once", () => {
  it("hands out every version number exactly once, with no gaps", async () => {
    const { root, registry, trainedRun } = await makeFixture();
    const run = await trainedRun({ f1_macro: 0.9 });
    const WORKERS = 4;
    const EACH = 6;
    const outputs = await Promise.all(
      Array.from({ length: WORKERS }, () => runTsChild(resolve(REPO_ROOT, "test/registry/workers/concurrentRegistrar.ts"), [root, run.runId, String(EACH)])),
    );
    const got = outputs.flatMap((o) => JSON.parse(o) as number[]).sort((a, b) => a - b);
    expect(got).toEqual(Array.from({ length: WORKERS * EACH }, (_, i) => i + 1));
    expect((await registry.listModelVersions("raced-model")).map((v) => v.version)).toEqual(got);
    expect(readdirSync(join(root, "models", "raced-model")).filter((n) => n.startsWith("version-"))).toHaveLength(WORKERS * EACH);
    // The lock file is gone once everyone is done.
    expect(readdirSync(join(root, "models")).filter((n) => n.endsWith(".lock"))).toEqual([]);
  }, 180_000);
});
