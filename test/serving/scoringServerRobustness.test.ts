import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, LoadedModel } from "../../src/models/index.js";
import { createScoringServer, type ScoringServer } from "../../src/serving/index.js";
import { hasShared, sharedPath } from "../helpers/paths.js";

const MODEL_DIR = ["mlflow", "mlruns-sample", "439892257072291717", "models", "m-bbae1925e1a2484cb5c794dfb5fe9a7b", "artifacts"];

/** Sends raw bytes over TCP and returns whatever the server answers before closing. */
function rawExchange(port: number, chunks: string[], options: { endAfter?: boolean; waitMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => (answer += d.toString()));
    socket.on("close", () => resolve(answer));
    socket.on("error", () => resolve(answer));
    socket.on("connect", () => {
      for (const c of chunks) socket.write(c);
      if (options.endAfter) socket.end();
      if (options.waitMs !== undefined) setTimeout(() => socket.destroy(), options.waitMs);
    });
  });
}

describe.runIf(hasShared(...MODEL_DIR))("scoring server robustness", () => {
  let scoring: ScoringServer;
  let port = 0;
  let base = "";
  const rows = { dataframe_split: { columns: ["accel_x", "accel_y", "accel_z", "heart_rate"], data: [[0.1, 0.2, 9.8, 70.0]] } };
  const post = (body: string, contentType = "application/json", path = "/invocations") =>
    fetch(`${base}${path}`, { method: "POST", headers: { "content-type": contentType }, body });

  beforeAll(async () => {
    const model = await loadModel(sharedPath(...MODEL_DIR));
    const labelled = new LoadedModel(model.source, model.booster, model.signature, ["Lying", "Sitting", "Running"], model.mlmodel);
    scoring = createScoringServer({ model: labelled, version: "1.2.3", bodyLimitBytes: 4096, requestTimeoutMs: 1500 });
    port = (await scoring.listen(0)).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => scoring.close());

  const stillServes = async () => {
    const res = await post(JSON.stringify(rows));
    expect(res.status).toBe(200);
  };

  it("answers /version, unknown paths and wrong methods", async () => {
    expect(await (await fetch(`${base}/version`)).text()).toBe("1.2.3");
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    const wrongMethod = await fetch(`${base}/invocations`);
    expect(wrongMethod.status).toBe(405);
  });

  it("answers a request target that is not a URL with 404 and keeps serving", async () => {
    const answer = await rawExchange(port, ["GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect(answer).toContain('{"detail":"Not Found"}');
    await stillServes();
  });

  it("returns label names with ?output=label", async () => {
    const res = await post(JSON.stringify(rows), "application/json", "/invocations?output=label");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ predictions: ["Lying"] });
    const bad = await post(JSON.stringify(rows), "application/json", "/invocations?output=banana");
    expect(bad.status).toBe(400);
  });

  it("refuses a body over the limit with 413 and keeps serving", async () => {
    const huge = JSON.stringify({ dataframe_records: Array.from({ length: 500 }, () => ({ accel_x: 1, accel_y: 2, accel_z: 3, heart_rate: 4 })) });
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error_code: string }).error_code).toBe("BAD_REQUEST");
    await stillServes();
  });

  it("survives a truncated body, a malformed request line and invalid UTF-8", async () => {
    await rawExchange(port, ["POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"dataframe"], { waitMs: 50 });
    const malformed = await rawExchange(port, ["GARBAGE\r\n\r\n"], { endAfter: true });
    expect(malformed).toMatch(/^HTTP\/1\.1 400/);
    const invalidUtf8 = await fetch(`${base}/invocations`, { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(invalidUtf8.status).toBe(400);
    await stillServes();
  });

  it("answers a client that is too slow to send its body with 408", async () => {
    const answer = await rawExchange(port, ["POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"], { waitMs: 4000 });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await stillServes();
  });

  it("rejects unnamed rows of the wrong width and accepts them when the width matches", async () => {
    const wrong = await post(JSON.stringify({ inputs: [[1, 2, 3]] }));
    expect(wrong.status).toBe(400);
    const right = await post(JSON.stringify({ inputs: [[0.1, 0.2, 9.8, 70.0]] }));
    expect(right.status).toBe(200);
    expect(((await right.json()) as { predictions: number[][] }).predictions[0]).toHaveLength(3);
  });

  it("takes numbers in strings as pandas does and refuses words", async () => {
    const ok = await post(JSON.stringify({ dataframe_records: [{ accel_x: "0.1", accel_y: 0.2, accel_z: 9.8, heart_rate: "70" }] }));
    expect(ok.status).toBe(200);
    const word = await post(JSON.stringify({ dataframe_records: [{ accel_x: "fast", accel_y: 0.2, accel_z: 9.8, heart_rate: 70 }] }));
    expect(word.status).toBe(400);
    expect(((await word.json()) as { message: string }).message).toContain("Failed to convert column accel_x to type 'float64'");
  });

  it("survives a seeded fuzz loop: every malformed body gets a 4xx answer and the server stays up", async () => {
    const { SeededRandom } = await import("../../src/core/random.js");
    const rng = new SeededRandom(11);
    const valid = JSON.stringify(rows);
    const pieces = ['{"', '"}', "[", "]", ",", ":", "null", "1e999", '"dataframe_split"', '"data"', '"columns"', '"inputs"', '"instances"', '"dataframe_records"', "{}", "-", "\\u0000", "true", "NaN", '"heart_rate"'];
    let refused = 0;
    for (let i = 0; i < 150; i++) {
      let body: string;
      const mode = i % 3;
      if (mode === 0) body = valid.slice(0, rng.int(0, valid.length - 1));
      else if (mode === 1) {
        const chars = valid.split("");
        for (let k = 0; k < 4; k++) chars[rng.int(0, chars.length - 1)] = rng.pick(pieces);
        body = chars.join("");
      } else body = Array.from({ length: rng.int(1, 12) }, () => rng.pick(pieces)).join("");
      const res = await post(body, rng.chance(0.1) ? "text/csv" : "application/json");
      const text = await res.text();
      if (res.status === 200) {
        expect(() => JSON.parse(text), body).not.toThrow();
        continue;
      }
      refused++;
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
      if (!res.headers.get("content-type")!.startsWith("text/plain")) expect(() => JSON.parse(text), body).not.toThrow();
    }
    expect(refused).toBeGreaterThan(100);
    await stillServes();
  });

  it("refuses content-type parameters other than charset=utf-8 with 415", async () => {
    expect((await post(JSON.stringify(rows), "application/json; charset=latin-1")).status).toBe(415);
    expect((await post(JSON.stringify(rows), "application/json; format=pandas-split")).status).toBe(415);
    expect((await post(JSON.stringify(rows), "application/json; charset=UTF-8")).status).toBe(200);
  });
});
