import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck } from "../../src/core/duckdb.js";
import { importAwFb } from "../../src/datagen/index.js";
import { hasShared, sharedPath, tempDir } from "../helpers/paths.js";

const AW_FB = ["datasets", "aw_fb", "aw_fb_data.csv"];

describe.runIf(hasShared(...AW_FB))("importAwFb on the real Apple Watch / Fitbit file", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("converts 6,264 events of 49 participants into the three tables", async () => {
    const r = await importAwFb({ path: sharedPath(...AW_FB), outDir: join(dir, "aw") });
    expect(r.rows).toEqual({ participants: 49, wearable_events: 6264, activity_labels: 6264 });
    await Duck.with(async (duck) => {
      const [counts] = await duck.all<Record<string, bigint>>(`
        SELECT (SELECT count(*) FROM '${r.files.participants}') AS participants,
               (SELECT count(*) FROM '${r.files.wearable_events}') AS events,
               (SELECT count(DISTINCT participant_id) FROM '${r.files.wearable_events}') AS event_participants,
               (SELECT count(*) FROM '${r.files.activity_labels}') AS labels,
               (SELECT count(*) FROM (SELECT DISTINCT participant_id, event_timestamp FROM '${r.files.wearable_events}')) AS distinct_keys,
               (SELECT count(*) FROM '${r.files.wearable_events}' WHERE accel_x IS NOT NULL) AS accel_values`);
      expect(counts).toEqual({ participants: 49n, events: 6264n, event_participants: 49n, labels: 6264n, distinct_keys: 6264n, accel_values: 0n });
      const devices = await duck.all<{ device: string; n: bigint }>(`SELECT device, count(*) AS n FROM '${r.files.wearable_events}' GROUP BY 1 ORDER BY 1`);
      expect(devices).toEqual([{ device: "apple watch", n: 3656n }, { device: "fitbit", n: 2608n }]);
      const classes = await duck.all<{ activity: string; n: bigint }>(`SELECT activity, count(*) AS n FROM '${r.files.activity_labels}' GROUP BY 1 ORDER BY 2 DESC`);
      expect(classes[0]).toEqual({ activity: "Lying", n: 1379n });
      expect(classes.length).toBe(6);
      // The study's known values: `hear_rate` renamed, gender counts 26 / 23.
      const genders = await duck.all<{ gender: bigint; n: bigint }>(`SELECT gender, count(*) AS n FROM '${r.files.participants}' GROUP BY 1 ORDER BY 1`);
      expect(genders).toEqual([{ gender: 0n, n: 26n }, { gender: 1n, n: 23n }]);
      const [hr] = await duck.all<{ lo: number; hi: number }>(`SELECT min(heart_rate) AS lo, max(heart_rate) AS hi FROM '${r.files.wearable_events}'`);
      expect(hr!.lo).toBeGreaterThan(2);
      expect(hr!.hi).toBeLessThan(195);
    });
  });

  it("refuses a file that is not the combined study file", async () => {
    await expect(importAwFb({ path: sharedPath("datasets", "aw_fb", "data_for_weka_aw.csv"), outDir: join(dir, "weka") })).rejects.toThrow(
      /missing column\(s\) X1/,
    );
  });
});
