import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Entity } from "../../src/featurestore/definitions/Entity.js";
import { Field } from "../../src/featurestore/definitions/Field.js";
import { FeatureView } from "../../src/featurestore/definitions/FeatureView.js";
import { FileSource } from "../../src/featurestore/definitions/FileSource.js";
import { Float32, Int32, Int64, String as StringType } from "../../src/featurestore/definitions/dtypes.js";
import { resolveRepo } from "../../src/featurestore/definitions/resolveRepo.js";
import type { FeatureViewSpec } from "../../src/featurestore/definitions/specs.js";
import { selectFeatures } from "../../src/featurestore/featureRefs.js";
import { serializeEntityKey } from "../../src/featurestore/online/entityKey.js";
import { getOnlineFeatures } from "../../src/featurestore/online/getOnlineFeatures.js";
import { LmdbOnlineStore } from "../../src/featurestore/online/LmdbOnlineStore.js";
import { stringifyOnlineResponse } from "../../src/featurestore/online/onlineResponse.js";
import { ONLINE_STORE_TYPES } from "../../src/featurestore/online/onlineStoreTypes.js";
import { formatEpochMicros, toEpochMicros } from "../../src/featurestore/time.js";
import { withTempDir } from "./helpers/paths.js";

const driver = new Entity({ name: "driver", joinKeys: ["driver_id"] });
const specs = resolveRepo(
  [
    new FeatureView({
      name: "driver_stats",
      entities: [driver],
      ttl: "1h",
      schema: [
        new Field({ name: "driver_id", dtype: Int32 }),
        new Field({ name: "conv_rate", dtype: Float32 }),
        new Field({ name: "trips", dtype: Int64 }),
        new Field({ name: "city", dtype: StringType }),
      ],
      source: new FileSource({ name: "s", path: "s.parquet", timestampField: "ts" }),
    }),
  ],
  "test",
).specs;
const view = specs.featureViews[0]!;
const T = toEpochMicros("2026-03-01T12:00:00Z");
const key = (id: unknown) => serializeEntityKey({ driver_id: id }, { driver_id: "Int32" });

async function withStore(fn: (store: LmdbOnlineStore, dir: string) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const store = await LmdbOnlineStore.open("proj", join(dir, "data", "online_store.lmdb"));
    try {
      await fn(store, dir);
    } finally {
      await store.close().catch(() => {});
    }
  });
}

describe("entity keys", () => {
  it("match Feast's serialization v3 byte for byte", () => {
    const bytes = serializeEntityKey({ driver_id: 1001 }, { driver_id: "Int64" });
    expect(Buffer.from(bytes).toString("hex")).toBe("01000000" + "02000000" + "09000000" + Buffer.from("driver_id").toString("hex") + "04000000" + "08000000" + "e903000000000000");
  });

  it("coerce values to the declared type, so 3, 3n and '3' are one key", () => {
    expect(key(3)).toEqual(key(3n));
    expect(key("3")).toEqual(key(3));
    expect(() => key("three")).toThrow(/driver_id="three" is not a valid Int32 value/);
    expect(() => key(2 ** 31)).toThrow(/not a valid Int32/);
  });

  it("write every Int64 as its 8 two's-complement bytes, whether given as a number, a bigint or a string", () => {
    const int64 = (n: bigint) => {
      const bytes = Buffer.alloc(8);
      bytes.writeBigInt64LE(n);
      return bytes.toString("hex");
    };
    const payload = (value: unknown) => Buffer.from(serializeEntityKey({ id: value }, { id: "Int64" })).subarray(-8).toString("hex");
    const edges = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    for (const n of edges) {
      expect(payload(n), String(n)).toBe(int64(n));
      expect(payload(String(n)), String(n)).toBe(int64(n));
      if (Number.isSafeInteger(Number(n))) expect(payload(Number(n)), String(n)).toBe(int64(n));
    }
    expect(payload(2 ** 60)).toBe(int64(2n ** 60n));
    expect(() => payload(2n ** 63n)).toThrow(/not a valid Int64/);
    expect(() => payload(1.5)).toThrow(/not a valid Int64/);
  });

  it("write several keys of mixed types in one key, names and UTF-8 strings included", () => {
    const bytes = serializeEntityKey({ "zoné": "Zürich", a: -2, b: new Uint8Array([7, 8]) }, { a: "Int32", b: "Bytes", "zoné": "String" });
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b.toString("hex");
    };
    const text = (t: string) => u32(2) + u32(Buffer.byteLength(t)) + Buffer.from(t).toString("hex");
    expect(Buffer.from(bytes).toString("hex")).toBe(
      u32(3) + text("a") + text("b") + text("zoné") + u32(3) + u32(4) + "feffffff" + u32(1) + u32(2) + "0708" + text("Zürich"),
    );
  });

  it("sort join keys by name", () => {
    const dtypes = { b: "String", a: "Int64" };
    expect(serializeEntityKey({ b: "x", a: 1 }, dtypes)).toEqual(serializeEntityKey({ a: 1, b: "x" }, dtypes));
  });
});

