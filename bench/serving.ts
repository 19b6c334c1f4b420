// Serving figures next to a bare node:http server doing only HTTP and JSON (the floor), each server
// in its own process, loaded from this one over loopback, bounded in requests:
// /invocations and /predict latency at 1 connection (p99 over 20,000 requests after a warm-up),
// throughput at 1 and 32 connections, --workers 2 at 32 connections next to a 2-worker bare
// cluster (and wrk's figures when wrk is installed), and batch `larder predict`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appendColumns } from "../src/core/appendColumns.js";
import { Duck } from "../src/core/duckdb.js";
import { SeededRandom } from "../src/core/random.js";
import { FeatureStore } from "../src/featurestore/index.js";
import { train } from "../src/gbdt/index.js";
import { LoadedModel, predictFile, trainRun } from "../src/models/index.js";
import { getModelRegistry } from "../src/registry/index.js";
import { initProject } from "../src/project/index.js";
import { postLoad, type LoadResult } from "./lib/loadClient.js";
import { machineInfo, median, printReport, type BenchRow } from "./lib/report.js";
import { wrkInstalled, wrkPost } from "./lib/wrk.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRK_SECONDS = 5;
const work = await mkdtemp(join(tmpdir(), "larder-bench-serving-"));
const children: ChildProcess[] = [];

