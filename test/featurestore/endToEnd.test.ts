import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FeatureStore } from "../../src/featurestore/FeatureStore.js";
import { stringifyOnlineResponse, type OnlineResponse } from "../../src/featurestore/online/onlineResponse.js";
import { at, writeActivityRepo } from "./helpers/activityRepo.js";
import { larderModuleForTests } from "./helpers/larderModule.js";
import { withTempDir } from "./helpers/paths.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";

/** Column-major response → one object per feature name: {values, statuses, event_timestamps}. */
function byName(response: OnlineResponse) {
  return Object.fromEntries(response.metadata.feature_names.map((name, i) => [name, response.results[i]!]));
}

describe("feature store end to end: apply → materialize → online and historical reads", () => {
  let dir: string;
  let store: FeatureStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "larder-e2e-"));
    await writeActivityRepo(dir);
    store = await FeatureStore.open(dir, { larderModule: await larderModuleForTests() });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("applies the activity repo with Feast's output lines, then reports no changes", async () => {
    const first = await store.apply();
    expect(first.lines).toEqual([
      "Created project activity",
      "Created entity participant",
      "Created feature view heart_stats",
      "Created feature view profile",
      "Created on demand feature view hr_x_steps",
      "Created feature service activity_model_v1",
      "",
      "Created lmdb table activity_heart_stats",
      "Created lmdb table activity_profile",
    ]);
    expect((await store.listFeatureViews()).map((v) => v.name)).toEqual(["heart_stats", "profile"]);
    // Join-key types the schema does not declare are read from the source.
    expect((await store.listFeatureViews())[0]!.entityColumns).toEqual([{ name: "participant_id", dtype: "Int64", description: "", tags: {} }]);
    const reopened = await FeatureStore.open(dir, { larderModule: await larderModuleForTests() });
    const again = await reopened.plan();
    await reopened.close();
    expect(again.lines).toEqual(["No changes to registry", "", "No changes to infrastructure"]);
  });

  it("materializes the latest row per entity, and serves it with PRESENT / NOT_FOUND / OUTSIDE_MAX_AGE", async () => {
    await store.apply();
    const header: string[] = [];
    const result = await store.materialize(at(-240), at(0), { onBegin: (h) => header.push(h), onViewStart: (_v, _n, line) => header.push(line) });
    expect(header).toEqual([
      "Materializing 2 feature views from 2026-03-01 08:00:00+00:00 to 2026-03-01 12:00:00+00:00 into the lmdb online store.",
      "heart_stats:",
      "profile:",
    ]);
    expect(result.views.map((v) => [v.view.name, v.rows, v.written])).toEqual([
      ["heart_stats", 3, 3],
      ["profile", 0, 0], // profile rows are days old: outside the window
    ]);

    const response = await store.getOnlineFeatures({
      features: ["heart_stats:heart_rate", "heart_stats:steps", "heart_stats:mean_heart_rate_1800s", "hr_x_steps:hr_times_steps"],
      entityRows: [{ participant_id: 1 }, { participant_id: 2 }, { participant_id: 3 }, { participant_id: 4 }],
      now: at(0),
    });
    expect(response.metadata.feature_names).toEqual(["participant_id", "heart_rate", "steps", "mean_heart_rate_1800s", "hr_times_steps"]);
    const r = byName(response);
    expect(r.participant_id!.values).toEqual([1, 2, 3, 4]);
    expect(r.participant_id!.statuses).toEqual(["PRESENT", "PRESENT", "PRESENT", "PRESENT"]);
    expect(r.heart_rate!.values).toEqual([80, 56.5, 99, null]);
    expect(r.heart_rate!.statuses).toEqual(["PRESENT", "PRESENT", "OUTSIDE_MAX_AGE", "NOT_FOUND"]);
    expect(r.heart_rate!.event_timestamps).toEqual(["2026-03-01T11:50:00Z", "2026-03-01T11:40:00Z", "2026-03-01T09:00:00Z", "1970-01-01T00:00:00Z"]);
    expect(r.steps!.values).toEqual([300, 11, 9, null]);
    // Aggregation as of the window end (12:00) over (11:30, 12:00]: the 11:30 row is just outside.
    expect(r.mean_heart_rate_1800s!.values).toEqual([80, 56.5, null, null]);
    expect(r.hr_times_steps!.values).toEqual([80 * 300, 56.5 * 11, 99 * 9, null]);
    expect(JSON.parse(stringifyOnlineResponse(response))).toHaveProperty("results");
  });

  it("never regresses online values when an older window is materialized later, and incremental continues from the last end", async () => {
    await store.apply();
    await store.materialize(at(-240), at(0), { views: ["heart_stats"] });
    const old = await store.materialize(at(-240), at(-25), { views: ["heart_stats"] });
    expect(old.views[0]!.rows).toBe(2); // participants 1 (11:30) and 3; participant 2's row is at 11:40
    expect(old.views[0]!.written).toBe(1); // only participant 3, whose stored row is the same age
    let r = byName(await store.getOnlineFeatures({ features: ["heart_stats:heart_rate"], entityRows: { participant_id: [1] }, now: at(0) }));
    expect(r.heart_rate!.values).toEqual([80]);

    const incremental = await store.materializeIncremental(at(20), { views: ["heart_stats"] });
    expect(incremental.viewLines).toEqual(["heart_stats from 2026-03-01 12:00:00+00:00 to 2026-03-01 12:20:00+00:00:"]);
    // A ttl-0 view never materialized starts 52 weeks back, with Feast's notice.
    const profile = await store.materializeIncremental(at(0), { views: ["profile"] });
    expect(profile.viewLines).toEqual([
      "Since the ttl is 0 for feature view profile, the start date will be set to 1 year before the current time.\nprofile from 2025-03-02 12:00:00+00:00 to 2026-03-01 12:00:00+00:00:",
    ]);
    expect(profile.views[0]!.rows).toBe(2);
    expect(incremental.views[0]!.rows).toBe(1);
    // Entity values given as strings (as the CLI passes them) are read and echoed as the declared Int64.
    r = byName(await store.getOnlineFeatures({ features: ["heart_stats:heart_rate"], entityRows: { participant_id: ["1"] }, now: at(20) }));
    expect(r.heart_rate!.values).toEqual([90]);
    expect(r.participant_id!.values).toEqual([1]);
    const document = await store.registry.read();
    expect(document!.meta.featureViews.heart_stats!.materializationIntervals!.map((i) => i.end)).toEqual([
      "2026-03-01T12:00:00.000000Z",
      "2026-03-01T11:35:00.000000Z",
      "2026-03-01T12:20:00.000000Z",
    ]);
  });

  it("builds a point-in-time training set from a feature service, labels passing through", async () => {
    await store.apply();
    const job = await store.getHistoricalFeatures({
      featureService: "activity_model_v1",
      entities: [
        { participant_id: 1, event_timestamp: at(-20), label: 1 },
        { participant_id: 1, event_timestamp: at(-10), label: 0 },
        { participant_id: 2, event_timestamp: at(-5), label: 1 },
        { participant_id: 3, event_timestamp: at(0), label: 0 },
        { participant_id: 1, event_timestamp: at(-20), label: 1 },
      ],
    });
    try {
      expect(job.columnNames).toEqual(["participant_id", "event_timestamp", "label", "heart_rate", "mean_heart_rate_1800s", "age", "gender", "hr_times_steps"]);
      const rows = await job.toRows();
      expect(rows.map((r) => [r.heart_rate, r.mean_heart_rate_1800s, r.age, r.gender, r.hr_times_steps])).toEqual([
        // At 11:40 the 30-minute window (11:10, 11:40] excludes the 11:10 row.
        [70, 70, 35n, "f", 70 * 200],
        [80, 75, 35n, "f", 80 * 300],
        [56.5, 56.5, 51n, "m", 56.5 * 11],
        [null, null, null, null, null],
        [70, 70, 35n, "f", 70 * 200],
      ]);
      await withTempDir(async (out) => {
        await job.writeTo(join(out, "training.parquet"));
        await job.writeTo(join(out, "training.csv"));
      });
    } finally {
      await job.close();
    }
  });

  it("reports unknown views, features and services with Feast's messages", async () => {
    await store.apply();
    await expect(store.getOnlineFeatures({ features: ["nope:x"], entityRows: [{ participant_id: 1 }] })).rejects.toThrow(
      "Feature view nope does not exist in project activity",
    );
    await expect(store.getOnlineFeatures({ features: ["heart_stats:nope"], entityRows: [{ participant_id: 1 }] })).rejects.toThrow(
      "Feature nope does not exist in feature view heart_stats",
    );
    await expect(store.getHistoricalFeatures({ featureService: "missing", entities: [] })).rejects.toThrow(
      "Feature service missing does not exist in project activity",
    );
    await expect(store.materialize(at(0), at(-10))).rejects.toThrow("after its end");
  });

  it("lists and describes applied objects", async () => {
    await store.apply();
    expect((await store.listEntities()).map((e) => [e.name, e.joinKeys])).toEqual([["participant", ["participant_id"]]]);
    expect((await store.listOnDemandFeatureViews()).map((o) => o.name)).toEqual(["hr_x_steps"]);
    expect((await store.listFeatureServices())[0]!.features).toEqual([
      { view: "heart_stats", features: ["heart_rate", "mean_heart_rate_1800s"] },
      { view: "profile", features: ["age", "gender"] },
      { view: "hr_x_steps", features: ["hr_times_steps"] },
    ]);
    expect((await store.listDataSources()).map((s) => [s.name, s.type])).toEqual([["heart_source", "file"], ["profile_source", "file"]]);
    const described = await store.describe("heart_stats");
    expect(described.type).toBe("feature view");
    expect(described.spec).toMatchObject({ ttlSeconds: 3600, tags: { team: "wearables" } });
    expect(described.meta?.materializationIntervals).toEqual([]);
    expect((await store.describe("participant")).type).toBe("entity");
    expect((await store.describe("hr_x_steps")).spec).toHaveProperty("transformSource", expect.stringContaining("hr_times_steps"));
    await expect(store.describe("nope")).rejects.toThrow("Object nope does not exist in project activity");
  });

  it("teardown removes the registry and the online data", async () => {
    await store.apply();
    await store.materialize(at(-240), at(0));
    await store.teardown();
    await expect(store.listEntities()).rejects.toThrow("Registry not found");
    await store.apply();
    const r = byName(await store.getOnlineFeatures({ features: ["heart_stats:heart_rate"], entityRows: [{ participant_id: 1 }] }));
    expect(r.heart_rate!.statuses).toEqual(["NOT_FOUND"]);
  });
});
