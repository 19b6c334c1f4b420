import { utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileTrackingStore } from "../../src/tracking/FileTrackingStore.js";
import { makeTempDir, removeTempDirs } from "./helpers.js";
import { writeSyntheticExperiment } from "./syntheticStore.js";

afterAll(removeTempDirs, 300_000);

// The 10,000-run timing lives in bench/tracking.ts; here the cache path is checked for correctness.
const RUNS = 2_000;
const METRICS = 4;
const EXPERIMENT = "123456789012345678";

describe("search over a large experiment", () => {
  it("answers a filtered, ordered search from the rebuilt cache exactly as from a cold read", async () => {
    const root = join(makeTempDir("larder-perf-"), "mlruns");
    await writeSyntheticExperiment(root, EXPERIMENT, RUNS, METRICS);
    // Age the files so every cache entry counts as settled (as it would for any run older than a second).
    const past = new Date(Date.now() - 60_000);
    for (let i = 0; i < RUNS; i++) utimesSync(join(root, EXPERIMENT, `${i.toString(16).padStart(8, "0")}${"a".repeat(24)}`, "meta.yaml"), past, past);

    const request = {
      experimentIds: [EXPERIMENT],
      filter: "metrics.metric_3 > 0.5 and params.fold = '2'",
      orderBy: ["metrics.metric_1 DESC"],
      maxResults: 100,
    };
    const coldStart = performance.now();
    const cold = await new FileTrackingStore(root).searchRuns(request);
    const coldMs = performance.now() - coldStart;

    const timings: number[] = [];
    let warm = cold;
    for (let i = 0; i < 3; i++) {
      // A new store instance per search: the cache has to come from disk, as in a new CLI process.
      const started = performance.now();
      warm = await new FileTrackingStore(root).searchRuns(request);
      timings.push(performance.now() - started);
    }
    console.log(`search over ${RUNS} runs x ${METRICS} metrics: cold ${coldMs.toFixed(0)} ms, warm ${timings.map((t) => t.toFixed(0)).join(" / ")} ms`);

    // Independent oracle for the expected answer: run i has metric_k = ((7i + 13k) mod 1000) / 1000 and fold i mod 5.
    const expected = Array.from({ length: RUNS }, (_, i) => i)
      .filter((i) => ((i * 7 + 39) % 1000) / 1000 > 0.5 && i % 5 === 2)
      .sort((a, b) => ((b * 7 + 13) % 1000) - ((a * 7 + 13) % 1000) || b - a)
      .slice(0, 100);
    expect(warm.runs.map((r) => r.info.runName)).toEqual(expected.map((i) => `run-${i}`));
    expect(cold.runs.map((r) => r.info.runId)).toEqual(warm.runs.map((r) => r.info.runId));
    expect(warm.nextPageToken).toBeDefined();
  }, 300_000);
});
