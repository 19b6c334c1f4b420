// Start-up cost of the CLI: `larder --help` and `larder fs --help` against bare `node -e 0`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { machineInfo, median, printReport } from "./lib/report.js";

const bin = fileURLToPath(new URL("../bin/larder.js", import.meta.url));
if (!existsSync(fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)))) {
  console.error("bench/cli: dist/ is missing; run `npm run build` first");
  process.exit(1);
}

function wallMs(args: string[], runs = 15): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
    if (i >= 2) times.push(performance.now() - t);
  }
  return median(times);
}

const bare = wallMs(["-e", "0"]);
const help = wallMs([bin, "--help"]);
const fsHelp = wallMs([bin, "fs", "--help"]);
printReport({
  bench: "cli start-up (median wall)",
  machine: machineInfo(),
  rows: [
    { name: "larder --help", value: help, unit: "ms", reference: { name: "node -e 0", value: bare }, goal: "< 150 ms and < 2x" },
    { name: "larder fs --help", value: fsHelp, unit: "ms", reference: { name: "node -e 0", value: bare }, goal: "< 150 ms and < 2x" },
  ],
});
