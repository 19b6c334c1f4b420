import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { PredictionLog } from "../../src/serving/index.js";
import { setTags, startRun } from "../../src/tracking/index.js";
import { runCli } from "../helpers/runCli.js";
import { tempDir } from "../helpers/paths.js";

function normalCsv(seed: number, shift: number, n = 500): string {
  const random = new SeededRandom(seed);
  const rows = Array.from({ length: n }, () => `${random.normal(shift, 1).toFixed(4)},${random.pick(["a", "b"])}`);
  return ["x,group", ...rows].join("\n") + "\n";
}

describe("larder validate / monitor", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(join(dir, "data.csv"), "id,score\n1,0.5\n2,0.9\n3,\n");
    await writeFile(join(dir, "ok.yaml"), "row_count: { min: 3 }\ncolumns:\n  id: { unique: true }\n  score: { max_null_percent: 50, range: { min: 0, max: 1 } }\n");
    await writeFile(join(dir, "bad.yaml"), "columns:\n  id: { unique: true }\n  score: { not_null: true }\n");
    await writeFile(join(dir, "ref.csv"), normalCsv(1, 0));
    await writeFile(join(dir, "same.csv"), normalCsv(2, 0));
    await writeFile(join(dir, "shifted.csv"), normalCsv(3, 1));
  });
  afterAll(() => cleanup());

  it("validate: exit 0 and a PASS table when every expectation holds", async () => {
    const run = await runCli(["validate", "data.csv", "--expectations", "ok.yaml"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/\| row_count\s+\|\s+\| PASS\s+\| 3 rows/);
    expect(run.stdout).toContain("All 6 expectations passed on 3 rows of data.csv.");
  });

  it("validate: prints the report and exits 1 when one fails; --json carries the same", async () => {
    const run = await runCli(["validate", "data.csv", "-e", "bad.yaml"], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/\| not_null\s+\| score\s+\| FAIL\s+\| 1 null \(33\.33%\)/);
    expect(run.stdout).toContain("1 of 4 expectations failed on 3 rows of data.csv.");
    const json = await runCli(["--json", "validate", "data.csv", "-e", "bad.yaml"], { cwd: dir });
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.passed).toBe(false);
    expect(report.results.filter((r: { passed: boolean }) => !r.passed).map((r: { expectation: string }) => r.expectation)).toEqual(["not_null"]);
  });

  it("validate: a bad expectations file is an error naming its line", async () => {
    await writeFile(join(dir, "typo.yaml"), "columns:\n  id:\n    uniq: true\n");
    const run = await runCli(["validate", "data.csv", "-e", "typo.yaml"], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("typo.yaml:3: unknown key 'uniq' in columns.id");
  });

  it("monitor drift: exit 0 on an unshifted sample, exit 2 on a shifted one, with an HTML report", async () => {
    const same = await runCli(["monitor", "drift", "--reference", "ref.csv", "--current", "same.csv"], { cwd: dir });
    expect(same.exitCode).toBe(0);
    expect(same.stdout).toContain("No drift past the thresholds.");
    const shifted = await runCli(
      ["monitor", "drift", "-r", "ref.csv", "-c", "shifted.csv", "--threshold", "psi=0.2,ks_pvalue=0.01", "--html", "report.html"],
      { cwd: dir },
    );
    expect(shifted.exitCode).toBe(2);
    expect(shifted.stdout).toMatch(/\| x\s+\| numeric\s+\| \d\.\d{4} .*DRIFT \(psi .* > 0\.2; ks p .* < 0\.01\)/);
    expect(shifted.stdout).toContain("Drift in x.");
    const html = await readFile(join(dir, "report.html"), "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html.match(/<svg /g)).toHaveLength(2);
    const json = JSON.parse((await runCli(["--json", "monitor", "drift", "-r", "ref.csv", "-c", "shifted.csv"], { cwd: dir })).stdout);
    expect(json.driftedFeatures).toEqual(["x"]);
    expect(json.thresholds).toEqual({ psi: 0.2 });
  });

  it("monitor drift: a bad threshold is a usage error", async () => {
    const run = await runCli(["monitor", "drift", "-r", "ref.csv", "-c", "same.csv", "--threshold", "psi"], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("Bad --threshold 'psi'");
  });

  it("monitor drift: a run reference reads its training file and feature list", async () => {
    const trackingUri = join(dir, "mlruns");
    const run = await startRun({ trackingUri });
    await setTags(run.info.runId, { "larder.train.path": "ref.csv", "larder.features": "x" }, { trackingUri });
    const result = await runCli(["--json", "monitor", "drift", "-r", `runs:/${run.info.runId}`, "-c", "shifted.csv", "--tracking-uri", trackingUri], { cwd: dir });
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.reference).toBe(`runs:/${run.info.runId} (ref.csv)`);
    expect(report.features.map((f: { feature: string }) => f.feature)).toEqual(["x"]);
    const bare = await runCli(["--json", "monitor", "drift", "-r", run.info.runId, "-c", "same.csv", "--tracking-uri", trackingUri], { cwd: dir });
    expect(bare.exitCode).toBe(0);

    const gone = await startRun({ trackingUri });
    await setTags(gone.info.runId, { "larder.train.path": "deleted.csv" }, { trackingUri });
    const missing = await runCli(["monitor", "drift", "-r", gone.info.runId, "-c", "same.csv", "--tracking-uri", trackingUri], { cwd: dir });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain(`The training file of run ${gone.info.runId} is gone: deleted.csv`);
  });

  it("monitor variants: table and decision line", async () => {
    const logDir = join(dir, "log");
    const log = await PredictionLog.open(logDir);
    const labels = ["request_id,label"];
    for (let i = 0; i < 200; i++) {
      const variant = i % 2 ? "challenger" : "champion";
      log.append({
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), request_id: `q${i}`, endpoint: "invocations", variant,
        model_uri: `models:/m/${variant}`, model_version: 1, latency_ms: 5, status: 200, entity_key: null,
        inputs: { columns: ["x"], data: [[i]] }, outputs: [[0.3, 0.7]],
      });
      // The champion is right on 60 of 100, the challenger on 90 of 100.
      const right = variant === "champion" ? i < 120 : i < 180;
      labels.push(`q${i},${right ? "up" : "down"}`);
    }
    await log.close();
    await writeFile(join(dir, "labels.csv"), labels.join("\n") + "\n");
    const run = await runCli(["monitor", "variants", "--log", "log", "--labels", "labels.csv", "--classes", "down,up"], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/\| challenger\s+\| 100\s+\| 100\s+\| 5\.00\s+\| 5\.00\s+\| up 100\.0%\s+\| 100\s+\| 0\.9000\s+\|/);
    expect(run.stdout).toMatch(/Decision: challenger better than champion at p=\d\.\de-\d \(accuracy 0\.900 vs 0\.600\)/);
    const json = JSON.parse((await runCli(["--json", "monitor", "variants", "--log", "log"], { cwd: dir })).stdout);
    expect(json.variants).toHaveLength(2);
    expect(json.comparison).toBeNull();
  });
});
