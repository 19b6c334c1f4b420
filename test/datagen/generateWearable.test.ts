import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck } from "../../src/core/duckdb.js";
import { generateWearable } from "../../src/datagen/index.js";
import { tempDir } from "../helpers/paths.js";

async function sha256(path: string): Promise<string> {
  return createHash("sha256").update(await readFile(path)).digest("hex");
}

describe("generateWearable", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("writes the same bytes for the same seed (parquet and csv)", async () => {
    for (const format of ["parquet", "csv"] as const) {
      const a = await generateWearable({ participants: 4, days: 1, seed: 42, outDir: join(dir, `a-${format}`), format });
      const b = await generateWearable({ participants: 4, days: 1, seed: 42, outDir: join(dir, `b-${format}`), format });
      for (const table of Object.keys(a.files)) {
        expect(await sha256(b.files[table]!), `${format} ${table}`).toBe(await sha256(a.files[table]!));
      }
    }
  });

  it("pins the CSV output of seed 42 (a change to the generator must update this hash on purpose)", async () => {
    const r = await generateWearable({ participants: 3, days: 1, seed: 42, outDir: join(dir, "pinned"), format: "csv" });
    const digest = createHash("sha256");
    for (const table of ["participants", "wearable_events", "activity_labels"]) digest.update(await readFile(r.files[table]!));
    expect(digest.digest("hex")).toBe(PINNED_CSV_SHA256);
  });

  it("has the documented schema with UTC timestamps", async () => {
    const r = await generateWearable({ participants: 3, days: 1, seed: 1, outDir: join(dir, "schema") });
    await Duck.with(async (duck) => {
      const describe = async (file: string) =>
        Object.fromEntries((await duck.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM '${file}'`)).map((c) => [c.column_name, c.column_type]));
      expect(await describe(r.files.participants!)).toEqual({
        participant_id: "BIGINT", age: "BIGINT", gender: "BIGINT", height: "DOUBLE", weight: "DOUBLE",
        resting_heart: "DOUBLE", device: "VARCHAR", signup_timestamp: "TIMESTAMP WITH TIME ZONE",
      });
      expect(await describe(r.files.wearable_events!)).toEqual({
        participant_id: "BIGINT", event_timestamp: "TIMESTAMP WITH TIME ZONE", created: "TIMESTAMP WITH TIME ZONE",
        heart_rate: "DOUBLE", steps: "DOUBLE", calories: "DOUBLE", distance: "DOUBLE",
        accel_x: "DOUBLE", accel_y: "DOUBLE", accel_z: "DOUBLE",
      });
      expect(await describe(r.files.activity_labels!)).toEqual({
        participant_id: "BIGINT", event_timestamp: "TIMESTAMP WITH TIME ZONE", activity: "VARCHAR",
      });
      const devices = await duck.all<{ device: string }>(`SELECT DISTINCT device FROM '${r.files.participants}' ORDER BY 1`);
      for (const d of devices) expect(["apple watch", "fitbit"]).toContain(d.device);
      const [first] = await duck.all<{ t: Date }>(`SELECT min(event_timestamp) AS t FROM '${r.files.wearable_events}'`);
      expect(first!.t.toISOString()).toBe("2025-01-06T00:00:00.000Z");
      const activities = await duck.all<{ activity: string }>(`SELECT DISTINCT activity FROM '${r.files.activity_labels}' ORDER BY 1`);
      expect(activities.map((a) => a.activity)).toEqual(["Lying", "Running 3 METs", "Running 5 METs", "Running 7 METs", "Self Pace walk", "Sitting"]);
    });
  });
});

const PINNED_CSV_SHA256 = "b95156d23ca72ee944167fe3e5aebf0ea8349fd1c525ffc1ddd8a1e4a6f05e05";
