// Feature store (issue 4): get-historical, materialize, online reads in process and over HTTP, peak memory.
// Data: 1,000,000 feature rows over 10,000 entities and 100,000 entity rows, generated in DuckDB from a
// fixed seed; ttl 1 h. Every figure sits next to a reference measured in this run (and Feast's recorded
// figures where the issue gives them). Bounded: fixed repetitions and request counts, loopback only.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Duck } from "../src/core/duckdb.js";
import { quotedString } from "../src/core/sql.js";
import { FeatureStore, ONLINE_STORE_TYPES, serializeEntityKey } from "../src/featurestore/index.js";
import { postLoad, type LoadResult } from "./lib/loadClient.js";
import { machineInfo, median, printReport, type BenchRow } from "./lib/report.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const FEATURE_ROWS = 1_000_000;
const ENTITIES = 10_000;
const ENTITY_ROWS = 100_000;
const SEED = 0.42;
const STEP_SECONDS = 600; // one feature row per entity every 10 minutes
const START_EPOCH = 1_767_225_600; // 2026-01-01T00:00:00Z
const HISTORICAL_RUNS = 3;
const ONLINE_READS = 20_000;
const HTTP_WARMUP = 2_000;
/** Latency one request at a time, as Feast's recorded figures were taken at low request rates. */
const HTTP_LATENCY_REQUESTS = 20_000;
/** Throughput with requests queued on a few connections. */
const HTTP_THROUGHPUT_REQUESTS = 10_000;
const HTTP_THROUGHPUT_CONCURRENCY = 4;
/** `BENCH_ONLY=online` skips get-historical and the materialization reference while iterating on online reads. */
const ONLY_ONLINE = process.env.BENCH_ONLY === "online";

const FEATURES_TS = `import { Entity, FeatureView, Field, FileSource, Float64, Int64 } from "larder";
export const participant = new Entity({ name: "participant", joinKeys: ["participant_id"] });
export const hr = new FeatureView({
  name: "hr",
  entities: [participant],
  ttl: "1h",
  schema: [new Field({ name: "heart_rate", dtype: Float64 }), new Field({ name: "steps", dtype: Int64 })],
  source: new FileSource({ name: "hr_source", path: "data/features.parquet", timestampField: "event_timestamp", createdTimestampColumn: "created" }),
});
`;
const CONFIG = `project: bench
registry: data/registry.json
provider: local
offline_store:
  type: duckdb
online_store:
  type: lmdb
  path: data/online_store.lmdb
entity_key_serialization_version: 3
`;

let peakRss = process.memoryUsage().rss;
const baselineRss = peakRss;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sampleRss, 20);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  sampleRss();
  return { ms, value };
}

/** Deterministic rows: random() after setseed on one thread, so every run writes the same files. */
async function generate(dir: string): Promise<void> {
  const duck = await Duck.open(":memory:", { threads: 1 });
  try {
    const features = quotedString(join(dir, "data", "features.parquet"));
    const entities = quotedString(join(dir, "data", "entities.parquet"));
    await duck.run(`SELECT setseed(${SEED})`);
    await duck.run(`COPY (
        SELECT participant_id, event_timestamp, event_timestamp AS created, heart_rate, steps FROM (
          SELECT i % ${ENTITIES} AS participant_id,
            to_timestamp(${START_EPOCH} + ${STEP_SECONDS} * (i // ${ENTITIES}) + floor(random() * ${STEP_SECONDS})::BIGINT) AS event_timestamp,
            round(50 + 100 * random(), 1) AS heart_rate,
            floor(200 * random())::BIGINT AS steps
          FROM range(${FEATURE_ROWS}) t(i)))
      TO ${features} (FORMAT PARQUET)`);
    const spanSeconds = STEP_SECONDS * (FEATURE_ROWS / ENTITIES);
    await duck.run(`COPY (
        SELECT floor(random() * ${ENTITIES})::BIGINT AS participant_id,
          to_timestamp(${START_EPOCH} + floor(random() * ${spanSeconds})::BIGINT) AS event_timestamp,
          (random() < 0.5) AS label
        FROM range(${ENTITY_ROWS}) t(i))
      TO ${entities} (FORMAT PARQUET)`);
  } finally {
    duck.close();
  }
}

/** The reference: the point-in-time join written by hand (latest created wins a tie, ttl 1 h, input order). */
async function handWrittenAsof(dir: string, out: string): Promise<void> {
  const duck = await Duck.open();
  try {
    await duck.run(`COPY (
      WITH e AS (SELECT *, row_number() OVER () AS row_id FROM read_parquet(${quotedString(join(dir, "data", "entities.parquet"))})),
      f AS (
        SELECT participant_id, event_timestamp AS feature_ts, heart_rate, steps
        FROM read_parquet(${quotedString(join(dir, "data", "features.parquet"))})
        QUALIFY row_number() OVER (PARTITION BY participant_id, event_timestamp ORDER BY created DESC NULLS LAST) = 1)
      SELECT e.participant_id, e.event_timestamp, e.label,
        CASE WHEN f.feature_ts >= e.event_timestamp - INTERVAL 1 HOUR THEN f.heart_rate END AS heart_rate,
        CASE WHEN f.feature_ts >= e.event_timestamp - INTERVAL 1 HOUR THEN f.steps END AS steps
      FROM e ASOF LEFT JOIN f ON e.participant_id = f.participant_id AND e.event_timestamp >= f.feature_ts
      ORDER BY e.row_id) TO ${quotedString(out)} (FORMAT PARQUET)`);
  } finally {
    duck.close();
  }
}

