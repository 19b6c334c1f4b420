import { describe, expect, it } from "vitest";
import { Entity } from "../../src/featurestore/definitions/Entity.js";
import { Field } from "../../src/featurestore/definitions/Field.js";
import { FeatureView } from "../../src/featurestore/definitions/FeatureView.js";
import { FileSource } from "../../src/featurestore/definitions/FileSource.js";
import { Float64 } from "../../src/featurestore/definitions/dtypes.js";
import { resolveRepo } from "../../src/featurestore/definitions/resolveRepo.js";
import { latestRowsSql, pointInTimeJoin, selectOutputSql } from "../../src/featurestore/offline/offlineSql.js";

const entity = new Entity({ name: "participant", joinKeys: ["participant_id"] });
const view = resolveRepo(
  [
    new FeatureView({
      name: "v",
      entities: [entity],
      ttl: "90m",
      schema: [new Field({ name: "hr", dtype: Float64 })],
      source: new FileSource({ name: "s", path: "it's.parquet", timestampField: "ts", createdTimestampColumn: "created", fieldMapping: { 'he"art': "hr" } }),
      aggregations: [{ column: "hr", function: "mean", timeWindow: "5m" }],
    }),
  ],
  "t",
).specs.featureViews[0]!;

describe("pointInTimeJoin SQL", () => {
  const { sql, params } = pointInTimeJoin({
    entityTable: "__larder_entities",
    timestampColumn: "event_timestamp",
    views: [
      {
        view,
        path: "/data/it's.parquet",
        features: [{ feature: "hr", alias: "v__hr" }],
        aggregations: [{ feature: "mean_hr_300s", alias: "v__mean_hr_300s", aggregation: view.aggregations[0]! }],
      },
    ],
  });

  it("binds the ttl and window sizes in microseconds instead of inlining them", () => {
    expect(params).toEqual({ ttl_0: 5_400_000_000n, w_0_0: 299_999_999n });
    expect(sql).toContain("CAST($ttl_0 AS BIGINT)");
    expect(sql).toContain("to_microseconds(CAST($w_0_0 AS BIGINT)) PRECEDING AND CURRENT ROW");
  });

  it("quotes identifiers and path literals, and maps source columns to feature names", () => {
    expect(sql).toContain(`read_parquet('/data/it''s.parquet')`);
    expect(sql).toContain(`"he""art" AS "hr"`);
    expect(sql).toContain(`CAST("ts" AS TIMESTAMPTZ)`);
  });

  it("finds each row's event time with ASOF, breaks ties by created, and carries the row id for input order", () => {
    expect(sql).toContain(`ASOF JOIN (`);
    expect(sql).toContain(`e."participant_id" = f."participant_id" AND e."event_timestamp" >= f.__larder_ts`);
    expect(sql).toContain("ORDER BY s.__larder_created DESC NULLS LAST) = 1");
    expect(sql).toMatch(/^SELECT\n  e\.\*,/m);
    expect(selectOutputSql(sql, ["a"])).toMatch(/ORDER BY __larder_row$/);
  });

  it("materialization takes the window bounds as bound values", () => {
    const latest = latestRowsSql({ view, path: "/data/x.parquet", startMicros: 1, endMicros: 2 });
    expect(latest.params).toEqual({ start: 1n, end: 2n, w_0: 300_000_000n, longest: 300_000_000n });
    expect(latest.sql).toContain("BETWEEN make_timestamptz(CAST($start AS BIGINT)) AND make_timestamptz(CAST($end AS BIGINT))");
  });
});
