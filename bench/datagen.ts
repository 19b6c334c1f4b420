// Wearable generator throughput: rows per second for about 1,000,000 events, written as Parquet,
// next to DuckDB generating and writing the same number of random rows in pure SQL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duck } from "../src/core/duckdb.js";
import { generateWearable, simulateWearable } from "../src/datagen/index.js";
import { machineInfo, printReport } from "./lib/report.js";

const dir = await mkdtemp(join(tmpdir(), "larder-bench-"));
try {
  const opts = { participants: 100, days: 7, seed: 42 };
  let t = performance.now();
  const sim = simulateWearable(opts);
  const simMs = performance.now() - t;
  const summary = await generateWearable({ ...opts, outDir: join(dir, "gen"), format: "parquet" });
  const events = summary.rows.wearable_events!;

  // Reference: DuckDB alone producing and writing as many 10-column rows.
  const duck = await Duck.open(":memory:", { threads: 1 });
  t = performance.now();
  await duck.run(`COPY (SELECT i // 10000 AS participant_id, to_timestamp(1736121600 + 60 * i) AS event_timestamp,
      to_timestamp(1736121620 + 60 * i) AS created, 60 + 40 * random() AS heart_rate, round(150 * random()) AS steps,
      random() AS calories, random() AS distance, random() AS accel_x, random() AS accel_y, random() AS accel_z
    FROM range(${events}) t(i)) TO '${join(dir, "ref.parquet")}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
  const refMs = performance.now() - t;
  duck.close();

  printReport({
    bench: `datagen wearable (${opts.participants} participants x ${opts.days} days = ${events} events)`,
    machine: machineInfo(),
    rows: [
      { name: "generate + write parquet", value: summary.elapsedMs, unit: "ms", reference: { name: "DuckDB SQL random rows", value: refMs }, goal: "< 5000 ms per 1M" },
      { name: "events per second", value: events / (summary.elapsedMs / 1000), unit: "rows/s", reference: { name: "DuckDB SQL random rows", value: events / (refMs / 1000) } },
      { name: "simulation only (JS)", value: simMs, unit: "ms" },
    ],
  });
  void sim;
} finally {
  await rm(dir, { recursive: true, force: true });
}
