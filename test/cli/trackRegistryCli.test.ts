import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Booster } from "../../src/gbdt/index.js";
import { saveLightGBMModel } from "../../src/models/index.js";
import { getArtifactLocalPath } from "../../src/tracking/index.js";
import { runCli } from "../helpers/runCli.js";
import { hasShared, sharedPath, tempDir } from "../helpers/paths.js";

const SAMPLE_MODEL = ["mlflow", "mlruns-sample", "439892257072291717", "models", "m-bbae1925e1a2484cb5c794dfb5fe9a7b", "artifacts", "model.lgb"];

describe("larder track and larder registry", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());
  const larder = (...argv: string[]) => runCli(["--json", ...argv], { cwd: dir, env: { MLFLOW_TRACKING_URI: join(dir, "mlruns") } });

  async function startRun(name: string, extra: string[] = []): Promise<string> {
    const r = await larder("track", "start", "--experiment", "activity", "--name", name, ...extra);
    expect(r.exitCode, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { runId: string }).runId;
  }

  it("logs from scripts and searches with MLflow's grammar, nested runs under parents", async () => {
    const a = await startRun("baseline", ["--tag", "feature_set=raw"]);
    expect((await larder("track", "log-param", a, "num_leaves", "31")).exitCode).toBe(0);
    for (const [step, v] of [[0, "0.70"], [1, "0.75"]] as const) expect((await larder("track", "log-metric", a, "f1_macro", v, "--step", String(step))).exitCode).toBe(0);
    expect((await larder("track", "end", a)).exitCode).toBe(0);
    const b = await startRun("search");
    const child = await startRun("trial-1", ["--parent", b]);
    await larder("track", "log-metric", child, "f1_macro", "0.9");
    await larder("track", "log-param", child, "num_leaves", "63");
    await larder("track", "end", child);
    await larder("track", "end", b);

    const found = await larder("track", "search", "--experiment", "activity", "--filter", "metrics.f1_macro > 0.72 and params.num_leaves = '31'");
    expect(found.exitCode, found.stderr).toBe(0);
    const runs = JSON.parse(found.stdout) as Array<{ info: { runId: string }; data: { metrics: Record<string, number> } }>;
    expect(runs.map((r) => r.info.runId)).toEqual([a]);
    expect(runs[0]!.data.metrics.f1_macro).toBe(0.75);

    const ranked = await runCli(["track", "compare", "--experiment", "activity", "--order-by", "metrics.f1_macro DESC"], { cwd: dir, env: { MLFLOW_TRACKING_URI: join(dir, "mlruns") } });
    expect(ranked.exitCode).toBe(0);
    const lines = ranked.stdout.split("\n").filter((l) => l.startsWith("|")).slice(1);
    // Ranked by f1 (trial-1 0.9, baseline 0.75, search none), then children moved under parents.
    const names = lines.filter((l) => !l.startsWith("|--")).map((l) => l.split("|")[2]!.trim());
    expect(names).toEqual(["baseline", "search", "└ trial-1"]);
    expect(ranked.stdout).toMatch(/\| └ trial-1 .*\| 0\.9 \*/);

    const bad = await larder("track", "search", "--experiment", "activity", "--filter", "metrics.f1_macro >> 1");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/position|col/i);
  });

  it("runs a command with track exec and passes its exit code through", async () => {
    const r = await larder("track", "exec", "--experiment", "ci", "--", "sh", "-c", "echo run=$MLFLOW_RUN_ID; exit 3");
    expect(r.exitCode).toBe(3);
    const runId = /run=([0-9a-f]{32})/.exec(r.stdout)![1]!;
    const show = await larder("track", "show", runId);
    const shown = JSON.parse(show.stdout) as { info: { status: string }; data: { metrics: Record<string, number> }; artifacts: Array<{ path: string }> };
    expect(shown.info.status).toBe("FAILED");
    expect(shown.data.metrics.exit_code).toBe(3);
    expect(shown.artifacts.map((x) => x.path).sort()).toEqual(["stderr.txt", "stdout.txt"]);
    const logged = await readFile(join(await getArtifactLocalPath(runId, { trackingUri: join(dir, "mlruns") }), "stdout.txt"), "utf8");
    expect(logged).toBe(`run=${runId}\n`);
  });

  it.runIf(hasShared(...SAMPLE_MODEL))("registers, gates, promotes, aliases, rolls back, and predicts through models:/ URIs", async () => {
    const booster = Booster.fromString(await readFile(sharedPath(...SAMPLE_MODEL), "utf8"));
    const trackingUri = join(dir, "mlruns");
    const runs: string[] = [];
    for (const [i, f1] of ["0.80", "0.92"].entries()) {
      const run = await startRun(`model-${i}`);
      await larder("track", "log-metric", run, "f1_macro", f1);
      await saveLightGBMModel(join(await getArtifactLocalPath(run, { trackingUri }), "model"), booster, {
        inputs: booster.featureNames.map((name) => ({ name, type: "double", required: true })),
        runId: run,
      });
      await larder("track", "end", run);
      const reg = await larder("registry", "register", `runs:/${run}/model`, "activity");
      expect(reg.exitCode, reg.stderr).toBe(0);
      expect((JSON.parse(reg.stdout) as { version: number }).version).toBe(i + 1);
      runs.push(run);
    }
    const gated = await larder("registry", "transition", "activity", "1", "Production", "--require", "metrics.f1_macro >= 0.9");
    expect(gated.exitCode).toBe(1);
    expect(gated.stderr).toContain("0.8");
    expect((await larder("registry", "transition", "activity", "1", "Staging")).exitCode).toBe(0);
    expect((await larder("registry", "transition", "activity", "1", "Production")).exitCode).toBe(0);
    const promoted = await larder("registry", "transition", "activity", "2", "Production", "--archive-existing", "--require", "metrics.f1_macro >= 0.9");
    expect(promoted.exitCode, promoted.stderr).toBe(0);
    expect((await larder("registry", "alias", "activity", "champion", "2")).exitCode).toBe(0);

    const described = JSON.parse((await larder("registry", "describe", "activity")).stdout) as { versions: Array<{ version: number; currentStage: string; aliases: string[] }> };
    expect(described.versions.map((v) => [v.version, v.currentStage, v.aliases])).toEqual([[1, "Archived", []], [2, "Production", ["champion"]]]);

    const input = join(dir, "rows.csv");
    await (await import("node:fs/promises")).writeFile(input, "accel_x,accel_y,accel_z,heart_rate\n0.1,0.2,9.8,70.0\n");
    const predicted = await larder("predict", "-m", "models:/activity@champion", "-i", input, "-o", join(dir, "out.csv"));
    expect(predicted.exitCode, predicted.stderr).toBe(0);

    const rolled = await larder("registry", "rollback", "activity");
    expect(rolled.exitCode, rolled.stderr).toBe(0);
    const after = JSON.parse((await larder("registry", "describe", "activity")).stdout) as { versions: Array<{ version: number; currentStage: string }> };
    expect(after.versions.map((v) => [v.version, v.currentStage])).toEqual([[1, "Production"], [2, "Archived"]]);
    const list = JSON.parse((await larder("registry", "list")).stdout) as Array<{ name: string }>;
    expect(list.map((m) => m.name)).toEqual(["activity"]);
  });
});
