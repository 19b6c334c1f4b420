// Child process of bench/gbdt.ts: trains on 500,000 × 20 seeded rows and prints the peak resident
// set size, so the figure is this training's alone (issue #5: under 1 GiB).
import { SeededRandom } from "../../src/core/random.js";
import { train } from "../../src/gbdt/train/index.js";

const numRows = 500_000;
const numFeatures = 20;
const rounds = Number(process.argv[2] ?? 20);
const random = new SeededRandom(500);
const columns = Array.from({ length: numFeatures }, () => new Float64Array(numRows));
const labels = new Float64Array(numRows);
for (let i = 0; i < numRows; i++) {
  let z = 0;
  for (let j = 0; j < numFeatures; j++) {
    const v = random.uniform(-1, 1);
    columns[j]![i] = v;
    if (j < 5) z += (j + 1) * v;
  }
  labels[i] = z + random.uniform(-1, 1) > 0 ? 1 : 0;
}
const started = performance.now();
train({ objective: "binary", num_iterations: rounds, verbosity: -1 }, { columns, labels });
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, seconds, rounds }));
