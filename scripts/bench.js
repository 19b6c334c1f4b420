#!/usr/bin/env node
// Runs every bench/*.ts (or those named on the command line) one after another with tsx.
// `npm run bench -- --json` prints one JSON document per benchmark.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith("--"));
const wanted = args.filter((a) => !a.startsWith("--"));
const benches = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const file of benches) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", file), ...flags], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${file} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