/** The reference for materialization: DuckDB alone reading the latest row per entity from the same file. */
async function latestPerEntity(dir: string): Promise<void> {
  const duck = await Duck.open();
  try {
    await duck.all(`SELECT count(*) FROM (
      SELECT * FROM read_parquet(${quotedString(join(dir, "data", "features.parquet"))})
      QUALIFY row_number() OVER (PARTITION BY participant_id ORDER BY event_timestamp DESC, created DESC NULLS LAST) = 1)`);
  } finally {
    duck.close();
  }
}

async function historicalRows(store: FeatureStore, dir: string): Promise<BenchRow[]> {
  const larderRuns: number[] = [];
  const referenceRuns: number[] = [];
  for (let run = 0; run < HISTORICAL_RUNS; run++) {
    const out = join(dir, `training_${run}.parquet`);
    const larder = await timed(async () => {
      const job = await store.getHistoricalFeatures({ features: ["hr:heart_rate", "hr:steps"], entities: join(dir, "data", "entities.parquet") });
      try {
        await job.writeTo(out);
      } finally {
        await job.close();
      }
    });
    larderRuns.push(larder.ms);
    referenceRuns.push((await timed(() => handWrittenAsof(dir, join(dir, `reference_${run}.parquet`)))).ms);
  }
  const historical = median(larderRuns) / 1000;
  return [
    { name: `get-historical (median of ${HISTORICAL_RUNS})`, value: historical, unit: "s", reference: { name: "hand-written DuckDB ASOF", value: median(referenceRuns) / 1000 }, goal: "<= 1.3x" },
    { name: "get-historical", value: historical, unit: "s", reference: { name: "Feast 0.66 duckdb store, recorded", value: 1.9 } },
    { name: "get-historical", value: historical, unit: "s", reference: { name: "Feast 0.66 file store, recorded", value: 12 } },
  ];
}

/** Materializes every row (the online reads need them); the rows compare its rate unless BENCH_ONLY=online. */
async function materializeRows(store: FeatureStore, dir: string): Promise<BenchRow[]> {
  const end = new Date((START_EPOCH + STEP_SECONDS * (FEATURE_ROWS / ENTITIES + 1)) * 1000);
  const materialized = await timed(() => store.materialize(new Date(START_EPOCH * 1000), end));
  if (ONLY_ONLINE) return [];
  const keysWritten = materialized.value.views.reduce((n, v) => n + v.written, 0);
  const rate = FEATURE_ROWS / (materialized.ms / 1000);
  const reference = await timed(() => latestPerEntity(dir));
  return [
    { name: `materialize (${keysWritten} keys written)`, value: rate, unit: "rows/s", reference: { name: "DuckDB latest-per-key query alone", value: FEATURE_ROWS / (reference.ms / 1000) }, goal: ">= 1,000,000/s" },
    { name: "materialize", value: rate, unit: "rows/s", reference: { name: "Feast, recorded", value: 280_000 } },
  ];
}

function percentiles(micros: number[]): { p50: number; p99: number } {
  micros.sort((a, b) => a - b);
  return { p50: micros[Math.floor(micros.length * 0.5)]!, p99: micros[Math.floor(micros.length * 0.99)]! };
}

/** A seeded generator for which entities are read (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function onlineLatency(store: FeatureStore): Promise<{ larder: { p50: number; p99: number }; raw: { p50: number; p99: number } }> {
  const features = ["hr:heart_rate", "hr:steps"];
  const random = seededRandom(7);
  const ids = Array.from({ length: ONLINE_READS }, () => Math.floor(random() * ENTITIES));
  collectGarbage();
  for (let i = 0; i < 2000; i++) await store.getOnlineFeatures({ features, entityRows: { participant_id: [ids[i]!] } });
  const larder: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await store.getOnlineFeatures({ features, entityRows: { participant_id: [id] } });
    larder.push((performance.now() - t) * 1000);
  }
  // Reference: the online store's own read of one serialized key, without request resolution or response building.
  const view = (await store.listFeatureViews()).find((v) => v.name === "hr")!;
  const online = await ONLINE_STORE_TYPES[store.config.onlineStore.type]!.open(store.project, store.config.onlineStore);
  const raw: number[] = [];
  try {
    const dtypes = { participant_id: "Int64" };
    for (let i = 0; i < 2000; i++) await online.onlineRead(view, [serializeEntityKey({ participant_id: ids[i] }, dtypes)]);
    for (const id of ids) {
      const t = performance.now();
      await online.onlineRead(view, [serializeEntityKey({ participant_id: id }, dtypes)]);
      raw.push((performance.now() - t) * 1000);
    }
  } finally {
    await online.close();
  }
  sampleRss();
  return { larder: percentiles(larder), raw: percentiles(raw) };
}

function start(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      try {
        resolve({ url: (JSON.parse(out) as { url: string }).url, child });
      } catch {
        /* incomplete */
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

