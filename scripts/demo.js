#!/usr/bin/env node
// `npm run demo`: the end-to-end story on embedded defaults, in a fresh folder (.larder-demo/).
// Each pipeline step is a real `larder` command; the summary at the end is read from their --json output.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "larder.js");
const demoDir = join(root, ".larder-demo");
const project = join(demoDir, "activity");
const realData = join(root, "..", "shared", "datasets", "aw_fb", "aw_fb_data.csv");
const env = { ...process.env, MLFLOW_TRACKING_URI: join(project, "mlruns") };

const summary = [];

/** Runs one larder command with --json; its messages stream to stderr, its result is returned. */
function larder(title, args, cwd = project) {
  process.stderr.write(`\n== ${title}\n$ larder ${args.join(" ")}\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args, "--json"], { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) {
    process.stderr.write(r.stdout);
    process.stderr.write(`\ndemo failed at: ${title} (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
  return { result: JSON.parse(r.stdout), seconds: (performance.now() - started) / 1000 };
}

/** Starts `larder serve` in the background and resolves with its URL and a stop function. */
function serve(args) {
  process.stderr.write(`\n== Serve the Production model\n$ larder serve ${args.join(" ")}\n`);
  const child = spawn(process.execPath, [bin, "serve", ...args, "--json"], { cwd: project, env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      try {
        const { url } = JSON.parse(out);
        resolve({
          url,
          stop: () => new Promise((done) => {
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
        });
      } catch {
        /* wait for the whole document */
      }
    });
    child.once("exit", (code) => reject(new Error(`larder serve exited with ${code}`)));
  });
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;

rmSync(demoDir, { recursive: true, force: true });

// Phase 1: data and features.
const init = larder("Scaffold the activity project with synthetic wearable data", ["init", project, "--participants", "20", "--days", "2", "--seed", "42"], root);
summary.push(["init + synthetic data", `${init.result.data.rows.participants} participants, ${init.result.data.rows.wearable_events} events, ${init.result.data.rows.activity_labels} labels`, init.seconds]);
const fs = (title, ...args) => larder(title, ["fs", "-c", "feature_repo", ...args]);
const apply = fs("Register the feature definitions (features.ts)", "apply");
summary.push(["fs apply", `${apply.result.objectChanges.length} objects registered in project ${apply.result.project}`, apply.seconds]);
const materialized = fs("Materialize the online store", "materialize", "2024-01-01T00:00:00Z", "2025-01-08T00:00:00Z");
summary.push(["fs materialize", materialized.result.map((v) => `${v.view} ${v.written}`).join(", "), materialized.seconds]);
const rawSet = fs("Training set of raw sensor columns at each label's time", "get-historical", "--entities", "data/activity_labels.parquet",
  "--features", "wearable_latest:heart_rate,wearable_latest:steps,wearable_latest:calories,wearable_latest:accel_x,wearable_latest:accel_y,wearable_latest:accel_z",
  "-o", "data/raw_training_set.parquet");
const featureSet = fs("Point-in-time training set from the feature service", "get-historical", "--entities", "data/activity_labels.parquet",
  "--feature-service", "activity_model_v1", "-o", "data/training_set.parquet");
summary.push(["fs get-historical", `${featureSet.result.rows} rows, labels joined point-in-time`, rawSet.seconds + featureSet.seconds]);
const online = fs("Online features of two participants", "get-online", "--entity", "participant_id=3", "--entity", "participant_id=7",
  "--features", "heart_rate_stats:mean_heart_rate_300s,participant_profile:age");
summary.push(["fs get-online", `participants 3, 7: 5-min mean heart rate ${online.result.results[1].values.map((v) => Number(v).toFixed(1)).join(", ")}, age ${online.result.results[2].values.join(", ")}`, online.seconds]);

// Phase 2: three tracked runs, comparison, registry.
const run1 = larder("Run 1: baseline on raw sensor columns", ["track", "run", "--experiment", "activity", "--name", "baseline-raw",
  "--train", "data/raw_training_set.parquet", "--label", "activity", "--features", "heart_rate,steps,calories,accel_x,accel_y,accel_z", "--tag", "feature_set=raw"]);
summary.push(["run 1 baseline (raw)", `accuracy ${pct(run1.result.metrics.accuracy)}, macro F1 ${pct(run1.result.metrics.f1_macro)}`, run1.seconds]);
const run2 = larder("Run 2: feature-store features, default parameters", ["track", "run", "--experiment", "activity", "--name", "feast-features",
  "--feature-service", "activity_model_v1", "--feature-repo", "feature_repo", "--entities", "data/activity_labels.parquet", "--label", "activity", "--tag", "feature_set=feast_v1"]);
summary.push(["run 2 feature store", `accuracy ${pct(run2.result.metrics.accuracy)}, macro F1 ${pct(run2.result.metrics.f1_macro)}`, run2.seconds]);
const run3 = larder("Run 3: grid search on the feature-store features", ["track", "run", "--experiment", "activity", "--name", "grid-search",
  "--feature-service", "activity_model_v1", "--feature-repo", "feature_repo", "--entities", "data/activity_labels.parquet", "--label", "activity",
  "--search", "grid", "--grid", "num_leaves=15,31;learning_rate=0.05,0.1", "--param", "num_iterations=60", "--tag", "feature_set=feast_v1"]);
summary.push(["run 3 grid search (4 trials)", `best accuracy ${pct(run3.result.metrics.accuracy)}, macro F1 ${pct(run3.result.metrics.f1_macro)}`, run3.seconds]);
const ranked = larder("Compare the runs, best macro F1 first", ["track", "search", "--experiment", "activity", "--filter", "tags.feature_set != ''", "--order-by", "metrics.f1_macro DESC", "--max-results", "1"]);
summary.push(["compare", `best run ${ranked.result[0].info.runName} (macro F1 ${pct(ranked.result[0].data.metrics.f1_macro)})`, ranked.seconds]);

larder("Register run 2 as version 1", ["registry", "register", run2.result.modelUri, "activity_classifier"]);
larder("Version 1 to Staging", ["registry", "transition", "activity_classifier", "1", "Staging"]);
larder("Version 1 to Production", ["registry", "transition", "activity_classifier", "1", "Production"]);
larder("Register the search's best as version 2", ["registry", "register", run3.result.modelUri, "activity_classifier"]);
const v2 = larder("Version 2 to Production (gated on macro F1), version 1 archived", [
  "registry", "transition", "activity_classifier", "2", "Production", "--archive-existing", "--require", "metrics.best_f1_macro >= 0.5",
]);
summary.push(["registry", `activity_classifier v${v2.result.version} in ${v2.result.currentStage}, v1 archived`, v2.seconds]);

// Phase 3: serve the Production model; /predict takes participant ids and reads their features online.
const server = await serve(["-m", "models:/activity_classifier/Production", "-p", "0", "--feature-repo", "feature_repo", "--log-predictions", "prediction-log"]);
const response = await fetch(`${server.url}/predict?output=label`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entities: { participant_id: [3, 7, 999] } }) });
const scored = await response.json();
// The same features sent as raw columns through MLflow's protocol give the same answer.
const record = Object.fromEntries(Object.entries(scored.features).map(([name, values]) => [name, values[0]]));
const invocation = await fetch(`${server.url}/invocations?output=label`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dataframe_records: [record] }) });
const invoked = await invocation.json();
await server.stop();
summary.push(["serve /predict", `participants 3, 7, 999: ${scored.predictions.map((p, i) => p ?? scored.statuses[i].status).join(", ")}`, 0]);
summary.push(["serve /invocations", `participant 3's features as dataframe_records: ${invoked.predictions[0]}`, 0]);