describe("LmdbOnlineStore", () => {
  it("round-trips values exactly (int64 beyond 2^53, nulls, strings) and keeps newer records", async () => {
    await withStore(async (store) => {
      const values = { conv_rate: 0.5, trips: 2n ** 53n + 1n, city: "Zürich", driver_id: 1 };
      expect(await store.onlineWriteBatch(view, [{ entityKey: key(1), values, eventTimestampMicros: T, createdTimestampMicros: null }])).toBe(1);
      const [record, missing] = await store.onlineRead(view, [key(1), key(2)]);
      expect(missing).toBeUndefined();
      expect(record).toMatchObject({ values, eventTimestampMicros: T, createdTimestampMicros: null });

      const older = { entityKey: key(1), values: { ...values, conv_rate: 0.1 }, eventTimestampMicros: T - 1, createdTimestampMicros: null };
      expect(await store.onlineWriteBatch(view, [older])).toBe(0);
      expect((await store.onlineRead(view, [key(1)]))[0]!.values.conv_rate).toBe(0.5);
      const same = { ...older, eventTimestampMicros: T, values: { ...values, conv_rate: null } };
      expect(await store.onlineWriteBatch(view, [same])).toBe(1);
      expect((await store.onlineRead(view, [key(1)]))[0]!.values.conv_rate).toBeNull();
    });
  });

  it("update drops deleted views only; teardown removes the files", async () => {
    await withStore(async (store, dir) => {
      const other: FeatureViewSpec = { ...view, name: "other" };
      const record = { entityKey: key(1), values: { trips: 1 }, eventTimestampMicros: T, createdTimestampMicros: null };
      await store.onlineWriteBatch(view, [record]);
      await store.onlineWriteBatch(other, [record]);
      await store.update([view], [other]);
      expect(await store.onlineRead(other, [key(1)])).toEqual([undefined]);
      expect((await store.onlineRead(view, [key(1)]))[0]).toBeDefined();
      await store.teardown([view]);
      const { readdir } = await import("node:fs/promises");
      expect((await readdir(join(dir, "data"))).filter((f) => f.startsWith("online_store"))).toEqual([]);
    });
  });

  it("is the lmdb entry of the online store type map", () => {
    expect(Object.keys(ONLINE_STORE_TYPES)).toEqual(["lmdb"]);
    expect(ONLINE_STORE_TYPES.lmdb!.configKeys).toEqual(["path"]);
  });
});

