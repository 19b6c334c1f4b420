import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Entity } from "../../src/featurestore/definitions/Entity.js";
import { Field } from "../../src/featurestore/definitions/Field.js";
import { FeatureView, type AggregationOptions } from "../../src/featurestore/definitions/FeatureView.js";
import { FileSource } from "../../src/featurestore/definitions/FileSource.js";
import { Float64, Int64, String as StringType } from "../../src/featurestore/definitions/dtypes.js";
import { resolveRepo } from "../../src/featurestore/definitions/resolveRepo.js";
import { selectFeatures } from "../../src/featurestore/featureRefs.js";
import { DuckDBOfflineStore } from "../../src/featurestore/offline/DuckDBOfflineStore.js";
import { naiveAggregations, naiveLatestRows, naivePointInTimeJoin } from "./oracles/naivePointInTimeJoin.js";
import { withTempDir } from "./helpers/paths.js";
import { BASE_MICROS, writeRandomCase, type RandomCase } from "./helpers/randomCase.js";

const SEEDS = Array.from({ length: 25 }, (_, i) => 1000 + i);

function views(c: RandomCase, aggregations: AggregationOptions[] = []) {
  const participant = new Entity({ name: "participant", joinKeys: ["participant_id"] });
  const device = new Entity({ name: "device" });
  const heart = new FeatureView({
    name: "heart",
    entities: [participant],
    ttl: c.participantTtlSeconds,
    schema: [new Field({ name: "heart_rate", dtype: Float64 }), new Field({ name: "steps", dtype: Int64 })],
    source: new FileSource({ name: "heart_src", path: "participant.csv", timestampField: "event_timestamp", createdTimestampColumn: "created" }),
    aggregations,
  });
  const battery = new FeatureView({
    name: "battery",
    entities: [device],
    ttl: c.deviceTtlSeconds,
    schema: [new Field({ name: "device", dtype: StringType }), new Field({ name: "battery", dtype: Float64 })],
    source: new FileSource({ name: "battery_src", path: "device.parquet", timestampField: "ts" }),
  });
  return resolveRepo([heart, battery], "random case").specs;
}

