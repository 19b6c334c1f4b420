import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Booster } from "../../src/gbdt/index.js";
import { saveLightGBMModel } from "../../src/models/index.js";
import { getModelRegistry } from "../../src/registry/index.js";
import { createScoringServer, ModelSource, PredictionLog, predictionLogSql, VARIANT_HEADER, type ScoringServer } from "../../src/serving/index.js";
import { Duck } from "../../src/core/duckdb.js";
import { hasShared, sharedPath, tempDir } from "../helpers/paths.js";

const SAMPLE = ["mlflow", "mlruns-sample", "439892257072291717", "models"];
const MODEL_A = [...SAMPLE, "m-bbae1925e1a2484cb5c794dfb5fe9a7b", "artifacts", "model.lgb"];
const MODEL_B = [...SAMPLE, "m-65bcb80bb56340f088c28469bbe86961", "artifacts", "model.lgb"];
const row = { dataframe_split: { columns: ["accel_x", "accel_y", "accel_z", "heart_rate"], data: [[2.89, -0.89, 9.77, 120.0]] } };

describe.runIf(hasShared(...MODEL_A) && hasShared(...MODEL_B))("variants, reload and the prediction log", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let trackingUri = "";
  let server: ScoringServer | null = null;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    trackingUri = join(dir, "mlruns");
    const registry = getModelRegistry(trackingUri);
    for (const [i, file] of [MODEL_A, MODEL_B].entries()) {
      const booster = Booster.fromString(await readFile(sharedPath(...file), "utf8"));
      const modelDir = join(dir, `model-${i}`);
      await saveLightGBMModel(modelDir, booster, { inputs: booster.featureNames.map((name) => ({ name, type: "double", required: true })) });
      await registry.registerModel(modelDir, "activity");
    }
    await registry.transitionModelVersionStage("activity", 1, "Production");
    await registry.transitionModelVersionStage("activity", 2, "Staging");
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  const predict = async (base: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/invocations`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(row) });
    expect(res.status).toBe(200);
    return { variant: res.headers.get(VARIANT_HEADER), predictions: ((await res.json()) as { predictions: number[][] }).predictions[0]! };
  };

  it("picks up a new Production version on POST /reload, without a restart", async () => {
    const source = await ModelSource.open("models:/activity/Production", trackingUri);
    expect(source.current.version).toBe(1);
    server = createScoringServer({ model: source, version: "t" });
    const base = `http://127.0.0.1:${(await server.listen(0)).port}`;
    const before = await predict(base);

    await getModelRegistry(trackingUri).transitionModelVersionStage("activity", 2, "Production", { archiveExisting: true });
    const reload = await fetch(`${base}/reload`, { method: "POST" });
    expect(await reload.json()).toEqual({ variants: [{ variant: "default", version: 2, changed: true }] });
    const after = await predict(base);
    expect(after.predictions).not.toEqual(before.predictions);
    const again = await fetch(`${base}/reload`, { method: "POST" });
    expect(await again.json()).toEqual({ variants: [{ variant: "default", version: 2, changed: false }] });
    await server.close();
    server = null;
  });

  it("splits traffic between variants, sticky per entity, and logs each request with its variant and version", async () => {
    const log = await PredictionLog.open(join(dir, "log"), { flushIntervalMs: 20 });
    const variants = [
      { name: "champion", weight: 50, source: await ModelSource.open("models:/activity/1", trackingUri) },
      { name: "challenger", weight: 50, source: await ModelSource.open("models:/activity/2", trackingUri) },
    ];
    let i = 0;
    server = createScoringServer({ model: variants, version: "t", log, random: () => (i++ % 2 === 0 ? 0.1 : 0.9) });
    const base = `http://127.0.0.1:${(await server.listen(0)).port}`;
    const seen = new Set<string>();
    for (let k = 0; k < 6; k++) seen.add((await predict(base)).variant!);
    expect(seen).toEqual(new Set(["champion", "challenger"]));
    const sticky = await predict(base, { "x-larder-entity-key": "participant_id=42" });
    for (let k = 0; k < 5; k++) expect((await predict(base, { "x-larder-entity-key": "participant_id=42" })).variant).toBe(sticky.variant);
    await server.close();
    server = null;

    const sql = await predictionLogSql(join(dir, "log"));
    const rows = await Duck.with((duck) => duck.all<{ variant: string; model_version: bigint; n: bigint }>(`SELECT variant, model_version, count(*) AS n FROM ${sql} GROUP BY ALL ORDER BY 1`));
    const total = rows.reduce((s, r) => s + Number(r.n), 0);
    expect(total).toBe(12);
    expect(rows.map((r) => [r.variant, Number(r.model_version)])).toEqual([["challenger", 2], ["champion", 1]]);
  });
});
