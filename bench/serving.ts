// `larder serve` /invocations against bare node:http doing only HTTP and JSON, both in their own
// process, loaded from this one over loopback (bounded: a fixed number of requests).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { postLoad, type LoadResult } from "./lib/loadClient.js";
import { machineInfo, printReport } from "./lib/report.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const mlruns = fileURLToPath(new URL("../../shared/mlflow/mlruns-sample", import.meta.url));
if (!existsSync(mlruns)) {
  console.error("bench/serving: ../shared/mlflow/mlruns-sample is missing (it holds the served model)");
  process.exit(0);
}

function start(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
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

async function measure(url: string): Promise<LoadResult> {
  const body = JSON.stringify({ dataframe_split: { columns: ["accel_x", "accel_y", "accel_z", "heart_rate"], data: [[0.1, 0.2, 9.8, 70.0]] } });
  await postLoad(`${url}/invocations`, body, 500, 8);
  return postLoad(`${url}/invocations`, body, 5000, 16);
}

const larder = await start(["bin/larder.js", "serve", "-m", "models:/activity_classifier/Production", "-p", "0", "--json", "-q"], { ...process.env, MLFLOW_TRACKING_URI: mlruns });
const bare = await start(["--import", "tsx", "bench/lib/bareServer.ts"]);
try {
  const l = await measure(larder.url);
  const b = await measure(bare.url);
  printReport({
    bench: "serving /invocations, 1 row, 16 concurrent, 5000 requests",
    machine: machineInfo(),
    rows: [
      { name: "throughput", value: l.requests / l.seconds, unit: "req/s", reference: { name: "bare node:http + JSON", value: b.requests / b.seconds } },
      { name: "latency p50", value: l.p50, unit: "ms", reference: { name: "bare node:http + JSON", value: b.p50 } },
      { name: "latency p99", value: l.p99, unit: "ms", reference: { name: "bare node:http + JSON", value: b.p99 } },
    ],
  });
} finally {
  larder.child.kill("SIGTERM");
  bare.child.kill("SIGTERM");
}