describe("DuckDB point-in-time join against the naive oracle (seeded random cases)", () => {
  it.each(SEEDS)("seed %i: every entity row gets the oracle's values, in input order", async (seed) => {
    await withTempDir(async (dir) => {
      const c = await writeRandomCase(dir, seed, { bigSteps: true });
      const specs = views(c);
      const selection = selectFeatures(specs, ["heart:heart_rate", "battery:battery", "heart:steps"], true, "p");
      const job = await new DuckDBOfflineStore(dir).getHistoricalFeatures({
        entities: join(dir, "entities.csv"),
        selection,
        transforms: new Map(),
      });
      try {
        expect(job.columnNames).toEqual(["row_no", "participant_id", "device", "event_timestamp", "label", "heart__heart_rate", "battery__battery", "heart__steps"]);
        const rows = await job.toRows();
        const heart = naivePointInTimeJoin(c.entities, c.participant);
        const battery = naivePointInTimeJoin(c.entities, c.device);
        expect(rows.map((r) => r.row_no)).toEqual(c.entities.map((e) => BigInt(e.rowNo)));
        let ambiguous = 0;
        rows.forEach((row, i) => {
          const heartChoices = heart[i]!.map((v) => ({ heart__heart_rate: v.heart_rate, heart__steps: v.steps }));
          const batteryChoices = battery[i]!.map((v) => ({ battery__battery: v.battery }));
          if (heartChoices.length > 1 || batteryChoices.length > 1) ambiguous++;
          expect(heartChoices, `row ${i}`).toContainEqual({ heart__heart_rate: row.heart__heart_rate, heart__steps: row.heart__steps });
          expect(batteryChoices, `row ${i}`).toContainEqual({ battery__battery: row.battery__battery });
        });
        // Most rows must have a single right answer, and some must find values, or the case proves little.
        expect(ambiguous).toBeLessThan(rows.length / 2);
        expect(heart.filter((choices) => choices.length === 1 && choices[0]!.heart_rate !== null).length).toBeGreaterThan(0);
      } finally {
        await job.close();
      }
    });
  });

  it.each(SEEDS.slice(0, 12))("seed %i: windowed aggregations equal a naive loop", async (seed) => {
    await withTempDir(async (dir) => {
      const c = await writeRandomCase(dir, seed);
      const aggregations: AggregationOptions[] = [
        { column: "heart_rate", function: "mean", timeWindow: "5m" },
        { column: "heart_rate", function: "std", timeWindow: "15m" },
        { column: "heart_rate", function: "min", timeWindow: "2m" },
        { column: "heart_rate", function: "max", timeWindow: 60 },
        { column: "steps", function: "sum", timeWindow: "10m" },
        { column: "heart_rate", function: "count", timeWindow: "5m" },
      ];
      const specs = views(c, aggregations);
      const names = specs.featureViews.find((v) => v.name === "heart")!.aggregations.map((a) => a.name);
      expect(names).toEqual(["mean_heart_rate_300s", "std_heart_rate_900s", "min_heart_rate_120s", "max_heart_rate_60s", "sum_steps_600s", "count_heart_rate_300s"]);
      const selection = selectFeatures(specs, names.map((n) => `heart:${n}`), false, "p");
      const job = await new DuckDBOfflineStore(dir).getHistoricalFeatures({ entities: join(dir, "entities.csv"), selection, transforms: new Map() });
      try {
        const rows = await job.toRows();
        const view = {
          ...c.participant,
          aggregations: specs.featureViews.find((v) => v.name === "heart")!.aggregations.map((a) => ({
            name: a.name,
            column: a.column,
            fn: a.function,
            windowMicros: BigInt(a.timeWindowSeconds) * 1_000_000n,
          })),
        };
        const expected = naiveAggregations(c.entities, view);
        expect(rows).toHaveLength(expected.length);
        let nonEmpty = 0;
        rows.forEach((row, i) => {
          for (const name of names) {
            const want = expected[i]![name];
            const got = row[name] === null ? null : Number(row[name]);
            if (want === null) expect(got, `${name} row ${i}`).toBeNull();
            else {
              expect(got, `${name} row ${i}`).not.toBeNull();
              expect(got!).toBeCloseTo(want, 9);
              if (name.startsWith("count") && want > 0) nonEmpty++;
            }
          }
        });
        expect(nonEmpty).toBeGreaterThan(0);
      } finally {
        await job.close();
      }
    });
  });

  it("materialization's latest row per key equals the naive rule, ties on event time included (25 seeds)", async () => {
    let contested = 0;
    for (const seed of SEEDS) {
      await withTempDir(async (dir) => {
        const c = await writeRandomCase(dir, seed, { bigSteps: true });
        const view = views(c).featureViews.find((v) => v.name === "heart")!;
        // Window edges on the minute grid, so rows exactly at start and end (±1 µs) occur.
        const start = BASE_MICROS + 5n * 60_000_000n;
        const end = BASE_MICROS + 15n * 60_000_000n;
        const latest = await new DuckDBOfflineStore(dir).pullLatest(view, Number(start), Number(end));
        const expected = naiveLatestRows(c.participant, start, end);
        expect(latest.rowCount, `seed ${seed}`).toBe(expected.size);
        for (let i = 0; i < latest.rowCount; i++) {
          const id = latest.columns.participant_id![i];
          const row = expected.get(String(id))!;
          expect(row, `seed ${seed} participant ${id}`).toBeDefined();
          const rivals = c.participant.rows.filter((r) => r !== row && r.ts === row.ts && r.keys.participant_id === row.keys.participant_id);
          if (rivals.length > 0) contested++;
          expect(BigInt(latest.eventTimestamps[i]!)).toBe(row.ts);
          expect(latest.createdTimestamps[i] === null ? null : BigInt(latest.createdTimestamps[i]!)).toBe(row.created);
          expect([latest.columns.heart_rate![i], latest.columns.steps![i]], `seed ${seed} participant ${id}`).toEqual([row.values.heart_rate, row.values.steps]);
        }
      });
    }
    // The tie-break must have been exercised, or this test would prove little about it.
    expect(contested).toBeGreaterThan(3);
  });
});
