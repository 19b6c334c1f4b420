import { existsSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FeatureStore } from "../../src/featurestore/FeatureStore.js";
import { createFeatureServer } from "../../src/featurestore/index.js";
import { stringifyOnlineResponse } from "../../src/featurestore/online/onlineResponse.js";
import { at, FEATURES_TS, writeActivityRepo } from "./helpers/activityRepo.js";
import { spawnLarderServer } from "../helpers/spawnServer.js";
import { larderModuleForTests } from "./helpers/larderModule.js";
import { REPO_ROOT } from "./helpers/paths.js";

/** The activity repo with heart_stats fed by a push source whose batch source is the heart Parquet file. */
const PUSH_FEATURES_TS = FEATURES_TS.replace("import {", "import { PushSource,").replace(
  "  source: heartSource,\n  aggregations",
  '  source: new PushSource({ name: "heart_push", batchSource: heartSource }),\n  aggregations',
);
const ZERO = "1970-01-01T00:00:00Z";
const NOW = () => new Date(at(0));
const BODY_LIMIT = 64 * 1024;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** A repo in a temp folder, applied, with a server over it (bound to 127.0.0.1, port chosen by the OS). */
async function startRepo(options: { apply?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "larder-fserver-"));
  await writeActivityRepo(dir, PUSH_FEATURES_TS);
  const store = await FeatureStore.open(dir, { larderModule: await larderModuleForTests() });
  if (options.apply !== false) await store.apply();
  const featureServer = createFeatureServer(store, { now: NOW, bodyLimitBytes: BODY_LIMIT, requestTimeoutMs: 2000 });
  const address = await featureServer.listen(0);
  const base = `http://127.0.0.1:${address.port}`;
  const send = async (method: string, path: string, body?: string | object): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const post = (path: string, body: string | object) => send("POST", path, body);
  const stop = async () => {
    await featureServer.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, store, featureServer, address, base, send, post, stop };
}

type Repo = Awaited<ReturnType<typeof startRepo>>;

const readHeart = (repo: Repo, ids: number[]) =>
  repo.post("/get-online-features", { features: ["heart_stats:heart_rate"], entities: { participant_id: ids } }).then((a) => {
    expect(a.status).toBe(200);
    return JSON.parse(a.text) as { results: { values: unknown[]; statuses: string[] }[] };
  });

/** The error body names the problem: `{error_code, message}`. */
function expectError(answer: Answer, status: number, message: RegExp | string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/json");
  const body = JSON.parse(answer.text) as { error_code: string; message: string };
  expect(typeof body.error_code).toBe("string");
  if (typeof message === "string") expect(body.message).toContain(message);
  else expect(body.message).toMatch(message);
}

