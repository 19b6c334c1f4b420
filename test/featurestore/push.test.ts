import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FeatureStore } from "../../src/featurestore/FeatureStore.js";
import { at, FEATURES_TS, writeActivityRepo } from "./helpers/activityRepo.js";
import { larderModuleForTests } from "./helpers/larderModule.js";

/** The activity repo with heart_stats fed by a push source whose batch source is the heart Parquet file. */
const PUSH_FEATURES_TS = FEATURES_TS.replace("import {", "import { PushSource,").replace(
  "  source: heartSource,\n  aggregations",
  '  source: new PushSource({ name: "heart_push", batchSource: heartSource }),\n  aggregations',
);

describe("push", () => {
  let dir: string;
  let store: FeatureStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "larder-push-"));
    await writeActivityRepo(dir, PUSH_FEATURES_TS);
    store = await FeatureStore.open(dir, { larderModule: await larderModuleForTests() });
    await store.apply();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the latest pushed row per key online, without replacing newer values", async () => {
    await store.materialize(at(-240), at(0));
    const result = await store.push("heart_push", {
      participant_id: [1, 1, 5, 2],
      event_timestamp: [at(-1), at(-2), at(-3), at(-60)],
      created: [null, null, null, null],
      heart_rate: [101, 102, 50, 1],
      steps: [7, 8, 9, 10],
    });
    expect(result).toEqual({ views: ["heart_stats"], onlineWritten: 2, offlineAppended: 0 });
    const response = await store.getOnlineFeatures({ features: ["heart_stats:heart_rate"], entityRows: { participant_id: [1, 5, 2] }, now: at(0) });
    // Participant 2's pushed row (11:00) is older than its materialized one (11:40) and is ignored.
    expect(response.results[1]!.values).toEqual([101, 50, 56.5]);
  });

  it("appends to the batch source offline, where historical retrieval sees it", async () => {
    await store.push(
      "heart_push",
      [{ participant_id: 9, event_timestamp: at(-1), created: at(-1), heart_rate: 42.5, steps: 3 }],
      "online_and_offline",
    );
    const job = await store.getHistoricalFeatures({
      features: ["heart_stats:heart_rate", "heart_stats:steps"],
      entities: [{ participant_id: 9, event_timestamp: at(0) }, { participant_id: 1, event_timestamp: at(0) }],
    });
    try {
      expect((await job.toRows()).map((r) => [r.heart_rate, r.steps])).toEqual([[42.5, 3n], [80, 300n]]);
    } finally {
      await job.close();
    }
  });

  it("rejects unknown push sources, bad targets, and rows whose columns differ from the source", async () => {
    await expect(store.push("nope", [{ a: 1 }])).rejects.toThrow("Push source nope does not exist in project activity");
    await expect(store.push("heart_push", [{ a: 1 }], "both" as never)).rejects.toThrow(/to must be one of online, offline, online_and_offline/);
    await expect(
      store.push("heart_push", [{ participant_id: 9, event_timestamp: at(-1), heart_rate: 1, steps: 2, mood: "ok" }], "offline"),
    ).rejects.toThrow(/exactly the columns of source heart_source; missing: created; unknown: mood/);
  });
});

