import { describe, expect, it } from "vitest";
import { Entity } from "../../src/featurestore/definitions/Entity.js";
import { Field } from "../../src/featurestore/definitions/Field.js";
import { FeatureService } from "../../src/featurestore/definitions/FeatureService.js";
import { FeatureView } from "../../src/featurestore/definitions/FeatureView.js";
import { FileSource } from "../../src/featurestore/definitions/FileSource.js";
import { OnDemandFeatureView } from "../../src/featurestore/definitions/OnDemandFeatureView.js";
import { PushSource } from "../../src/featurestore/definitions/PushSource.js";
import { ArrayOf, dtypeName, Float32, Float64, Int64, parseDtype, String as StringType } from "../../src/featurestore/definitions/dtypes.js";
import { durationSeconds } from "../../src/featurestore/definitions/duration.js";
import { resolveRepo } from "../../src/featurestore/definitions/resolveRepo.js";

const participant = new Entity({ name: "participant", joinKeys: ["participant_id"] });
const source = new FileSource({ name: "heart_source", path: "data/heart.parquet", timestampField: "event_timestamp" });
const heart = (options: Partial<ConstructorParameters<typeof FeatureView>[0]> = {}) =>
  new FeatureView({
    name: "heart",
    entities: [participant],
    ttl: "1h",
    schema: [new Field({ name: "heart_rate", dtype: Float64 })],
    source,
    ...options,
  });

describe("durations", () => {
  it.each([
    [3600, 3600],
    ["1h", 3600],
    ["15m", 900],
    ["1h30m", 5400],
    ["90s", 90],
    ["2d", 172800],
    ["1w", 604800],
    ["250ms", 0.25],
    ["0", 0],
    [0, 0],
  ])("%j is %d seconds", (input, seconds) => {
    expect(durationSeconds(input, "ttl")).toBe(seconds);
  });

  it.each(["", "1 hour", "h", "-5m", "5x", "1h 30m"])("%j is rejected", (input) => {
    expect(() => durationSeconds(input, "Feature view v: ttl")).toThrow(/Feature view v: ttl must be seconds or a duration/);
  });

  it("rejects negative and non-finite numbers", () => {
    expect(() => durationSeconds(-1, "ttl")).toThrow(/non-negative/);
    expect(() => durationSeconds(Number.NaN, "ttl")).toThrow(/non-negative/);
  });
});

describe("definitions", () => {
  it("Entity defaults its join key to its name and allows exactly one", () => {
    expect(new Entity({ name: "driver" }).joinKeys).toEqual(["driver"]);
    expect(() => new Entity({ name: "x", joinKeys: ["a", "b"] })).toThrow(/exactly one/);
    expect(() => new Entity({ name: "_bad" })).toThrow(/Entity name "_bad" is invalid/);
  });

  it("FileSource infers the format from the path and refuses unknown ones", () => {
    expect(new FileSource({ name: "a", path: "x/*.parquet", timestampField: "ts" }).fileFormat).toBe("parquet");
    expect(new FileSource({ name: "b", path: "x.csv", timestampField: "ts" }).fileFormat).toBe("csv");
    expect(() => new FileSource({ name: "c", path: "x.json", timestampField: "ts" })).toThrow(/cannot tell the format/);
    expect(() => new FileSource({ name: "d", path: "x.csv", timestampField: "" })).toThrow(/timestampField must be a non-empty string/);
  });

  it("FeatureView parses ttl, names aggregations as Feast does, and rejects bad input", () => {
    const view = heart({ aggregations: [{ column: "heart_rate", function: "mean", timeWindow: "5m" }, { column: "heart_rate", function: "std", timeWindow: 900, name: "hr_std_15m" }] });
    expect(view.ttlSeconds).toBe(3600);
    expect(view.online).toBe(true);
    expect(view.aggregations.map((a) => [a.name, a.timeWindowSeconds])).toEqual([["mean_heart_rate_300s", 300], ["hr_std_15m", 900]]);
    expect(heart({ ttl: 0 }).ttlSeconds).toBe(0);
    expect(() => heart({ ttl: "soon" })).toThrow(/Feature view heart: ttl must be seconds or a duration/);
    expect(() => heart({ aggregations: [{ column: "heart_rate", function: "median" as never, timeWindow: "5m" }] })).toThrow(/aggregation function "median" is not supported/);
    expect(() => heart({ aggregations: [{ column: "heart_rate", function: "sum", timeWindow: 0 }] })).toThrow(/timeWindow must be positive/);
    expect(() => heart({ source: {} as never })).toThrow(/source must be a FileSource or a PushSource/);
    expect(() => heart({ schema: [new Field({ name: "a", dtype: Float32 }), new Field({ name: "a", dtype: Float32 })] })).toThrow(/appears twice/);
    expect(() => new Field({ name: "x", dtype: "Float32" as never })).toThrow(/dtype must be a type/);
  });

  it("dtypes print and parse as Feast's names", () => {
    expect(dtypeName(ArrayOf(Float32))).toBe("Array(Float32)");
    expect(parseDtype("Array(Int64)")).toEqual(ArrayOf(Int64));
    expect(() => parseDtype("Float16")).toThrow(/Unknown feature type Float16/);
  });

  it("a PushSource's batch source is what the view reads", () => {
    const push = new PushSource({ name: "heart_push", batchSource: source });
    const view = heart({ source: push });
    expect(view.batchSource).toBe(source);
    const { specs } = resolveRepo([view], "features.ts");
    expect(specs.dataSources.map((s) => [s.name, s.type])).toEqual([["heart_push", "push"], ["heart_source", "file"]]);
  });
});