describe("feature server: online reads and bad requests", () => {
  let repo: Repo;
  beforeAll(async () => {
    repo = await startRepo();
    // Wide enough to take in the profile rows (a month old) as well as the heart rows.
    await repo.store.materialize(at(-60 * 24 * 40), at(0));
  });
  afterAll(() => repo.stop());

  const stillServes = async () => {
    const body = await readHeart(repo, [1]);
    expect(body.results[1]!.values).toEqual([80]);
  };

  it("answers Feast's response JSON exactly for present, stale and missing entities", async () => {
    const answer = await repo.post("/get-online-features", {
      features: ["heart_stats:heart_rate", "heart_stats:steps"],
      entities: { participant_id: [1, 4, 3, 2] },
      full_feature_names: false,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/json");
    const four = (v: string) => [v, v, v, v];
    expect(answer.text).toBe(
      JSON.stringify({
        results: [
          { values: [1, 4, 3, 2], statuses: four("PRESENT"), event_timestamps: four(ZERO) },
          {
            values: [80, null, 99, 56.5],
            statuses: ["PRESENT", "NOT_FOUND", "OUTSIDE_MAX_AGE", "PRESENT"],
            event_timestamps: ["2026-03-01T11:50:00Z", ZERO, "2026-03-01T09:00:00Z", "2026-03-01T11:40:00Z"],
          },
          {
            values: [300, null, 9, 11],
            statuses: ["PRESENT", "NOT_FOUND", "OUTSIDE_MAX_AGE", "PRESENT"],
            event_timestamps: ["2026-03-01T11:50:00Z", ZERO, "2026-03-01T09:00:00Z", "2026-03-01T11:40:00Z"],
          },
        ],
        metadata: { feature_names: ["participant_id", "heart_rate", "steps"] },
      }),
    );
  });

  it("prefixes names with the view under full_feature_names", async () => {
    const answer = await repo.post("/get-online-features", {
      features: ["heart_stats:heart_rate", "profile:age"],
      entities: { participant_id: [2] },
      full_feature_names: true,
    });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as { metadata: { feature_names: string[] }; results: { values: unknown[] }[] };
    expect(body.metadata.feature_names).toEqual(["participant_id", "heart_stats__heart_rate", "profile__age"]);
    expect(body.results.map((r) => r.values)).toEqual([[2], [56.5], [51]]);
  });

  it("serves a feature service, which wins over a features list, as the in-process read does", async () => {
    const entities = { participant_id: [1, 2, 7] };
    const answer = await repo.post("/get-online-features", { feature_service: "activity_model_v1", features: ["profile:gender"], entities });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as { metadata: { feature_names: string[] }; results: { values: unknown[] }[] };
    expect(body.metadata.feature_names).toEqual(["participant_id", "heart_rate", "mean_heart_rate_1800s", "age", "gender", "hr_times_steps"]);
    expect(body.results[3]!.values).toEqual([35, 51, null]);
    expect(body.results[4]!.values).toEqual(["f", "m", null]);
    const inProcess = await repo.store.getOnlineFeatures({ featureService: "activity_model_v1", entityRows: entities, now: NOW() });
    expect(answer.text).toBe(stringifyOnlineResponse(inProcess));
  });

  it("answers GET /health with 200 and an empty body", async () => {
    const answer = await repo.send("GET", "/health");
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
  });

  it("refuses malformed JSON with 400, and bodies of the wrong shape with 422, naming the problem", async () => {
    expectError(await repo.post("/get-online-features", '{"features": ["heart_stats:heart_rate"], "entities": {'), 400, "not valid JSON");
    await stillServes();
    expectError(await repo.post("/get-online-features", "[1, 2]"), 422, "must be a JSON object");
    expectError(await repo.post("/get-online-features", { features: ["heart_stats:heart_rate"] }), 422, "entities is required");
    expectError(await repo.post("/get-online-features", { features: "heart_stats:heart_rate", entities: { participant_id: [1] } }), 422, "features must be a list of strings");
    expectError(await repo.post("/get-online-features", { features: ["heart_stats:heart_rate"], entities: { participant_id: 1 } }), 422, "entities.participant_id must be a list");
    expectError(
      await repo.post("/get-online-features", { features: ["heart_stats:heart_rate"], entities: { participant_id: [1] }, full_feature_names: "yes" }),
      422,
      "full_feature_names must be true or false",
    );
    await stillServes();
  });

  it("answers unknown views, features and services with 404 and Feast's message, and bad requests with 400", async () => {
    const entities = { participant_id: [1] };
    expectError(await repo.post("/get-online-features", { features: ["nope:x"], entities }), 404, "Feature view nope does not exist in project activity");
    expectError(await repo.post("/get-online-features", { feature_service: "nope", entities }), 404, "Feature service nope does not exist in project activity");
    expectError(await repo.post("/get-online-features", { features: ["heart_stats:nope"], entities }), 404, "Feature nope does not exist in feature view heart_stats");
    expectError(await repo.post("/get-online-features", { features: ["heart_stats"], entities }), 400, "must look like view:feature");
    expectError(await repo.post("/get-online-features", { entities }), 400, "Name at least one feature");
    expectError(await repo.post("/get-online-features", { features: ["heart_stats:heart_rate"], entities: { user_id: [1] } }), 400, "Missing join key participant_id");
    expectError(
      await repo.post("/get-online-features", { features: ["heart_stats:heart_rate"], entities: { participant_id: [1, 2], user_id: [1] } }),
      400,
      "all of the same length",
    );
    await stillServes();
  });

  it("answers wrong methods with 405 and unknown paths with 404", async () => {
    const wrong = await repo.send("GET", "/get-online-features");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(JSON.parse(wrong.text)).toEqual({ detail: "Method Not Allowed" });
    expect((await repo.post("/health", {})).status).toBe(405);
    const missing = await repo.send("GET", "/get-online-feature");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({ detail: "Not Found" });
    // The query string is not part of the path.
    expect((await repo.send("GET", "/health?x=1")).status).toBe(200);
    await stillServes();
  });

  it("refuses oversize bodies with 413, whether announced by content-length or streamed", async () => {
    const big = JSON.stringify({ features: ["heart_stats:heart_rate"], entities: { participant_id: new Array(BODY_LIMIT).fill(1) } });
    expectError(await repo.post("/get-online-features", big), 413, `limit of ${BODY_LIMIT} bytes`);
    await stillServes();
    const streamed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${repo.base}/get-online-features`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      });
      req.on("error", reject);
      // No content-length: chunked, so the limit is found while reading.
      for (let i = 0; i < 4; i++) req.write(big.slice((i * big.length) / 4, ((i + 1) * big.length) / 4));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text).message).toContain(`exceeds the limit of ${BODY_LIMIT} bytes`);
    await stillServes();
  });

  it("survives invalid UTF-8, garbage request lines and clients that hang up mid-body", async () => {
    const invalidUtf8 = await fetch(`${repo.base}/get-online-features`, { method: "POST", body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(invalidUtf8.status).toBe(400);
    expect(((await invalidUtf8.json()) as { message: string }).message).toContain("not valid UTF-8");
    const raw = (payload: string, hangUp = false) =>
      new Promise<string>((resolve) => {
        const socket = connect(repo.address.port, "127.0.0.1");
        let answer = "";
        socket.on("data", (d) => (answer += d.toString()));
        socket.on("close", () => resolve(answer));
        socket.on("error", () => resolve(answer));
        socket.on("connect", () => {
          socket.write(payload);
          if (hangUp) setTimeout(() => socket.destroy(), 50);
        });
      });
    expect(await raw("GARBAGE / HTTP/1.1\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
    await raw("POST /get-online-features HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{\"features\":", true);
    await stillServes();
  });
});

describe("feature server: push and materialize", () => {
  let repo: Repo;
  beforeEach(async () => {
    repo = await startRepo();
  });
  afterEach(() => repo.stop());

  it("materializes a window over HTTP (200, body null), after which the values are served", async () => {
    expect((await readHeart(repo, [1])).results[1]!.statuses).toEqual(["NOT_FOUND"]);
    const answer = await repo.post("/materialize", { start_ts: at(-240), end_ts: at(0), feature_views: ["heart_stats"] });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("null");
    const body = await readHeart(repo, [1, 2]);
    expect(body.results[1]!.values).toEqual([80, 56.5]);
    const profile = await repo.post("/get-online-features", { features: ["profile:age"], entities: { participant_id: [1] } });
    // Only heart_stats was named.
    expect((JSON.parse(profile.text) as { results: { statuses: string[] }[] }).results[1]!.statuses).toEqual(["NOT_FOUND"]);
  });

  it("materializes incrementally up to end_ts", async () => {
    const answer = await repo.post("/materialize-incremental", { end_ts: at(0), feature_views: null });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("null");
    expect((await readHeart(repo, [1, 2])).results[1]!.values).toEqual([80, 56.5]);
    // First run: from end - ttl (1 h) to end, recorded so the next run continues from there.
    const intervals = (await repo.store.registry.read())!.meta.featureViews["heart_stats"]!.materializationIntervals;
    expect(intervals?.map((i) => Date.parse(i.end) - Date.parse(i.start))).toEqual([3_600_000]);
    expect(Date.parse(intervals![0]!.end)).toBe(Date.parse(at(0)));
  });

  it("materializes in the background with ?async=true: 202, then 409 for a view still running unless force=true", async () => {
    const window = { start_ts: at(-240), end_ts: at(0), feature_views: ["heart_stats"] };
    const first = await repo.post("/materialize?async=true", window);
    expect(first.status).toBe(202);
    expect(JSON.parse(first.text)).toEqual({ status: "accepted", feature_views: ["heart_stats"] });
    // The first run reads Parquet through DuckDB; it is still going when this loopback request arrives.
    const second = await repo.post("/materialize-incremental?async=true", { end_ts: at(0) });
    expect(second.status).toBe(409);
    expect(JSON.parse(second.text)).toEqual({ error: expect.stringContaining("heart_stats are already being materialized"), feature_views: ["heart_stats", "profile"] });
    expectError(await repo.post("/materialize?async=true", { ...window, feature_views: ["nope"] }), 404, "Feature view nope does not exist");
    expectError(await repo.post("/materialize?async=true", { ...window, start_ts: at(10) }), 400, "after its end");
    expect((await repo.post("/materialize?async=1&force=true", window)).status).toBe(202);
    for (let tries = 0; tries < 100; tries++) {
      if ((await readHeart(repo, [1])).results[1]!.values[0] === 80) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await readHeart(repo, [1, 2])).results[1]!.values).toEqual([80, 56.5]);
  });

  it("refuses bad materialize requests with 4xx and keeps serving", async () => {
    expectError(await repo.post("/materialize", { start_ts: at(-240), end_ts: at(0), feature_views: ["nope"] }), 404, "Feature view nope does not exist in project activity");
    expectError(await repo.post("/materialize", { end_ts: at(0) }), 422, "start_ts is required");
    expectError(await repo.post("/materialize", { start_ts: at(0), end_ts: at(-10) }), 400, "after its end");
    expectError(await repo.post("/materialize", { start_ts: "yesterday", end_ts: at(0) }), 400, "is not a timestamp");
    expectError(await repo.post("/materialize", { start_ts: "2026-01-01", end_ts: "2026-13-45" }), 400, 'end_ts "2026-13-45" is not a valid date and time');
    expectError(await repo.post("/materialize-incremental", { end_ts: "2026-02-29T12:00:00Z" }), 400, "is not a valid date and time");
    expectError(await repo.post("/materialize", { start_ts: 1, end_ts: 2 }), 422, "start_ts must be a string");
    expectError(await repo.post("/materialize-incremental", { feature_views: ["heart_stats"] }), 422, "end_ts is required");
    expectError(await repo.post("/materialize-incremental", { end_ts: at(0), feature_views: "heart_stats" }), 422, "feature_views must be a list of strings");
    expect((await readHeart(repo, [1])).results[1]!.statuses).toEqual(["NOT_FOUND"]);
  });

  it("pushes rows online (200, empty body), then serves them", async () => {
    const answer = await repo.post("/push", {
      push_source_name: "heart_push",
      df: { participant_id: [5, 5], event_timestamp: [at(-2), at(-1)], created: [null, null], heart_rate: [50, 51], steps: [9, 10] },
      to: "online",
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    const body = await readHeart(repo, [5]);
    expect(body.results[1]!.values).toEqual([51]);
    expect(body.results[1]!.statuses).toEqual(["PRESENT"]);
  });

  it("pushes rows offline only, where historical retrieval sees them and online reads do not", async () => {
    const answer = await repo.post("/push", {
      push_source_name: "heart_push",
      df: { participant_id: [9], event_timestamp: [at(-1)], created: [at(-1)], heart_rate: [42.5], steps: [3] },
      to: "offline",
    });
    expect(answer.status).toBe(200);
    expect((await readHeart(repo, [9])).results[1]!.statuses).toEqual(["NOT_FOUND"]);
    const job = await repo.store.getHistoricalFeatures({ features: ["heart_stats:heart_rate"], entities: [{ participant_id: 9, event_timestamp: at(0) }] });
    try {
      expect((await job.toRows()).map((r) => r.heart_rate)).toEqual([42.5]);
    } finally {
      await job.close();
    }
  });

  it("refuses unknown push sources (404), bad targets (422) and rows without the timestamp (400)", async () => {
    const df = { participant_id: [5], event_timestamp: [at(-1)], created: [null], heart_rate: [50], steps: [9] };
    expectError(await repo.post("/push", { push_source_name: "nope", df }), 404, "Push source nope does not exist in project activity");
    expectError(await repo.post("/push", { push_source_name: "heart_push", df, to: "both" }), 422, "to must be one of online, offline, online_and_offline");
    expectError(await repo.post("/push", { df }), 422, "push_source_name is required");
    expectError(await repo.post("/push", { push_source_name: "heart_push", df: { participant_id: [5], heart_rate: [50] } }), 400, "lack the timestamp column event_timestamp");
    expect((await readHeart(repo, [5])).results[1]!.statuses).toEqual(["NOT_FOUND"]);
  });
});

describe("feature server: a registry changed by another process", () => {
  it("serves the re-applied definitions, both over HTTP and from the long-lived store, within a registry recheck", async () => {
    const repo = await startRepo();
    try {
      await repo.store.materialize(at(-60 * 24 * 40), at(0));
      const request = { features: ["heart_stats:heart_rate", "heart_stats:steps"], entities: { participant_id: [3] } };
      const statusesOf = async () => (JSON.parse((await repo.post("/get-online-features", request)).text) as { results: { statuses: string[] }[] }).results[1]!.statuses;
      const inProcessStatuses = async () => (await repo.store.getOnlineFeatures({ ...request, entityRows: request.entities, now: NOW() })).results[1]!.statuses;
      // Participant 3's latest heart row is three hours old: stale under ttl 1h, and answered twice so the request is cached.
      expect(await statusesOf()).toEqual(["OUTSIDE_MAX_AGE"]);
      expect(await statusesOf()).toEqual(["OUTSIDE_MAX_AGE"]);
      expect(await inProcessStatuses()).toEqual(["OUTSIDE_MAX_AGE"]);

      // `larder fs apply` from another process: a separate store over the same repo, with no age limit on heart_stats.
      await writeFile(join(repo.dir, "features.ts"), PUSH_FEATURES_TS.replace('ttl: "1h"', "ttl: 0"));
      const other = await FeatureStore.open(repo.dir, { larderModule: await larderModuleForTests() });
      try {
        await other.apply();
      } finally {
        await other.close();
      }

      const deadline = Date.now() + 5000;
      while ((await statusesOf())[0] !== "PRESENT" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await statusesOf()).toEqual(["PRESENT"]);
      expect(await inProcessStatuses()).toEqual(["PRESENT"]);
    } finally {
      await repo.stop();
    }
  });
});

describe("feature server: health", () => {
  it("answers 503 while nothing has been applied, and 200 once it has", async () => {
    const repo = await startRepo({ apply: false });
    try {
      const before = await repo.send("GET", "/health");
      expect(before.status).toBe(503);
      expect(JSON.parse(before.text).message).toContain("cannot be read");
      await repo.store.apply();
      expect((await repo.send("GET", "/health")).status).toBe(200);
    } finally {
      await repo.stop();
    }
  });

  it("binds 127.0.0.1 unless told otherwise", async () => {
    const repo = await startRepo({ apply: false });
    try {
      expect(repo.address.address).toBe("127.0.0.1");
    } finally {
      await repo.stop();
    }
  });
});

const builtWithFsServe = existsSync(join(REPO_ROOT, "dist", "cli", "commands", "fsServe.js"));

describe.runIf(builtWithFsServe)("larder fs serve (subprocess)", () => {
  it("prints the URL with --json, serves the repo given by -c, and exits 0 on SIGTERM", async () => {
    const dir = await mkdtemp(join(tmpdir(), "larder-fserve-cli-"));
    try {
      await writeActivityRepo(dir, PUSH_FEATURES_TS);
      const store = await FeatureStore.open(dir, { larderModule: await larderModuleForTests() });
      await store.apply();
      await store.materialize(at(-240), at(0));
      await store.close();
      const server = await spawnLarderServer(["fs", "-c", dir, "serve", "-p", "0", "--body-limit", "1000"]);
      const url = server.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await fetch(`${url}/get-online-features`, {
        method: "POST",
        body: JSON.stringify({ features: ["heart_stats:steps"], entities: { participant_id: [2, 8] } }),
      });
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { results: { values: unknown[]; statuses: string[] }[] };
      expect(body.results[1]!.values).toEqual([11, null]);
      expect(body.results[1]!.statuses[1]).toBe("NOT_FOUND");
      const oversize = await fetch(`${url}/get-online-features`, { method: "POST", body: "x".repeat(1001) });
      expect(oversize.status).toBe(413);
      expect(await server.stop()).toBe(0);
      expect(server.stderr()).toContain("SIGTERM: finishing in-flight requests");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
