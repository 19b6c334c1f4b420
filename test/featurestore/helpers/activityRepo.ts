import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Duck } from "../../../src/core/duckdb.js";
import { quotedString } from "../../../src/core/sql.js";
import { FEATURE_STORE_YAML } from "../../../src/project/templates.js";

/** 2026-03-01T12:00:00Z; every fixture time is relative to it. */
export const BASE = Date.parse("2026-03-01T12:00:00Z");
export const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();

// The same configuration `larder init` writes.
export { FEATURE_STORE_YAML };

export const FEATURES_TS = `import {
  Entity, FeatureView, Field, FileSource, Float64, Int64, String, OnDemandFeatureView, FeatureService,
} from "larder";
import { minutes } from "./helpers/durations";

export const participant = new Entity({ name: "participant", joinKeys: ["participant_id"], description: "A study participant" });

const heartSource = new FileSource({
  name: "heart_source",
  path: "data/heart.parquet",
  timestampField: "event_timestamp",
  createdTimestampColumn: "created",
});

export const heartStats = new FeatureView({
  name: "heart_stats",
  entities: [participant],
  ttl: "1h",
  schema: [new Field({ name: "heart_rate", dtype: Float64 }), new Field({ name: "steps", dtype: Int64 })],
  source: heartSource,
  aggregations: [
    { column: "heart_rate", function: "mean", timeWindow: minutes(30) },
    { column: "steps", function: "sum", timeWindow: "1h" },
  ],
  tags: { team: "wearables" },
});

export const profile = new FeatureView({
  name: "profile",
  entities: ["participant"],
  ttl: 0,
  schema: [new Field({ name: "age", dtype: Int64 }), new Field({ name: "gender", dtype: String })],
  source: new FileSource({ name: "profile_source", path: "data/profile.csv", timestampField: "updated_at" }),
});

export const hrTimesSteps = new OnDemandFeatureView({
  name: "hr_x_steps",
  sources: [heartStats.select(["heart_rate", "steps"])],
  schema: [new Field({ name: "hr_times_steps", dtype: Float64 })],
  transform: (inputs) => ({
    hr_times_steps: inputs.heart_rate.map((hr, i) => {
      const steps = inputs.heart_stats__steps[i];
      return hr == null || steps == null ? null : (hr as number) * (steps as number);
    }),
  }),
});

export const activityModel = new FeatureService({
  name: "activity_model_v1",
  features: [heartStats.select(["heart_rate", "mean_heart_rate_1800s"]), profile, hrTimesSteps],
});
`;

/** Rows of data/heart.parquet: (participant_id, minutes from BASE, created minutes or null, heart_rate, steps). */
export const HEART_ROWS: [number, number, number | null, number | null, number | null][] = [
  [1, -50, -50, 60, 100],
  [1, -30, -30, 70, 200],
  [1, -10, -9, 80, 300],
  [1, -10, -10, 79, 299], // loses the tie on created
  [1, 10, 10, 90, 400], // after BASE
  [2, -20, null, 55.5, 10],
  [2, -20, -19, 56.5, 11], // a non-null created beats a null one
  [3, -180, -180, 99, 9], // older than the 1 h ttl at BASE
];

export async function writeActivityRepo(dir: string, featuresTs = FEATURES_TS): Promise<void> {
  await mkdir(join(dir, "data"), { recursive: true });
  await mkdir(join(dir, "helpers"), { recursive: true });
  await writeFile(join(dir, "feature_store.yaml"), FEATURE_STORE_YAML);
  await writeFile(join(dir, "features.ts"), featuresTs);
  await writeFile(join(dir, "helpers", "durations.ts"), "export const minutes = (n: number): string => `${n}m`;\n");
  await writeFile(
    join(dir, "data", "profile.csv"),
    ["participant_id,updated_at,age,gender", `1,${at(-60 * 24 * 30)},34,f`, `2,${at(-60 * 24 * 30)},51,m`, `1,${at(-60 * 24)},35,f`].join("\n") + "\n",
  );
  const values = HEART_ROWS.map(
    ([id, ts, created, hr, steps]) =>
      `(${id}, TIMESTAMPTZ '${at(ts)}', ${created === null ? "NULL" : `TIMESTAMPTZ '${at(created)}'`}, ${hr ?? "NULL"}, ${steps ?? "NULL"})`,
  );
  await Duck.with(async (duck) => {
    await duck.run(
      `COPY (SELECT participant_id::BIGINT AS participant_id, event_timestamp, created, heart_rate::DOUBLE AS heart_rate, steps::BIGINT AS steps
        FROM (VALUES ${values.join(", ")}) t(participant_id, event_timestamp, created, heart_rate, steps))
       TO ${quotedString(join(dir, "data", "heart.parquet"))} (FORMAT PARQUET)`,
    );
  });
}