describe("resolveRepo", () => {
  it("registers referenced objects implicitly, splits join keys from features, and sorts by name", () => {
    const view = heart({ schema: [new Field({ name: "participant_id", dtype: Int64 }), new Field({ name: "heart_rate", dtype: Float64 })] });
    const odfv = new OnDemandFeatureView({
      name: "doubled",
      sources: [view],
      schema: [new Field({ name: "hr2", dtype: Float64 })],
      transform: (c) => ({ hr2: c.heart_rate!.map((v) => (v as number) * 2) }),
    });
    const service = new FeatureService({ name: "svc", features: [view.select(["heart_rate"]), odfv] });
    const { specs, transforms } = resolveRepo([service], "features.ts");
    expect(specs.entities.map((e) => e.name)).toEqual(["participant"]);
    expect(specs.featureViews[0]!.entityColumns.map((f) => f.name)).toEqual(["participant_id"]);
    expect(specs.featureViews[0]!.features.map((f) => f.name)).toEqual(["heart_rate"]);
    expect(specs.onDemandFeatureViews[0]!.sources).toEqual([{ view: "heart", features: ["heart_rate"] }]);
    expect(specs.featureServices[0]!.features).toEqual([
      { view: "heart", features: ["heart_rate"] },
      { view: "doubled", features: ["hr2"] },
    ]);
    expect(transforms.get("doubled")!({ heart_rate: [1, 2] })).toEqual({ hr2: [2, 4] });
    // Specs are plain JSON.
    expect(JSON.parse(JSON.stringify(specs))).toEqual(specs);
  });

  it("reports every problem at once, naming the file and the object", () => {
    const other = new Entity({ name: "participant", joinKeys: ["pid"] });
    const unknownEntity = new FeatureView({ name: "orphan", entities: ["device"], source, schema: [] });
    const clash = new FeatureView({ name: "HEART", entities: [participant], source, schema: [] });
    const badProjection = new FeatureService({ name: "svc", features: [heart().select(["nope"])] });
    let message = "";
    try {
      resolveRepo([participant, other, unknownEntity, heart(), clash, badProjection], "repo/features.ts");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("Invalid definitions in repo/features.ts:");
    expect(message).toContain("two different entity objects are named participant");
    expect(message).toContain("Feature view orphan: entity device is not defined");
    expect(message).toContain("Feature view names must be unique (case-insensitively)");
    expect(message).toContain("Feature service svc: feature view heart has no feature nope");
  });

  it("rejects a fieldMapping that renames a schema field", () => {
    const mapped = new FileSource({ name: "m", path: "m.csv", timestampField: "ts", fieldMapping: { heart_rate: "hr" } });
    expect(() => resolveRepo([heart({ source: mapped, schema: [new Field({ name: "heart_rate", dtype: StringType })] })], "f.ts")).toThrow(
      /fieldMapping of source m renames heart_rate/,
    );
  });
});
