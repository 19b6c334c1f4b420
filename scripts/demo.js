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

const init = larder("Scaffold the activity project with synthetic data", ["init", project, "--participants", "50", "--days", "7", "--seed", "42"], root);
summary.push(["init + synthetic data", `${init.result.data.rows.participants} participants, ${init.result.data.rows.wearable_events} events, ${init.result.data.rows.activity_labels} labels`, init.seconds]);

if (existsSync(realData)) {
  const real = larder("Import the real Apple Watch / Fitbit study", ["datagen", "import-aw-fb", realData, "-o", join(project, "data-real")]);
  summary.push(["import real aw_fb data", `${real.result.rows.participants} participants, ${real.result.rows.wearable_events} events`, real.seconds]);

  // Phase 2 on the real study: raw columns, as the tutorial's first run does.
  const raw = ["age", "gender", "height", "weight", "steps", "hear_rate", "calories", "distance", "device"];
  const baseline = larder("Run 1: baseline on the study's raw columns", [
    "track", "run", "--experiment", "activity", "--name", "baseline-raw", "--train", realData, "--label", "activity",
    "--features", raw.join(","), "--tag", "feature_set=raw",
  ]);
  summary.push(["run 1 baseline (raw)", `accuracy ${pct(baseline.result.metrics.accuracy)}, macro F1 ${pct(baseline.result.metrics.f1_macro)}`, baseline.seconds]);
  const derived = [...raw, "entropy_heart", "entropy_setps", "resting_heart", "corr_heart_steps", "norm_heart", "intensity_karvonen", "sd_norm_heart", "steps_times_distance"];
  const search = larder("Run 3: grid search over num_leaves and learning_rate", [
    "track", "run", "--experiment", "activity", "--name", "grid-search", "--train", realData, "--label", "activity",
    "--features", derived.join(","), "--search", "grid", "--grid", "num_leaves=15,31;learning_rate=0.05,0.1", "--tag", "feature_set=study_derived",
  ]);
  summary.push(["run 3 grid search (4 trials)", `best accuracy ${pct(search.result.metrics.accuracy)}, macro F1 ${pct(search.result.metrics.f1_macro)}`, search.seconds]);
  const ranked = larder("Compare the runs, best macro F1 first", ["track", "search", "--experiment", "activity", "--order-by", "metrics.f1_macro DESC", "--max-results", "3"]);
  summary.push(["compare", `best run ${ranked.result[0].info.runName} (macro F1 ${pct(ranked.result[0].data.metrics.f1_macro)})`, ranked.seconds]);

  // Registry: v1 from the baseline through Staging to Production; v2 from the search replaces it.
  larder("Register the baseline as version 1", ["registry", "register", baseline.result.modelUri, "activity_classifier"]);
  larder("Version 1 to Staging", ["registry", "transition", "activity_classifier", "1", "Staging"]);
  larder("Version 1 to Production", ["registry", "transition", "activity_classifier", "1", "Production"]);
  larder("Register the search's best as version 2", ["registry", "register", search.result.modelUri, "activity_classifier"]);
  const v2 = larder("Version 2 to Production (gated on macro F1), version 1 archived", [
    "registry", "transition", "activity_classifier", "2", "Production", "--archive-existing", "--require", "metrics.best_f1_macro >= 0.5",
  ]);
  summary.push(["registry", `activity_classifier v${v2.result.version} in ${v2.result.currentStage}, v1 archived`, v2.seconds]);

  // Phase 3: serve the Production model with MLflow's scoring protocol and score a few rows.
  const server = await serve(["-m", "models:/activity_classifier/Production", "-p", "0", "--log-predictions", join(project, "prediction-log")]);
  const body = {
    dataframe_records: [
      { age: 30, gender: 1, height: 180, weight: 75, steps: 2, hear_rate: 62, calories: 0.5, distance: 0.001, device: "apple watch", entropy_heart: 6.2, entropy_setps: 6, resting_heart: 60, corr_heart_steps: 0.5, norm_heart: 2, intensity_karvonen: 0.02, sd_norm_heart: 10, steps_times_distance: 0.002 },
      { age: 30, gender: 1, height: 180, weight: 75, steps: 140, hear_rate: 150, calories: 9, distance: 0.12, device: "apple watch", entropy_heart: 6.2, entropy_setps: 6, resting_heart: 60, corr_heart_steps: 0.5, norm_heart: 90, intensity_karvonen: 0.7, sd_norm_heart: 30, steps_times_distance: 16.8 },
    ],
  };
  const response = await fetch(`${server.url}/invocations?output=label`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const predictions = (await response.json()).predictions;
  await server.stop();
  summary.push(["serve + score 2 rows", `${response.status}: ${predictions.join(", ")}`, 0]);
} else {
  process.stderr.write(`\n(${relative(root, realData)} not found: the real-data steps are skipped)\n`);
}

process.stdout.write(`\nLarder demo: ${relative(process.cwd(), project) || "."}\n`);
const width = Math.max(...summary.map((s) => s[0].length));
for (const [step, what, seconds] of summary) {
  process.stdout.write(`  ${step.padEnd(width)}  ${what}${seconds ? `  (${seconds.toFixed(1)} s)` : ""}\n`);
}
process.stdout.write(`\nNext: cd ${relative(process.cwd(), project)} && cat README.md\n`);
