import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Duck } from "../../../src/core/duckdb.js";
import { quotedString } from "../../../src/core/sql.js";
import type { NaiveEntityRow, NaiveSourceRow, NaiveView } from "../oracles/naivePointInTimeJoin.js";
import { integerBetween, pick, seededRandom } from "./seededRandom.js";
import { formatMicros } from "./timestamps.js";

export const BASE_MICROS = 1_772_366_400_000_000n; // 2026-03-01T12:00:00Z
const MINUTE = 60_000_000n;
const OFFSETS = [0, 330, -300];

export interface RandomCase {
  dir: string;
  participantTtlSeconds: number;
  deviceTtlSeconds: number;
  /** heart_rate / steps by participant_id, zoned CSV with a created column. */
  participant: NaiveView;
  /** battery by device, naive timestamps, Parquet, no created column. */
  device: NaiveView;
  entities: (NaiveEntityRow & { rowNo: number })[];
}

/**
 * Writes a random but reproducible case: timestamps on a minute grid nudged by ±1 µs so that equal
 * timestamps, equal and null `created`, and TTL edges to the microsecond occur often; duplicate entity
 * rows; keys without rows; zoned and naive timestamps.
 */
export async function writeRandomCase(dir: string, seed: number, options: { bigSteps?: boolean } = {}): Promise<RandomCase> {
  const random = seededRandom(seed);
  const participantTtlSeconds = pick(random, [300, 300, 0]);
  const deviceTtlSeconds = pick(random, [600, 0]);
  const nudge = () => BigInt(pick(random, [0, 0, 0, 1, -1]));
  const gridTime = (minutes: number) => BASE_MICROS + BigInt(integerBetween(random, 0, minutes)) * MINUTE + nudge();

  const participantRows: NaiveSourceRow[] = [];
  const lines = ["participant_id,event_timestamp,created,heart_rate,steps"];
  for (let i = 0; i < integerBetween(random, 20, 120); i++) {
    const id = integerBetween(random, 1, 6);
    const ts = gridTime(20);
    const created = random() < 0.2 ? null : ts + BigInt(pick(random, [0, 1, 2, 2, 60])) * 1_000_000n;
    const heart = random() < 0.15 ? null : Math.round(random() * 10000) / 100;
    const steps = random() < 0.15 ? null : options.bigSteps && random() < 0.2 ? 2n ** 53n + BigInt(integerBetween(random, 1, 9)) : BigInt(integerBetween(random, 0, 500));
    participantRows.push({ keys: { participant_id: id }, ts, created, values: { heart_rate: heart, steps } });
    lines.push(
      [id, formatMicros(ts, pick(random, OFFSETS)), created === null ? "" : formatMicros(created, pick(random, OFFSETS)), heart ?? "", steps ?? ""].join(","),
    );
  }
  await writeFile(join(dir, "participant.csv"), `${lines.join("\n")}\n`);

  const deviceRows: NaiveSourceRow[] = [];
  const deviceLines = ["device,ts,battery"];
  for (let i = 0; i < integerBetween(random, 10, 60); i++) {
    const device = pick(random, ["a", "b", "c"]);
    const ts = gridTime(20);
    const battery = random() < 0.1 ? null : integerBetween(random, 0, 100) / 4;
    deviceRows.push({ keys: { device }, ts, created: null, values: { battery } });
    deviceLines.push([device, formatMicros(ts, 0, true), battery ?? ""].join(","));
  }
  await writeFile(join(dir, "device.csv"), `${deviceLines.join("\n")}\n`);
  await Duck.with(async (duck) => {
    await duck.run(
      `COPY (SELECT device, CAST(ts AS TIMESTAMP) AS ts, CAST(battery AS DOUBLE) AS battery FROM read_csv(${quotedString(join(dir, "device.csv"))}, all_varchar = true)) TO ${quotedString(join(dir, "device.parquet"))} (FORMAT PARQUET)`,
    );
  });

  const entities: RandomCase["entities"] = [];
  const entityLines = ["row_no,participant_id,device,event_timestamp,label"];
  for (let i = 0; i < integerBetween(random, 20, 80); i++) {
    const previous = entities[entities.length - 1];
    const duplicate = previous !== undefined && random() < 0.15;
    const participant = duplicate ? previous.keys.participant_id : integerBetween(random, 1, 7); // 7 has no rows
    const device = duplicate ? previous.keys.device : pick(random, ["a", "b", "c", "zz"]);
    const ts = duplicate ? previous.ts : gridTime(25);
    entities.push({ rowNo: i, keys: { participant_id: participant, device }, ts });
    // Naive (UTC) and zoned timestamps mixed in one column.
    const stamp = random() < 0.3 ? formatMicros(ts, 0, true) : formatMicros(ts, pick(random, OFFSETS));
    entityLines.push([i, participant, device, stamp, random() < 0.5 ? 1 : 0].join(","));
  }
  await writeFile(join(dir, "entities.csv"), `${entityLines.join("\n")}\n`);

  return {
    dir,
    participantTtlSeconds,
    deviceTtlSeconds,
    participant: {
      joinKeys: ["participant_id"],
      ttlMicros: BigInt(participantTtlSeconds) * 1_000_000n,
      features: ["heart_rate", "steps"],
      aggregations: [],
      rows: participantRows,
    },
    device: {
      joinKeys: ["device"],
      ttlMicros: BigInt(deviceTtlSeconds) * 1_000_000n,
      features: ["battery"],
      aggregations: [],
      rows: deviceRows,
    },
    entities,
  };
}
