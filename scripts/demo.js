#!/usr/bin/env node
// `npm run demo`: the end-to-end story on embedded defaults, in a fresh folder (.larder-demo/).
// Each pipeline step is a real `larder` command; the summary at the end is read from their --json output.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "larder.js");
const demoDir = join(root, ".larder-demo");
const project = join(demoDir, "activity");
const realData = join(root, "..", "shared", "datasets", "aw_fb", "aw_fb_data.csv");

const summary = [];

/** Runs one larder command with --json; its messages stream to stderr, its result is returned. */
function larder(title, args, cwd = demoDir) {
  process.stderr.write(`\n== ${title}\n$ larder ${args.join(" ")}\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args, "--json"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) {
    process.stderr.write(r.stdout);
    process.stderr.write(`\ndemo failed at: ${title} (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
  const seconds = (performance.now() - started) / 1000;
  const result = JSON.parse(r.stdout);
  return { result, seconds };
}

rmSync(demoDir, { recursive: true, force: true });

const init = larder("Scaffold the activity project with synthetic data", ["init", project, "--participants", "50", "--days", "7", "--seed", "42"], root);
summary.push([
  "init + synthetic data",
  `${init.result.data.rows.participants} participants, ${init.result.data.rows.wearable_events} events, ${init.result.data.rows.activity_labels} labels`,
  init.seconds,
]);

if (existsSync(realData)) {
  const real = larder("Import the real Apple Watch / Fitbit study", ["datagen", "import-aw-fb", realData, "-o", join(project, "data-real")]);
  summary.push(["import real aw_fb data", `${real.result.rows.participants} participants, ${real.result.rows.wearable_events} events`, real.seconds]);
} else {
  process.stderr.write(`\n(${relative(root, realData)} not found: the real-data step is skipped; the synthetic data stands in)\n`);
}

process.stdout.write(`\nLarder demo: ${relative(process.cwd(), project) || "."}\n`);
const width = Math.max(...summary.map((s) => s[0].length));
for (const [step, what, seconds] of summary) {
  process.stdout.write(`  ${step.padEnd(width)}  ${what}  (${seconds.toFixed(1)} s)\n`);
}
process.stdout.write(`\nNext: cd ${relative(process.cwd(), project)} && cat README.md\n`);