interface HttpFigures {
  latency: LoadResult;
  throughput: LoadResult;
}

/**
 * A full collection in this process before the latency figures: materializing 1M rows left garbage whose
 * collection would otherwise land in the middle of whatever is measured next (the reads' own garbage still counts).
 */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

async function httpLoad(dir: string): Promise<{ larder: HttpFigures; bare: HttpFigures } | undefined> {
  if (!existsSync(join(root, "dist", "cli", "commands", "fsServe.js"))) {
    console.error("bench/featurestore: dist has no `fs serve` (run npm run build); skipping the HTTP figures");
    return undefined;
  }
  const larder = await start(["bin/larder.js", "fs", "-c", dir, "serve", "-p", "0", "--json", "-q"]);
  const bare = await start(["--import", "tsx", "bench/lib/bareServer.ts"]);
  try {
    const body = JSON.stringify({ features: ["hr:heart_rate", "hr:steps"], entities: { participant_id: [1234] } });
    collectGarbage();
    const measure = async (url: string): Promise<HttpFigures> => {
      await postLoad(url, body, HTTP_WARMUP, 1);
      const latency = await postLoad(url, body, HTTP_LATENCY_REQUESTS, 1);
      const throughput = await postLoad(url, body, HTTP_THROUGHPUT_REQUESTS, HTTP_THROUGHPUT_CONCURRENCY);
      return { latency, throughput };
    };
    return { larder: await measure(`${larder.url}/get-online-features`), bare: await measure(bare.url) };
  } finally {
    larder.child.kill("SIGTERM");
    bare.child.kill("SIGTERM");
  }
}

const dir = await mkdtemp(join(tmpdir(), "larder-bench-fs-"));
try {
  await mkdir(join(dir, "data"), { recursive: true });
  await writeFile(join(dir, "feature_store.yaml"), CONFIG);
  await writeFile(join(dir, "features.ts"), FEATURES_TS);
  await generate(dir);
  const store = await FeatureStore.open(dir);
  const rows: BenchRow[] = [];
  try {
    await store.apply();

    if (!ONLY_ONLINE) rows.push(...(await historicalRows(store, dir)));
    rows.push(...(await materializeRows(store, dir)));

    const online = await onlineLatency(store);
    const sample = `over ${ONLINE_READS} reads`;
    rows.push(
      { name: `online read in process p50 (${sample})`, value: online.larder.p50, unit: "µs", reference: { name: "raw online-store read of one key", value: online.raw.p50 } },
      { name: `online read in process p99 (${sample})`, value: online.larder.p99, unit: "µs", reference: { name: "raw online-store read of one key", value: online.raw.p99 }, goal: "<= 50 µs" },
      { name: `online read in process p99 (${sample})`, value: online.larder.p99, unit: "µs", reference: { name: "Feast SDK, recorded", value: 800 } },
    );
  } finally {
    await store.close();
  }

  const http = await httpLoad(dir);
  if (http) {
    const { latency, throughput } = http.larder;
    const sample = `1 entity, 1 connection, p50/p99 over ${latency.requests}`;
    rows.push(
      { name: `HTTP /get-online-features p50 (${sample})`, value: latency.p50, unit: "ms", reference: { name: "bare node:http, fixed body", value: http.bare.latency.p50 } },
      { name: `HTTP /get-online-features p99 (${sample})`, value: latency.p99, unit: "ms", reference: { name: "bare node:http, fixed body", value: http.bare.latency.p99 }, goal: "<= 2 ms" },
      { name: `HTTP /get-online-features p99 (${sample})`, value: latency.p99, unit: "ms", reference: { name: "feast serve, recorded (4-5 ms)", value: 4.5 } },
      {
        name: `HTTP throughput (${HTTP_THROUGHPUT_CONCURRENCY} connections, ${throughput.requests} requests)`,
        value: throughput.requests / throughput.seconds,
        unit: "req/s",
        reference: { name: "bare node:http, fixed body", value: http.bare.throughput.requests / http.bare.throughput.seconds },
      },
    );
  }
  clearInterval(sampler);
  sampleRss();
  rows.push({ name: "peak RSS of this process", value: peakRss / 2 ** 20, unit: "MiB", reference: { name: "RSS at start", value: baselineRss / 2 ** 20 } });

  printReport({
    bench: `feature store (${FEATURE_ROWS} feature rows, ${ENTITIES} entities, ${ENTITY_ROWS} entity rows, ttl 1 h)`,
    machine: machineInfo(),
    rows,
  });
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