function start(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      try {
        resolve((JSON.parse(out) as { url: string }).url);
      } catch {
        /* incomplete */
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function latency(url: string, body: string): Promise<LoadResult> {
  await postLoad(url, body, 2000, 1);
  return postLoad(url, body, REQUESTS, 1);
}

const rows: BenchRow[] = [];
try {
  // A project with a model trained from the feature service, registered as Production.
  const project = join(work, "activity");
  await initProject({ dir: project, participants: 20, days: 1, seed: 5 });
  const store = await FeatureStore.open(join(project, "feature_repo"));
  await store.apply();
  await store.materialize("2024-01-01T00:00:00Z", "2025-01-08T00:00:00Z");
  await store.close();
  const trackingUri = join(project, "mlruns");
  const run = await trainRun({
    trackingUri, experiment: "bench", train: "", label: "activity", params: { num_iterations: 100 },
    featureService: { name: "activity_model_v1", repoDir: join(project, "feature_repo"), entities: join(project, "data/activity_labels.parquet") },
  });
  await getModelRegistry(trackingUri).registerModel(run.modelUri, "activity");
  await getModelRegistry(trackingUri).transitionModelVersionStage("activity", 1, "Production");
  const env = { ...process.env, MLFLOW_TRACKING_URI: trackingUri };
  const serveArgs = ["bin/larder.js", "serve", "-m", "models:/activity/Production", "-p", "0", "--feature-repo", join(project, "feature_repo"), "--json", "-q"];
  const larder = await start(serveArgs, env);
  const bare = await start(["--import", "tsx", "bench/lib/bareServer.ts"]);

  const features = (await import("../src/models/index.js")).loadModelUri;
  const model = await features(run.modelUri, { trackingUri });
  const invocation = JSON.stringify({ dataframe_records: [Object.fromEntries(model.featureNames.map((f) => [f, 1]))] });
  const predictBody = JSON.stringify({ entities: { participant_id: [3] } });

  const inv = await latency(`${larder}/invocations`, invocation);
  const floor = await latency(`${bare}/invocations`, invocation);
  const pred = await latency(`${larder}/predict`, predictBody);
  const at = (r: LoadResult) => `p99 over ${r.requests}`;
  rows.push(
    { name: `/invocations 1 row, p50`, value: inv.p50, unit: "ms", reference: { name: "bare node:http", value: floor.p50 } },
    { name: `/invocations 1 row, p99 (${at(inv)})`, value: inv.p99, unit: "ms", reference: { name: "bare node:http", value: floor.p99 }, goal: "<= 2 ms, < 2x floor" },
    { name: `/predict 1 entity, p50`, value: pred.p50, unit: "ms", reference: { name: "mlflow models serve (recorded)", value: 3.0 } },
    { name: `/predict 1 entity, p99 (${at(pred)})`, value: pred.p99, unit: "ms", reference: { name: "mlflow models serve (recorded)", value: 6.5 } },
    { name: "/invocations throughput, 1 connection", value: inv.requests / inv.seconds, unit: "req/s", reference: { name: "bare node:http", value: floor.requests / floor.seconds } },
  );
  // The 32-connection figures swing with whatever else the machine runs, so each is the median
  // of ROUNDS runs, and the servers compared take turns within every round.
  const larderWorkers = await start([...serveArgs, "--workers", "2"], env);
  const bareWorkers = await start(["--import", "tsx", "bench/lib/bareServer.ts", "--workers", "2"]);
  const targets = { larder, bare, larderWorkers, bareWorkers };
  for (const url of Object.values(targets)) await postLoad(`${url}/invocations`, invocation, 2000, 32);
  const rates: Record<keyof typeof targets, number[]> = { larder: [], bare: [], larderWorkers: [], bareWorkers: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url] of Object.entries(targets) as Array<[keyof typeof targets, string]>) {
      const r = await postLoad(`${url}/invocations`, invocation, REQUESTS, 32);
      rates[name].push(r.requests / r.seconds);
    }
  }
  const of = (name: keyof typeof targets) => median(rates[name]);
  const rounds = `median of ${ROUNDS}`;
  rows.push(
    { name: `/invocations throughput, 32 connections (${rounds})`, value: of("larder"), unit: "req/s", reference: { name: "bare node:http", value: of("bare") } },
    { name: `/invocations, --workers 2, 32 connections (${rounds})`, value: of("larderWorkers"), unit: "req/s", reference: { name: "bare node:http, 2 workers", value: of("bareWorkers") }, goal: ">= 10,000" },
    { name: `/invocations, --workers 2, 32 connections (${rounds})`, value: of("larderWorkers"), unit: "req/s", reference: { name: "mlflow models serve, 8 conn (recorded)", value: 360 } },
    { name: `bare node:http, 2 workers, 32 connections (${rounds})`, value: of("bareWorkers"), unit: "req/s", reference: { name: "bare node:http, 1 process", value: of("bare") } },
  );
  if (wrkInstalled()) {
    // wrk spends less of the shared CPU than this process's client, so it shows more of the servers' own ceiling.
    const wrkRate = async (url: string) => {
      const r = await wrkPost(`${url}/invocations`, invocation, 32, WRK_SECONDS);
      return r.requests / r.seconds;
    };
    const larderWrk = await wrkRate(larderWorkers);
    const bareWrk = await wrkRate(bareWorkers);
    rows.push({ name: `wrk: /invocations, --workers 2, 32 connections (${WRK_SECONDS} s)`, value: larderWrk, unit: "req/s", reference: { name: "wrk: bare node:http, 2 workers", value: bareWrk }, goal: ">= 10,000" });
  }

  // Batch scoring: a 100-tree binary model on 20 columns over 500,000 rows.
  const rng = new SeededRandom(9);
  const n = 500_000;
  const columns = Array.from({ length: 20 }, () => Float64Array.from({ length: n }, () => rng.normal(0, 1)));
  const labels = Float64Array.from({ length: n }, (_, i) => (columns[0]![i]! + columns[1]![i]! * 0.5 + rng.normal(0, 1) > 0 ? 1 : 0));
  const names = columns.map((_, j) => `f${j}`);
  const trained = train({ objective: "binary", verbosity: -1 }, { columns: columns.map((c) => c.subarray(0, 50_000)), labels: labels.subarray(0, 50_000), featureNames: names });
  const input = join(work, "batch.parquet");
  await Duck.with(async (duck) => {
    await appendColumns(duck, "batch", names.map((name, j) => ({ name, type: "DOUBLE" as const, values: columns[j]! })));
    await duck.run(`COPY batch TO '${input}' (FORMAT PARQUET)`);
  });
  const batchModel = new LoadedModel("bench", trained.booster, null, null, null);
  let t = performance.now();
  await predictFile({ model: batchModel, input, output: join(work, "scored.parquet") });
  const batchSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await Duck.with((duck) => duck.run(`COPY (SELECT * FROM '${input}') TO '${join(work, "copy.parquet")}' (FORMAT PARQUET)`));
  const copySeconds = (performance.now() - t) / 1000;
  rows.push({ name: "larder predict, 100 trees x 20 columns", value: n / batchSeconds, unit: "rows/s", reference: { name: "DuckDB read+write only", value: n / copySeconds }, goal: ">= 500,000" });

  printReport({ bench: `serving (${REQUESTS} requests per figure)`, machine: machineInfo(), rows });
} finally {
  for (const child of children) child.kill("SIGTERM");
  await rm(work, { recursive: true, force: true });
}
