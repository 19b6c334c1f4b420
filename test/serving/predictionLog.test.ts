import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck } from "../../src/core/duckdb.js";
import { PredictionLog, predictionLogSql, type PredictionRecord } from "../../src/serving/index.js";
import { tempDir } from "../helpers/paths.js";

function record(i: number, variant = "champion"): PredictionRecord {
  return {
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    request_id: `r${i}`,
    endpoint: "invocations",
    variant,
    model_uri: "models:/activity/Production",
    model_version: 3,
    latency_ms: 1.5 + i,
    status: 200,
    entity_key: i % 2 ? `participant_id=${i}` : null,
    inputs: { columns: ["a"], data: [[i]] },
    outputs: [[0.25, 0.75]],
  };
}

async function readAll(dir: string): Promise<Array<Record<string, unknown>>> {
  const sql = await predictionLogSql(dir);
  if (sql === null) return [];
  return Duck.with((duck) => duck.all(`SELECT * FROM ${sql} ORDER BY request_id`));
}

describe("prediction log", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("loses nothing on a clean close: every record ends up in Parquet", async () => {
    const logDir = join(dir, "clean");
    const log = await PredictionLog.open(logDir, { flushIntervalMs: 10 });
    for (let i = 0; i < 250; i++) log.append(record(i, i % 10 === 0 ? "challenger" : "champion"));
    await log.close();
    const files = await readdir(logDir);
    expect(files.filter((f) => f.endsWith(".jsonl"))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".parquet"))).toHaveLength(1);
    const rows = await readAll(logDir);
    expect(rows).toHaveLength(250);
    const r7 = rows.find((r) => r.request_id === "r7")!;
    expect(r7).toMatchObject({ variant: "champion", model_version: 3n, status: 200, entity_key: "participant_id=7", latency_ms: 8.5 });
    expect(JSON.parse(r7.inputs as string)).toEqual({ columns: ["a"], data: [[7]] });
    expect((r7.timestamp as Date).toISOString()).toBe("2026-01-01T00:00:07.000Z");
    expect(rows.filter((r) => r.variant === "challenger")).toHaveLength(25);
  });

  it("keeps flushed records readable before rotation (as after a crash) and rotates by size", async () => {
    const logDir = join(dir, "crash");
    const log = await PredictionLog.open(logDir, { flushIntervalMs: 60_000, rotateBytes: 2000 });
    for (let i = 0; i < 5; i++) log.append(record(i));
    await log.flush();
    expect((await readdir(logDir)).some((f) => f.endsWith(".jsonl"))).toBe(true);
    expect(await readAll(logDir)).toHaveLength(5);
    for (let i = 5; i < 40; i++) log.append(record(i));
    await log.flush();
    expect((await readdir(logDir)).some((f) => f.endsWith(".parquet"))).toBe(true);
    for (let i = 40; i < 45; i++) log.append(record(i));
    await log.flush();
    const mixed = await readAll(logDir);
    expect(mixed.map((r) => r.request_id)).toHaveLength(45);
    await log.close();
    expect(await readAll(logDir)).toHaveLength(45);
  });

  it("reads an empty or missing folder as no records", async () => {
    expect(await predictionLogSql(join(dir, "nothing-here"))).toBeNull();
  });
});