// The real study, where present: its raw columns, as the tutorial's baseline does.
if (existsSync(realData)) {
  const real = larder("Import the real Apple Watch / Fitbit study", ["datagen", "import-aw-fb", realData, "-o", join(project, "data-real")]);
  summary.push(["import real aw_fb data", `${real.result.rows.participants} participants, ${real.result.rows.wearable_events} events`, real.seconds]);
  const raw = ["age", "gender", "height", "weight", "steps", "hear_rate", "calories", "distance", "device"];
  const realRun = larder("Baseline on the real study's raw columns", ["track", "run", "--experiment", "activity-real", "--name", "baseline-raw",
    "--train", realData, "--label", "activity", "--features", raw.join(","), "--tag", "feature_set=raw"]);
  summary.push(["real data baseline", `accuracy ${pct(realRun.result.metrics.accuracy)}, macro F1 ${pct(realRun.result.metrics.f1_macro)}`, realRun.seconds]);
} else {
  process.stderr.write(`\n(${relative(root, realData)} not found: the real-data steps are skipped)\n`);
}

process.stdout.write(`\nLarder demo: ${relative(process.cwd(), project) || "."}\n`);
const width = Math.max(...summary.map((s) => s[0].length));
for (const [step, what, seconds] of summary) {
  process.stdout.write(`  ${step.padEnd(width)}  ${what}${seconds ? `  (${seconds.toFixed(1)} s)` : ""}\n`);
}
process.stdout.write(`\nNext: cd ${relative(process.cwd(), project)} && cat README.md\n`);
