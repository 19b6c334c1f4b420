import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireFileLock, withFileLock } from "../../src/core/fileLock.js";
import { LarderError } from "../../src/errors.js";
import { FileTrackingStore } from "../../src/tracking/FileTrackingStore.js";
import { REPO_ROOT, runTsChild } from "./childProcesses.js";
import { makeTempDir, removeTempDirs } from "./helpers.js";

afterAll(removeTempDirs);

const WORKERS = 4;

describe("several processes writing to one store", () => {
  it("loses no runs, metric lines, params or tags, and creates the experiment once", async () => {
    const root = join(makeTempDir(), "mlruns");
    const store = new FileTrackingStore(root);
    const sharedExperiment = await store.createExperiment("shared");
    const shared = await store.createRun({ experimentId: sharedExperiment });
    const RUNS = 3;
    const STEPS = 15;
    const outputs = await Promise.all(
      Array.from({ length: WORKERS }, (_, w) =>
        runTsChild(resolve(REPO_ROOT, "test/tracking/workers/concurrentLogger.ts"), [root, "race", String(w), String(RUNS), String(STEPS), shared.info.runId]),
      ),
    );
    const experimentIds = new Set(outputs.map((o) => o.trim()));
    // All workers raced to create "race"; the experiments lock lets exactly one create it.
    expect(experimentIds.size).toBe(1);
    expect((await store.listExperiments()).filter((e) => e.name === "race")).toHaveLength(1);
    const [experimentId] = [...experimentIds] as [string];

    const { runs } = await store.searchRuns({ experimentIds: [experimentId], maxResults: 1000 });
    expect(runs).toHaveLength(WORKERS * RUNS);
    expect(new Set(runs.map((r) => r.info.runName)).size).toBe(WORKERS * RUNS);
    for (const r of runs) {
      expect(r.info.status).toBe("FINISHED");
      expect((await store.getMetricHistory(r.info.runId, "loss")).map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i));
    }

    const sharedLines = readFileSync(join(root, sharedExperiment, shared.info.runId, "metrics", "shared_loss"), "utf8").split("\n").filter(Boolean);
    expect(sharedLines).toHaveLength(WORKERS * RUNS * STEPS);
    // Appends interleave whole lines, never bytes.
    for (const line of sharedLines) expect(line).toMatch(/^\d{13} \d+\.\d+ \d+$/);
    for (let w = 0; w < WORKERS; w++) {
      expect(sharedLines.filter((l) => l.split(" ")[1]!.startsWith(`${w}.`) || l.split(" ")[1] === `${w}.0`)).toHaveLength(RUNS * STEPS);
    }
    const tags = (await store.getRun(shared.info.runId)).data.tags;
    expect(Object.keys(tags).filter((k) => k.startsWith("worker_"))).toHaveLength(WORKERS * RUNS);
    // No temporary files are left behind.
    const leftovers = readdirSync(join(root, sharedExperiment, shared.info.runId, "tags")).filter((n) => n.endsWith(".tmp"));
    expect(leftovers).toEqual([]);
  }, 180_000);
});

describe("several processes opening a store that does not exist yet", () => {
  it("all find the Default experiment, and it is created once", async () => {
    const root = join(makeTempDir(), "nested", "mlruns");
    const runIds = await Promise.all(Array.from({ length: WORKERS }, () => runTsChild(resolve(REPO_ROOT, "test/tracking/workers/freshStoreStarter.ts"), [root])));
    const store = new FileTrackingStore(root);
    const { runs } = await store.searchRuns({ experimentIds: ["0"] });
    expect(runs.map((r) => r.info.runId).sort()).toEqual([...runIds].sort());
    expect((await store.listExperiments("ALL")).map((e) => e.experimentId)).toEqual(["0"]);
    // No staging folders are left next to the store.
    expect(readdirSync(join(root, "..")).filter((n) => n !== "mlruns")).toEqual([]);
  }, 120_000);
});

describe("fileLock", () => {
  it("serialises read-modify-write across processes", async () => {
    const dir = makeTempDir();
    const counter = join(dir, "counter");
    writeFileSync(counter, "0");
    const TIMES = 25;
    await Promise.all(
      Array.from({ length: WORKERS }, () => runTsChild(resolve(REPO_ROOT, "test/tracking/workers/lockCounter.ts"), [join(dir, "counter.lock"), counter, String(TIMES)])),
    );
    expect(Number(readFileSync(counter, "utf8"))).toBe(WORKERS * TIMES);
    expect(readdirSync(dir).sort()).toEqual(["counter"]);
  }, 120_000);

  it("breaks a lock left by a process that no longer exists", async () => {
    const dir = makeTempDir();
    const lock = join(dir, "x.lock");
    // PIDs are below 2^22 on Linux; this one cannot be alive.
    writeFileSync(lock, JSON.stringify({ pid: 4_194_999, host: (await import("node:os")).hostname(), time: Date.now() }));
    const started = Date.now();
    expect(await withFileLock(lock, async () => "got it", { timeoutMs: 2000 })).toBe("got it");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("breaks a lock older than staleMs, and times out on a live one with a clear error", async () => {
    const dir = makeTempDir();
    const old = join(dir, "old.lock");
    writeFileSync(old, "");
    const { utimesSync } = await import("node:fs");
    utimesSync(old, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(await withFileLock(old, async () => 1, { staleMs: 10_000, timeoutMs: 2000 })).toBe(1);

    const live = join(dir, "live.lock");
    const release = await acquireFileLock(live);
    const err = await withFileLock(live, async () => 1, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LarderError);
    expect((err as LarderError).code).toBe("INVALID_STATE");
    expect((err as LarderError).message).toMatch(/Timed out/);
    await release();
    expect(await withFileLock(live, async () => 2, { timeoutMs: 1000 })).toBe(2);
  });
});
