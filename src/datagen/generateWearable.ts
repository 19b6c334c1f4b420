import { appendColumns } from "../core/appendColumns.js";
import { Duck } from "../core/duckdb.js";
import { quotedString } from "../core/sql.js";
import { ACTIVITIES, DEVICES } from "./activities.js";
import { simulateWearable, type WearableOptions } from "./simulateWearable.js";
import { checkFormat, exportTables, type TableFormat } from "./writeTables.js";

export interface GenerateWearableOptions extends WearableOptions {
  outDir: string;
  format?: TableFormat;
}

export interface DatasetSummary {
  outDir: string;
  format: TableFormat;
  files: Record<string, string>;
  rows: Record<string, number>;
  quirks?: { duplicates: number; corrections: number; gapMinutes: number };
  elapsedMs: number;
}

export const sqlStringList = (items: readonly string[]): string => `[${items.map(quotedString).join(", ")}]`;

/**
 * Generates the three wearable tables (`participants`, `wearable_events`, `activity_labels`) into
 * `outDir`. The same options give the same bytes.
 */
export async function generateWearable(opts: GenerateWearableOptions): Promise<DatasetSummary> {
  const started = performance.now();
  const format = checkFormat(opts.format ?? "parquet");
  const { participants: p, events: e, labels: l, quirks } = simulateWearable(opts);

  // One thread keeps row groups, and so the output bytes, identical from run to run.
  const duck = await Duck.open(":memory:", { threads: 1 });
  try {
    await appendColumns(duck, "p", [
      { name: "participant_id", type: "INTEGER", values: p.participantId },
      { name: "age", type: "INTEGER", values: p.age },
      { name: "gender", type: "INTEGER", values: p.gender },
      { name: "height", type: "DOUBLE", values: p.height },
      { name: "weight", type: "DOUBLE", values: p.weight },
      { name: "resting_heart", type: "DOUBLE", values: p.restingHeart },
      { name: "device", type: "INTEGER", values: p.device },
      { name: "signup", type: "DOUBLE", values: p.signupTimestamp },
    ]);
    await appendColumns(duck, "e", [
      { name: "participant_id", type: "INTEGER", values: e.participantId.subarray(0, e.length) },
      { name: "ts", type: "DOUBLE", values: e.eventTimestamp.subarray(0, e.length) },
      { name: "created", type: "DOUBLE", values: e.created.subarray(0, e.length) },
      { name: "heart_rate", type: "DOUBLE", values: e.heartRate.subarray(0, e.length) },
      { name: "steps", type: "DOUBLE", values: e.steps.subarray(0, e.length) },
      { name: "calories", type: "DOUBLE", values: e.calories.subarray(0, e.length) },
      { name: "distance", type: "DOUBLE", values: e.distance.subarray(0, e.length) },
      { name: "accel_x", type: "DOUBLE", values: e.accelX.subarray(0, e.length) },
      { name: "accel_y", type: "DOUBLE", values: e.accelY.subarray(0, e.length) },
      { name: "accel_z", type: "DOUBLE", values: e.accelZ.subarray(0, e.length) },
    ]);
    await appendColumns(duck, "l", [
      { name: "participant_id", type: "INTEGER", values: l.participantId },
      { name: "ts", type: "DOUBLE", values: l.eventTimestamp },
      { name: "activity", type: "INTEGER", values: l.activity },
    ]);
    const files = await exportTables(duck, opts.outDir, format, [
      {
        name: "participants",
        select: `SELECT participant_id::BIGINT AS participant_id, age::BIGINT AS age, gender::BIGINT AS gender,
                   height, weight, resting_heart, ${sqlStringList(DEVICES)}[device + 1] AS device,
                   to_timestamp(signup) AS signup_timestamp
                 FROM p ORDER BY participant_id`,
      },
      {
        name: "wearable_events",
        select: `SELECT participant_id::BIGINT AS participant_id, to_timestamp(ts) AS event_timestamp,
                   to_timestamp(created) AS created, heart_rate, steps, calories, distance, accel_x, accel_y, accel_z
                 FROM e`,
      },
      {
        name: "activity_labels",
        select: `SELECT participant_id::BIGINT AS participant_id, to_timestamp(ts) AS event_timestamp,
                   ${sqlStringList(ACTIVITIES)}[activity + 1] AS activity
                 FROM l`,
      },
    ]);
    return {
      outDir: opts.outDir,
      format,
      files,
      rows: { participants: p.length, wearable_events: e.length, activity_labels: l.length },
      quirks,
      elapsedMs: performance.now() - started,
    };
  } finally {
    duck.close();
  }
}
