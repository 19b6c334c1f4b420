import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ACTIVITIES, simulateWearable, type WearableTables } from "../../src/datagen/index.js";

function hashTables(t: WearableTables): string {
  const h = createHash("sha256");
  for (const table of [t.participants, t.events, t.labels]) {
    for (const value of Object.values(table)) {
      if (ArrayBuffer.isView(value)) h.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }
  }
  return h.digest("hex");
}

describe("simulateWearable", () => {
  const small = simulateWearable({ participants: 20, days: 2, seed: 42 });

  it("is deterministic for a seed and differs between seeds", () => {
    const again = simulateWearable({ participants: 20, days: 2, seed: 42 });
    expect(hashTables(again)).toBe(hashTables(small));
    expect(hashTables(simulateWearable({ participants: 20, days: 2, seed: 43 }))).not.toBe(hashTables(small));
  });

  it("has one label per participant-minute and events at minute resolution", () => {
    expect(small.labels.length).toBe(20 * 2 * 1440);
    const { events } = small;
    let offMinute = 0;
    let createdBeforeEvent = 0;
    for (let i = 0; i < events.length; i++) {
      if (events.eventTimestamp[i]! % 60 !== 0) offMinute++;
      if (events.created[i]! <= events.eventTimestamp[i]!) createdBeforeEvent++;
    }
    expect(events.length).toBeGreaterThan(0);
    expect({ offMinute, createdBeforeEvent }).toEqual({ offMinute: 0, createdBeforeEvent: 0 });
  });

  it("heart rate rises with intensity, from Lying to Running 7 METs", () => {
    const t = simulateWearable({ participants: 30, days: 2, seed: 7 });
    const activityAt = new Map<string, number>();
    for (let i = 0; i < t.labels.length; i++) activityAt.set(`${t.labels.participantId[i]}:${t.labels.eventTimestamp[i]}`, t.labels.activity[i]!);
    const sum = new Float64Array(ACTIVITIES.length);
    const count = new Float64Array(ACTIVITIES.length);
    for (let i = 0; i < t.events.length; i++) {
      const a = activityAt.get(`${t.events.participantId[i]}:${t.events.eventTimestamp[i]}`)!;
      sum[a]! += t.events.heartRate[i]!;
      count[a]! += 1;
    }
    const mean = (name: string) => sum[ACTIVITIES.indexOf(name as never)]! / count[ACTIVITIES.indexOf(name as never)]!;
    const ordered = ["Lying", "Self Pace walk", "Running 3 METs", "Running 5 METs", "Running 7 METs"].map(mean);
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!).toBeGreaterThan(ordered[i - 1]!);
    expect(mean("Running 7 METs") - mean("Lying")).toBeGreaterThan(40);
    expect(mean("Sitting")).toBeGreaterThan(mean("Lying"));
  });

  it("contains exact duplicates, late corrections and gaps", () => {
    const { events, quirks } = small;
    expect(quirks.duplicates).toBeGreaterThan(0);
    expect(quirks.corrections).toBeGreaterThan(0);
    expect(quirks.gapMinutes).toBeGreaterThan(0);
    let duplicates = 0;
    let corrections = 0;
    for (let i = 1; i < events.length; i++) {
      const sameKey = events.participantId[i] === events.participantId[i - 1] && events.eventTimestamp[i] === events.eventTimestamp[i - 1];
      if (!sameKey) continue;
      if (events.created[i] === events.created[i - 1] && events.heartRate[i] === events.heartRate[i - 1]) duplicates++;
      else if (events.created[i]! > events.created[i - 1]! && events.heartRate[i] !== events.heartRate[i - 1]) corrections++;
    }
    expect(duplicates).toBe(quirks.duplicates);
    expect(corrections).toBe(quirks.corrections);
    // Gaps: fewer distinct event minutes than label minutes.
    expect(events.length - duplicates - corrections).toBe(small.labels.length - quirks.gapMinutes);
  });

  it("rejects impossible options with a clear error", () => {
    expect(() => simulateWearable({ participants: 0, days: 1, seed: 1 })).toThrow(/--participants must be an integer from 1/);
    expect(() => simulateWearable({ participants: 1, days: 1.5, seed: 1 })).toThrow(/--days/);
    expect(() => simulateWearable({ participants: 1, days: 1, seed: 1, start: "yesterday-ish" })).toThrow(/Invalid start time/);
  });
});