describe("getOnlineFeatures", () => {
  it("returns Feast's column-major response with statuses, timestamps, and exact values", async () => {
    await withStore(async (store) => {
      const ttl = 3600_000_000;
      await store.onlineWriteBatch(view, [
        { entityKey: key(1), values: { conv_rate: Math.fround(0.7037263512611389), trips: 2n ** 53n + 1n, city: "a" }, eventTimestampMicros: T - ttl, createdTimestampMicros: null },
        { entityKey: key(2), values: { conv_rate: null, trips: 5, city: "b" }, eventTimestampMicros: T - ttl - 1, createdTimestampMicros: null },
        { entityKey: key(3), values: { conv_rate: 0.25, trips: 7, city: "c" }, eventTimestampMicros: T + 123_456, createdTimestampMicros: null },
      ]);
      const selection = selectFeatures(specs, ["driver_stats:conv_rate", "driver_stats:trips", "driver_stats:city"], false, "proj");
      const response = await getOnlineFeatures(store, {
        selection,
        transforms: new Map(),
        entityRows: { driver_id: [1, 2, 3, 4, 1] },
        nowMicros: T,
      });
      expect(response.metadata.feature_names).toEqual(["driver_id", "conv_rate", "trips", "city"]);
      const [ids, conv, trips, city] = response.results;
      expect(ids).toEqual({
        values: [1, 2, 3, 4, 1],
        statuses: Array(5).fill("PRESENT"),
        event_timestamps: Array(5).fill("1970-01-01T00:00:00Z"),
      });
      expect(conv!.values).toEqual([0.7037263512611389, null, 0.25, null, 0.7037263512611389]);
      // Exactly ttl old is still fresh; one microsecond more is not; a null value found is PRESENT.
      expect(conv!.statuses).toEqual(["PRESENT", "OUTSIDE_MAX_AGE", "PRESENT", "NOT_FOUND", "PRESENT"]);
      expect(conv!.event_timestamps).toEqual([
        "2026-03-01T11:00:00Z",
        "2026-03-01T10:59:59.999999Z",
        "2026-03-01T12:00:00.123456Z",
        "1970-01-01T00:00:00Z",
        "2026-03-01T11:00:00Z",
      ]);
      expect(trips!.values).toEqual([2n ** 53n + 1n, 5, 7, null, 2n ** 53n + 1n]);
      expect(city!.values).toEqual(["a", "b", "c", null, "a"]);
      expect(stringifyOnlineResponse(response)).toContain('"values":[9007199254740993,5,7,null,9007199254740993]');
      expect(stringifyOnlineResponse(response).indexOf('"results"')).toBeLessThan(stringifyOnlineResponse(response).indexOf('"metadata"'));
    });
  });

  it("rejects rows with different keys and rows lacking a join key", async () => {
    await withStore(async (store) => {
      const selection = selectFeatures(specs, ["driver_stats:trips"], true, "proj");
      await expect(getOnlineFeatures(store, { selection, transforms: new Map(), entityRows: [{ driver_id: 1 }, { rider: 2 }] })).rejects.toThrow(
        "All entity_rows must have the same keys.",
      );
      await expect(getOnlineFeatures(store, { selection, transforms: new Map(), entityRows: [{ rider: 2 }] })).rejects.toThrow(
        "Missing join key driver_id for feature view driver_stats",
      );
      const response = await getOnlineFeatures(store, { selection, transforms: new Map(), entityRows: [{ driver_id: 9, extra: "ignored" }] });
      expect(response.metadata.feature_names).toEqual(["driver_id", "driver_stats__trips"]);
    });
  });
});

describe("timestamps", () => {
  it("parse naive as UTC and offsets as instants, and format with Feast's adaptive fraction", () => {
    expect(toEpochMicros("2026-03-01 12:00:00")).toBe(toEpochMicros("2026-03-01T12:00:00Z"));
    expect(toEpochMicros("2026-03-01T17:30:00.000001+05:30")).toBe(toEpochMicros("2026-03-01T12:00:00Z") + 1);
    expect(toEpochMicros(new Date("2026-03-01T12:00:00.5Z"))).toBe(toEpochMicros("2026-03-01T12:00:00Z") + 500_000);
    expect(formatEpochMicros(toEpochMicros("2026-03-01T12:00:00.120Z"))).toBe("2026-03-01T12:00:00.120Z");
    expect(formatEpochMicros(-1)).toBe("1969-12-31T23:59:59.999999Z");
    expect(formatEpochMicros(-86_400_000_000)).toBe("1969-12-31T00:00:00Z");
    expect(formatEpochMicros(toEpochMicros("2026-02-28T23:59:59.5Z") + 1)).toBe("2026-02-28T23:59:59.500001Z");
    expect(formatEpochMicros(toEpochMicros("9999-12-31T23:59:59Z"))).toBe("9999-12-31T23:59:59Z");
    expect(() => toEpochMicros("yesterday")).toThrow(/is not a timestamp/);
  });

  it("refuse impossible dates instead of rolling them over", () => {
    for (const bad of ["2026-13-45", "2026-02-30T00:00:00Z", "2026-03-01T24:30:00Z", "2026-03-01T12:60:00Z"]) {
      expect(() => toEpochMicros(bad), bad).toThrow(/is not a real date and time/);
    }
    expect(toEpochMicros("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29) * 1000);
  });
});
