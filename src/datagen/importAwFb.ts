import { access } from "node:fs/promises";
import { Duck } from "../core/duckdb.js";
import { quotedString } from "../core/sql.js";
import { LarderError } from "../errors.js";
import type { DatasetSummary } from "./generateWearable.js";
import { parseStart } from "./simulateWearable.js";
import { checkFormat, exportTables, type TableFormat } from "./writeTables.js";

export interface ImportAwFbOptions {
  /** The study's combined file, `aw_fb_data.csv`. */
  path: string;
  outDir: string;
  format?: TableFormat;
  /** Timestamp of the first Apple Watch minute of every participant (UTC). */
  start?: Date | string;
}

const REQUIRED_COLUMNS = ["X1", "age", "gender", "height", "weight", "steps", "hear_rate", "calories", "distance", "resting_heart", "device", "activity"];

/**
 * Converts the real Apple Watch / Fitbit study file into Larder's three wearable tables.
 *
 * The file has no participant id and no time. A participant is the dense rank of
 * (age, gender, height, weight), which matches the study's 49 people; `X1` orders a
 * participant's minutes and both devices share it, so the Apple Watch recording is laid out
 * from `start` and the Fitbit one from `start` + 1 day, each minute at `X1 - min(X1)`: every
 * (participant, minute) then has exactly one row, and dropped minutes stay gaps.
 */
export async function importAwFb(opts: ImportAwFbOptions): Promise<DatasetSummary> {
  const started = performance.now();
  const format = checkFormat(opts.format ?? "parquet");
  const startSeconds = parseStart(opts.start);
  try {
    await access(opts.path);
  } catch {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `File not found: ${opts.path}`, {
      hint: "Pass the path of aw_fb_data.csv, e.g. ../shared/datasets/aw_fb/aw_fb_data.csv.",
    });
  }
  const duck = await Duck.open();
  try {
    await duck.run(`CREATE TABLE raw AS SELECT * FROM read_csv(${quotedString(opts.path)}, header = true)`);
    const columns = new Set((await duck.all<{ column_name: string }>("DESCRIBE raw")).map((r) => r.column_name));
    const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
    if (missing.length > 0) {
      throw new LarderError("DATA_ERROR", `${opts.path} is not the aw_fb_data.csv file: missing column(s) ${missing.join(", ")}`, {
        hint: "Use the combined Apple Watch / Fitbit file (aw_fb_data.csv), not the per-device weka files.",
      });
    }
    const optional = (name: string, as = name): string => (columns.has(name) ? `${name}::DOUBLE AS ${as}` : `NULL::DOUBLE AS ${as}`);
    await duck.run(`
      CREATE TABLE events AS
      WITH ranked AS (
        SELECT dense_rank() OVER (ORDER BY age, gender, height, weight) AS participant_id, *
        FROM raw
      )
      SELECT
        participant_id::BIGINT AS participant_id,
        to_timestamp(${startSeconds}
          + 60 * (X1 - min(X1) OVER (PARTITION BY participant_id))
          + CASE WHEN device = 'fitbit' THEN 86400 ELSE 0 END) AS event_timestamp,
        age, gender, height, weight, device, activity, X1,
        steps::DOUBLE AS steps, hear_rate::DOUBLE AS heart_rate, calories::DOUBLE AS calories,
        distance::DOUBLE AS distance, resting_heart::DOUBLE AS resting_heart,
        ${optional("entropy_heart")}, ${optional("entropy_setps", "entropy_steps")},
        ${optional("corr_heart_steps")}, ${optional("norm_heart")}, ${optional("intensity_karvonen")},
        ${optional("sd_norm_heart")}, ${optional("steps_times_distance")}
      FROM ranked`);
    const collisions = await duck.all<{ n: bigint }>(
      "SELECT count(*) AS n FROM (SELECT participant_id, event_timestamp FROM events GROUP BY ALL HAVING count(*) > 1)",
    );
    if (Number(collisions[0]?.n ?? 0) > 0) {
      throw new LarderError("DATA_ERROR", `${opts.path}: two rows share a participant and minute`, {
        hint: "The file does not follow the study's X1 layout; check it against shared/datasets/README.md.",
      });
    }
    const files = await exportTables(duck, opts.outDir, format, [
      {
        // The real data has no sign-up time: the day before the recordings keeps profile rows
        // valid for every event. Resting heart rate differs per device; the Apple Watch value
        // (present for all 49 people) is the profile's.
        name: "participants",
        select: `SELECT participant_id, any_value(age)::BIGINT AS age, any_value(gender)::BIGINT AS gender,
                   any_value(height)::DOUBLE AS height, any_value(weight)::DOUBLE AS weight,
                   any_value(resting_heart) FILTER (WHERE device = 'apple watch') AS resting_heart,
                   'apple watch' AS device, to_timestamp(${startSeconds - 86400}) AS signup_timestamp
                 FROM events GROUP BY participant_id ORDER BY participant_id`,
      },
      {
        name: "wearable_events",
        select: `SELECT participant_id, event_timestamp, event_timestamp AS created, heart_rate, steps, calories, distance,
                   NULL::DOUBLE AS accel_x, NULL::DOUBLE AS accel_y, NULL::DOUBLE AS accel_z, device,
                   resting_heart, entropy_heart, entropy_steps, corr_heart_steps, norm_heart,
                   intensity_karvonen, sd_norm_heart, steps_times_distance
                 FROM events ORDER BY participant_id, event_timestamp`,
      },
      {
        name: "activity_labels",
        select: `SELECT participant_id, event_timestamp, activity FROM events ORDER BY participant_id, event_timestamp`,
      },
    ]);
    const counts = await duck.all<{ participants: bigint; events: bigint }>(
      "SELECT count(DISTINCT participant_id) AS participants, count(*) AS events FROM events",
    );
    const rows = {
      participants: Number(counts[0]!.participants),
      wearable_events: Number(counts[0]!.events),
      activity_labels: Number(counts[0]!.events),
    };
    return { outDir: opts.outDir, format, files, rows, elapsedMs: performance.now() - started };
  } finally {
    duck.close();
  }
}
