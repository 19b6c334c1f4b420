import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { trainRun } from "../../src/models/index.js";
import { getModelRegistry } from "../../src/registry/index.js";
import { PredictionLog } from "../../src/serving/index.js";
import { REPO_ROOT, tempDir } from "../helpers/paths.js";

const script = join(REPO_ROOT, "examples", "activity", "retrain-on-drift.sh");
const bin = join(REPO_ROOT, "bin", "larder.js");
const CLASSES = ["walk", "run", "sit"];

function sample(count: number, seed: number, xShift = 0): Array<[number, number, string]> {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => [i % 3 + rng.normal(0, 0.35) + xShift, (i % 3 === 2 ? 1 : 0) + rng.normal(0, 0.35), CLASSES[i % 3]!]);
}

async function writeLog(dir: string, rows: Array<[number, number, string]>): Promise<void> {
  const log = await PredictionLog.open(dir);
  rows.forEach(([x, y], i) => {
    const predicted = Math.max(0, Math.min(2, Math.round(x)));
    log.append({
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), request_id: `r${i}`, endpoint: "invocations", variant: "default",
      model_uri: "models:/activity/Production", model_version: 1, latency_ms: 1, status: 200, entity_key: null,
      inputs: { columns: ["x", "y"], data: [[x, y]] }, outputs: [CLASSES.map((_, k) => (k === predicted ? 0.8 : 0.1))],
    });
  });
  await log.close();
}

// `npm test` builds dist/ first; the script drives the compiled CLI as CI would.
describe.runIf(existsSync(join(REPO_ROOT, "dist", "cli", "main.js")))("examples/activity/retrain-on-drift.sh", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  const run = (logDir: string, env: Record<string, string> = {}) =>
    spawnSync("bash", [script, logDir, "train.csv"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, LARDER: `${process.execPath} ${bin}`, MLFLOW_TRACKING_URI: "", EXPERIMENT: "retrain", ...env },
    });
  const stages = async () => (await getModelRegistry(join(dir, "mlruns")).listModelVersions("activity")).map((v) => `${v.version}:${v.currentStage}`).sort();

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(join(dir, "train.csv"), ["x,y,label", ...sample(600, 1).map((r) => r.join(","))].join("\n") + "\n");
    const trackingUri = join(dir, "mlruns");
    const trained = await trainRun({ trackingUri, experiment: "activity", train: join(dir, "train.csv"), label: "label", params: { num_iterations: 10, num_leaves: 7 } });
    const registry = getModelRegistry(trackingUri);
    await registry.registerModel(`runs:/${trained.runId}/model`, "activity");
    await registry.transitionModelVersionStage("activity", "1", "Production");
    await writeLog(join(dir, "stable"), sample(300, 2));
    await writeLog(join(dir, "shifted"), sample(300, 3, 1.5));
  });
  afterAll(() => cleanup());

  it("leaves Production alone when the traffic has not drifted", () => {
    const r = run("stable", { LABEL: "label" });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("No drift past psi 0.2: Production stays");
  });

  it("stops at the promotion gate when the retrained model is not good enough", async () => {
    const r = run("shifted", { LABEL: "label", MIN_F1: "1.01" });
    expect(r.stdout).toContain("Drift past psi 0.2: retraining");
    expect(r.status).not.toBe(0);
    expect(await stages()).toEqual(["1:Production", "2:None"]);
  });

  it("retrains, promotes and archives the old version on drift", async () => {
    const r = run("shifted", { LABEL: "label", MIN_F1: "0.5" });
    expect(r.stderr).toContain("Wrote");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Version 3 of 'activity' is in Production");
    expect(await stages()).toEqual(["1:Archived", "2:None", "3:Production"]);
  });
});
