/** Files of the activity example project that `larder init` writes. */

export const FEATURE_STORE_YAML = `# Feast-compatible feature repository configuration (paths are relative to this folder).
project: activity
registry: data/registry.json
provider: local
offline_store:
  type: duckdb
online_store:
  type: lmdb
  path: data/online_store.lmdb
entity_key_serialization_version: 3
`;

export const FEATURES_TS = `// Feature definitions for the wearable activity classifier, as code (Feast's concepts).
import {
  Entity,
  FeatureService,
  FeatureView,
  Field,
  FileSource,
  Float64,
  Int64,
  OnDemandFeatureView,
} from "larder";

export const participant = new Entity({
  name: "participant",
  joinKeys: ["participant_id"],
  description: "A person wearing an Apple Watch or a Fitbit",
});

const wearableEvents = new FileSource({
  name: "wearable_events",
  path: "../data/wearable_events.parquet",
  timestampField: "event_timestamp",
  createdTimestampColumn: "created",
});

const participants = new FileSource({
  name: "participants",
  path: "../data/participants.parquet",
  timestampField: "signup_timestamp",
});

/** The latest minute of sensor readings. */
export const wearableLatest = new FeatureView({
  name: "wearable_latest",
  entities: [participant],
  ttl: "5m",
  source: wearableEvents,
  schema: [
    new Field({ name: "heart_rate", dtype: Float64 }),
    new Field({ name: "steps", dtype: Float64 }),
    new Field({ name: "calories", dtype: Float64 }),
    new Field({ name: "accel_x", dtype: Float64 }),
    new Field({ name: "accel_y", dtype: Float64 }),
    new Field({ name: "accel_z", dtype: Float64 }),
  ],
});

/** Rolling heart-rate statistics and activity sums over the last 5 and 15 minutes. */
export const heartRateStats = new FeatureView({
  name: "heart_rate_stats",
  entities: [participant],
  ttl: "15m",
  source: wearableEvents,
  schema: [],
  aggregations: [
    { column: "heart_rate", function: "mean", timeWindow: "5m" },
    { column: "heart_rate", function: "std", timeWindow: "5m" },
    { column: "heart_rate", function: "mean", timeWindow: "15m" },
    { column: "heart_rate", function: "std", timeWindow: "15m" },
    { column: "steps", function: "sum", timeWindow: "5m" },
    { column: "steps", function: "sum", timeWindow: "15m" },
    { column: "calories", function: "sum", timeWindow: "5m" },
    { column: "calories", function: "sum", timeWindow: "15m" },
  ],
});

/** Who the participant is: valid for as long as the profile exists (ttl 0 = unbounded). */
export const participantProfile = new FeatureView({
  name: "participant_profile",
  entities: [participant],
  ttl: 0,
  source: participants,
  schema: [
    new Field({ name: "age", dtype: Int64 }),
    new Field({ name: "gender", dtype: Int64 }),
    new Field({ name: "height", dtype: Float64 }),
    new Field({ name: "weight", dtype: Float64 }),
    new Field({ name: "resting_heart", dtype: Float64 }),
  ],
});

/** Exertion proxy: acceleration magnitude times heart rate, computed at retrieval and online. */
export const exertion = new OnDemandFeatureView({
  name: "exertion",
  sources: [wearableLatest],
  schema: [new Field({ name: "accel_magnitude_x_hr", dtype: Float64 })],
  transform: (cols) => ({
    accel_magnitude_x_hr: cols.heart_rate.map((hr, i) => {
      const x = cols.accel_x[i];
      const y = cols.accel_y[i];
      const z = cols.accel_z[i];
      if (hr == null || x == null || y == null || z == null) return null;
      return Math.sqrt(x * x + y * y + z * z) * hr;
    }),
  }),
});

export const activityModelV1 = new FeatureService({
  name: "activity_model_v1",
  features: [wearableLatest, heartRateStats, participantProfile, exertion],
});
`;

export function projectReadme(options: { participants: number; days: number; seed: number }): string {
  return `# Activity classifier: a Larder project

Made by \`larder init\`: synthetic wearable data for ${options.participants} participants over
${options.days} days (seed ${options.seed}) in \`data/\`, and a feature repository in \`feature_repo/\`
(\`feature_store.yaml\` and the definitions in \`features.ts\`).

Next steps, from this folder:

\`\`\`bash
larder fs -c feature_repo plan                 # what apply would change
larder fs -c feature_repo apply                # register entities, feature views and services
larder fs -c feature_repo materialize-incremental 2025-01-13T00:00:00Z
larder fs -c feature_repo get-historical --entities data/activity_labels.parquet \\
  --feature-service activity_model_v1 -o data/training_set.parquet
larder track run --experiment activity --name feast-features \\
  --train data/training_set.parquet --label activity
\`\`\`

Regenerate the data with \`larder datagen wearable -o data --participants N --days D --seed S\`,
or use the real study with \`larder datagen import-aw-fb PATH/aw_fb_data.csv -o data\`.
`;
}

export const PROJECT_GITIGNORE = `feature_repo/data/
mlruns/
`;
