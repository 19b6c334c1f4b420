import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.js";
import { hasShared, sharedPath, tempDir } from "../helpers/paths.js";
import { ulpDistance } from "../helpers/ulp.js";

const GOLDEN = ["lightgbm", "multiclass3"];
const MLRUNS = ["mlflow", "mlruns-sample"];

/** DuckDB writes inf/nan where the golden files (Python) write Infinity/NaN. */
const toNumber = (s: string): number => (/^-?inf(inity)?$/i.test(s) ? (s.startsWith("-") ? -Infinity : Infinity) : /^nan$/i.test(s) ? NaN : Number(s));

function readCsv(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.trimEnd().split("\n");
  return { header: head!.split(","), rows: lines.map((l) => l.split(",")) };
}

describe.runIf(hasShared(...GOLDEN) && hasShared(...MLRUNS))("larder predict", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("writes LightGBM's probabilities for a model.txt, one row per input row, with kept columns", async () => {
    const out = join(dir, "pred.csv");
    const r = await runCli(["predict", "-m", sharedPath(...GOLDEN, "model.txt"), "-i", sharedPath(...GOLDEN, "input.csv"), "-o", out, "--keep", "f0"]);
    expect(r.stderr).toContain("done: Predicted 200 rows");
    expect(r.exitCode).toBe(0);
    const got = readCsv(await readFile(out, "utf8"));
    const want = readCsv(await readFile(sharedPath(...GOLDEN, "expected_prob.csv"), "utf8"));
    const input = readCsv(await readFile(sharedPath(...GOLDEN, "input.csv"), "utf8"));
    expect(got.header).toEqual(["f0", ...want.header]);
    expect(got.rows).toHaveLength(want.rows.length);
    got.rows.forEach((row, i) => {
      expect(Object.is(toNumber(row[0]!), toNumber(input.rows[i]![0]!)), `row ${i} f0`).toBe(true);
      row.slice(1).forEach((v, k) => expect(ulpDistance(Number(v), Number(want.rows[i]![k])), `row ${i} class ${k}`).toBeLessThanOrEqual(4));
    });
  });

  it("writes raw scores exactly with --raw-score", async () => {
    const out = join(dir, "raw.csv");
    const r = await runCli(["predict", "-m", sharedPath(...GOLDEN, "model.txt"), "-i", sharedPath(...GOLDEN, "input.csv"), "-o", out, "--raw-score"]);
    expect(r.exitCode).toBe(0);
    const got = readCsv(await readFile(out, "utf8"));
    const want = readCsv(await readFile(sharedPath(...GOLDEN, "expected_raw.csv"), "utf8"));
    expect(got.header).toEqual(["raw_0", "raw_1", "raw_2"]);
    got.rows.forEach((row, i) => row.forEach((v, k) => expect(Number(v), `row ${i}`).toBe(Number(want.rows[i]![k]))));
  });

  it("resolves models:/ stage and alias URIs against an MLflow store", async () => {
    const input = join(dir, "x.csv");
    await (await import("node:fs/promises")).writeFile(input, "heart_rate,accel_x,accel_y,accel_z\n70.0,0.1,0.2,9.8\n");
    for (const uri of ["models:/activity_classifier/Production", "models:/activity_classifier/1"]) {
      const out = join(dir, "q.csv");
      const r = await runCli(["predict", "-m", uri, "--tracking-uri", sharedPath(...MLRUNS), "-i", input, "-o", out]);
      expect(r.exitCode, `${uri}: ${r.stderr}`).toBe(0);
      const got = readCsv(await readFile(out, "utf8"));
      // MLflow 3.6 answered this row with [0.7880743514080307, 0.09822248771165579, 0.11370316088031357].
      expect(got.rows[0]!.map(Number).map((v, k) => ulpDistance(v, [0.7880743514080307, 0.09822248771165579, 0.11370316088031357][k]!))).toEqual([0, 0, 0]);
    }
  });

  it("streams rows in chunks: a file several chunks long gives the same output as one chunk", async () => {
    const { loadModel, predictFile } = await import("../../src/models/index.js");
    const model = await loadModel(sharedPath(...GOLDEN, "model.txt"));
    const whole = join(dir, "whole.csv");
    const chunked = join(dir, "chunked.csv");
    const progress: Array<[number, number]> = [];
    await predictFile({ model, input: sharedPath(...GOLDEN, "input.csv"), output: whole, keep: ["f5"] });
    const r = await predictFile({ model, input: sharedPath(...GOLDEN, "input.csv"), output: chunked, keep: ["f5"], chunkRows: 17, onProgress: (d, t) => progress.push([d, t]) });
    expect(r.rows).toBe(200);
    expect(progress.length).toBe(Math.ceil(200 / 17));
    expect(progress.at(-1)).toEqual([200, 200]);
    expect(await readFile(chunked, "utf8")).toBe(await readFile(whole, "utf8"));
  });

  it("names a missing feature column and rejects two output kinds at once", async () => {
    const input = join(dir, "short.csv");
    await (await import("node:fs/promises")).writeFile(input, "f0,f1\n1,2\n");
    const missing = await runCli(["predict", "-m", sharedPath(...GOLDEN, "model.txt"), "-i", input, "-o", join(dir, "o.csv")]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*missing the model's feature column\(s\): f2, f3, f4, f5, f6, f7$/m);
    const both = await runCli(["predict", "-m", sharedPath(...GOLDEN, "model.txt"), "-i", input, "-o", join(dir, "o.csv"), "--raw-score", "--pred-leaf"]);
    expect(both.exitCode).toBe(2);
  });
});
