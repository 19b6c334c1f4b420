import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeatureStore } from "../../src/featurestore/FeatureStore.js";
import { initProject } from "../../src/project/index.js";
import { larderModuleForTests } from "./helpers/larderModule.js";
import { withTempDir } from "./helpers/paths.js";

/** The feature repo that `larder init` writes must apply, materialize and serve as-is. */
describe("the `larder init` activity repo", () => {
  it("applies, builds a training set, materializes and serves the activity_model_v1 service", async () => {
    await withTempDir(async (dir) => {
      await initProject({ dir, participants: 3, days: 1, seed: 7 });
      const store = await FeatureStore.open(join(dir, "feature_repo"), { larderModule: await larderModuleForTests() });
      try {
        const { lines } = await store.apply();
        expect(lines).toContain("Created feature service activity_model_v1");
        const views = await store.listFeatureViews();
        expect(views.map((v) => v.name)).toEqual(["heart_rate_stats", "participant_profile", "wearable_latest"]);

        const range = await store.offline.pullLatest(views.find((v) => v.name === "wearable_latest")!, 0, Date.now() * 1000);
        expect(range.rowCount).toBe(3);
        const end = Math.max(...range.eventTimestamps);
        const ids = range.columns.participant_id!;

        const job = await store.getHistoricalFeatures({
          featureService: "activity_model_v1",
          entities: ids.map((id) => ({ participant_id: id, event_timestamp: new Date(end / 1000) })),
        });
        try {
          const rows = await job.toRows();
          expect(rows).toHaveLength(3);
          expect(job.columnNames).toContain("mean_heart_rate_300s");
          expect(job.columnNames.at(-1)).toBe("accel_magnitude_x_hr");
          for (const row of rows) {
            expect(row.heart_rate).not.toBeNull();
            expect(row.accel_magnitude_x_hr).toBeTypeOf("number");
          }
        } finally {
          await job.close();
        }

        const materialized = await store.materializeIncremental(new Date(end / 1000));
        expect(materialized.views.map((v) => v.rows)).toEqual([3, 3, 3]);
        const response = await store.getOnlineFeatures({
          featureService: "activity_model_v1",
          entityRows: ids.map((id) => ({ participant_id: id })),
          now: new Date(end / 1000),
        });
        const names = response.metadata.feature_names;
        expect(names[0]).toBe("participant_id");
        const statuses = response.results.slice(1).flatMap((r) => r.statuses);
        expect(statuses.every((s) => s === "PRESENT")).toBe(true);
        const exertion = response.results[names.indexOf("accel_magnitude_x_hr")]!.values;
        expect(exertion.every((v) => typeof v === "number")).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
});
