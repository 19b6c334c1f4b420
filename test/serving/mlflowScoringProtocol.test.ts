import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/models/index.js";
import { createScoringServer, type ScoringServer } from "../../src/serving/index.js";
import { hasShared, sharedPath } from "../helpers/paths.js";
import { ulpDistance } from "../helpers/ulp.js";

// The model MLflow 3.6 served when these responses were recorded: models:/activity_classifier/1.
const MODEL_DIR = ["mlflow", "mlruns-sample", "439892257072291717", "models", "m-bbae1925e1a2484cb5c794dfb5fe9a7b", "artifacts"];
const SAMPLES = ["mlflow", "samples", "2c"];

interface RecordedCase {
  name: string;
  method: string;
  path: string;
  contentType: string;
  request: string;
  status: number;
  body: string;
}

/** Requests come from 2c.log; statuses and bodies from the byte-exact .status/.body files. */
function recordedCases(): RecordedCase[] {
  const log = readFileSync(sharedPath(...SAMPLES, "..", "2c.log"), "utf8");
  const cases: RecordedCase[] = [];
  const blocks = log.split(/^== /m).slice(1);
  for (const block of blocks) {
    const head = /^\[(\w+)\] (\w+) (\S+) \(Content-Type: ([^)]*)\)\n {3}request: ([\s\S]*?)\n {3}-> HTTP/.exec(block);
    if (!head) continue;
    const [, name, method, path, contentType, request] = head as unknown as string[];
    const dir = sharedPath(...SAMPLES);
    cases.push({
      name: name!,
      method: method!,
      path: path!,
      contentType: contentType!,
      request: request!,
      status: Number(readFileSync(join(dir, `${name}.status`), "utf8").trim()),
      body: readFileSync(join(dir, `${name}.body`), "utf8"),
    });
  }
  return cases;
}

describe.runIf(hasShared(...MODEL_DIR) && hasShared(...SAMPLES))("scoring server against real MLflow 3.6 responses", () => {
  let scoring: ScoringServer;
  let base = "";
  const cases = hasShared(...SAMPLES) ? recordedCases() : [];

  beforeAll(async () => {
    const model = await loadModel(sharedPath(...MODEL_DIR));
    scoring = createScoringServer({ model, version: "test" });
    const address = await scoring.listen(0);
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => scoring.close());

  it("has the recorded cases", () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining(["ping", "split", "records", "inputs", "instances", "csv", "int_values", "bad_json", "unknown_key", "two_keys", "missing_column", "wrong_type", "bad_content_type", "not_json_object"]),
    );
  });

  const send = (c: RecordedCase) =>
    fetch(`${base}${c.path}`, {
      method: c.method,
      headers: c.contentType ? { "content-type": c.contentType } : {},
      body: c.method === "POST" ? c.request : undefined,
    });

  // Probabilities go through exp(); V8's and glibc's differ in the last bit now and then, so the
  // bytes are compared with every number replaced, and the numbers within 4 ulp.
  it("answers successful requests as MLflow does (same bytes up to the last bits of probabilities)", async () => {
    const numbers = /-?\d+\.\d+(?:e[+-]\d+)?/g;
    let exactBodies = 0;
    for (const c of cases.filter((x) => x.status === 200 && x.name !== "version")) {
      const res = await send(c);
      expect(res.status, c.name).toBe(200);
      expect(res.headers.get("content-type"), c.name).toBe("application/json");
      const text = await res.text();
      if (text === c.body) exactBodies++;
      expect(text.replace(numbers, "#"), c.name).toBe(c.body.replace(numbers, "#"));
      const got = (text.match(numbers) ?? []).map(Number);
      const want = (c.body.match(numbers) ?? []).map(Number);
      expect(got.length, c.name).toBe(want.length);
      got.forEach((g, i) => expect(ulpDistance(g, want[i]!), `${c.name} value ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(4));
    }
    expect(exactBodies).toBeGreaterThanOrEqual(5);
  });

  it("answers malformed requests with MLflow's status and error code", async () => {
    for (const c of cases.filter((x) => x.status !== 200)) {
      const res = await send(c);
      const text = await res.text();
      expect(res.status, c.name).toBe(c.status);
      if (c.status === 415) {
        expect(text, c.name).toBe(c.body);
        continue;
      }
      const got = JSON.parse(text) as { error_code: string; message: string };
      const want = JSON.parse(c.body) as { error_code: string; message: string };
      expect(got.error_code, c.name).toBe(want.error_code);
      if (["unknown_key", "two_keys", "not_json_object", "wrong_type"].includes(c.name)) expect(got.message, c.name).toBe(want.message);
    }
  });

  it("names the missing column, as MLflow does", async () => {
    const res = await fetch(`${base}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ dataframe_records: [{ accel_x: 0.1, accel_y: 0.2, accel_z: 9.8 }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain("Model is missing inputs ['heart_rate'].");
  });
});
