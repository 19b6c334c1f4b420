import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExpectations, parseExpectations, validateData, type ValidationReport } from "../../src/monitoring/index.js";
import { tempDir } from "../helpers/paths.js";

const DATA = `row,id,heart_rate,steps,spo2,activity,ts
1,1,60,100,97,Lying,2026-01-30T10:00:00Z
2,2,80,,98,Sitting,2026-01-31T08:00:00Z
3,3,250,300,,Flying,2026-01-31T11:00:00Z
4,3,70,400,96,Lying,2026-01-29T00:00:00Z
`;
const NOW = new Date("2026-01-31T12:00:00Z");

const PASSING = `
row_count: { min: 4, max: 4 }
freshness: { column: ts, max_age: 2h }
columns:
  row: { type: integer, unique: true, not_null: true }
  heart_rate: { type: numeric, range: { min: 40, max: 250 } }
  steps: { max_null_percent: 25, min: 0 }
  spo2: { max_null_percent: 25, max: 100 }
  activity: { type: string, allowed: [Lying, Sitting, Flying] }
  id: { allowed: [1, 2, 3] }
  ts: { type: timestamp }
`;

const FAILING = `
row_count: { min: 5 }
freshness: { column: ts, max_age: 30m }
columns:
  id: { unique: true, type: string }
  heart_rate: { range: { min: 40, max: 220 } }
  steps: { not_null: true }
  spo2: { max_null_percent: 20 }
  activity: { allowed: [Lying, Sitting] }
  row: { min: 2 }
  weight: {}
`;

const find = (report: ValidationReport, expectation: string, column: string | null) =>
  report.results.find((r) => r.expectation === expectation && r.column === column)!;

describe("validateData", () => {
  let dir = "";
  let data = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    data = join(dir, "data.csv");
    await writeFile(data, DATA);
  });
  afterAll(() => cleanup());

  it("passes every expectation the data meets", async () => {
    const report = await validateData(data, parseExpectations(PASSING, "pass.yaml"), { now: NOW });
    expect(report.results.filter((r) => !r.passed)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.rows).toBe(4);
    expect(report.results.map((r) => `${r.expectation}:${r.column ?? ""}`)).toEqual([
      "row_count:",
      "present:row", "type:row", "not_null:row", "unique:row",
      "present:heart_rate", "type:heart_rate", "range:heart_rate",
      "present:steps", "max_null_percent:steps", "range:steps",
      "present:spo2", "max_null_percent:spo2", "range:spo2",
      "present:activity", "type:activity", "allowed:activity",
      "present:id", "allowed:id",
      "present:ts", "type:ts",
      "freshness:ts",
    ]);
    expect(find(report, "freshness", "ts").observed).toBe("newest 2026-01-31T11:00:00.000Z (1h old)");
    expect(find(report, "max_null_percent", "steps").observed).toBe("1 null (25.00%)");
    expect(find(report, "range", "heart_rate").observed).toBe("min 60, max 250; 0 outside");
  });

  it("fails each expectation the data breaks, with what it observed", async () => {
    const report = await validateData(data, parseExpectations(FAILING, "fail.yaml"), { now: NOW });
    expect(report.passed).toBe(false);
    expect(find(report, "row_count", null)).toMatchObject({ passed: false, observed: "4 rows", expected: ">= 5" });
    expect(find(report, "freshness", "ts")).toMatchObject({ passed: false, expected: "newest within 30m" });
    expect(find(report, "unique", "id")).toMatchObject({ passed: false, observed: "1 duplicate values" });
    expect(find(report, "type", "id")).toMatchObject({ passed: false, observed: "BIGINT", expected: "string" });
    expect(find(report, "range", "heart_rate")).toMatchObject({ passed: false, observed: "min 60, max 250; 1 outside" });
    expect(find(report, "not_null", "steps")).toMatchObject({ passed: false, observed: "1 null (25.00%)" });
    expect(find(report, "max_null_percent", "spo2")).toMatchObject({ passed: false, expected: "<= 20% null" });
    expect(find(report, "allowed", "activity")).toMatchObject({ passed: false, observed: "1 rows not allowed, e.g. Flying" });
    expect(find(report, "range", "row")).toMatchObject({ passed: false, observed: "min 1, max 4; 1 outside" });
    expect(find(report, "present", "weight")).toMatchObject({ passed: false, observed: "missing", line: 11 });
    // Presence of the listed columns that exist still passes.
    expect(find(report, "present", "id").passed).toBe(true);
    expect(report.failures).toBe(10);
    expect(report.results.filter((r) => !r.passed)).toHaveLength(10);
  });

  it("reads integer and timestamp bounds as SQL values", async () => {
    const report = await validateData(
      data,
      parseExpectations(`columns:\n  ts: { min: "2026-01-30", max: "2026-02-01" }\n  row: { allowed: [1, 2, 3, 4] }\n`),
      { now: NOW },
    );
    expect(find(report, "range", "ts")).toMatchObject({ passed: false, observed: expect.stringMatching(/1 outside$/) });
    expect(find(report, "allowed", "row").passed).toBe(true);
  });
});

describe("parseExpectations", () => {
  const error = (text: string) => {
    try {
      parseExpectations(text, "exp.yaml");
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error("expected a parse error");
  };

  it("names the file, line and key of a mistake", () => {
    expect(error("columns:\n  a:\n    not_nul: true\n")).toBe("exp.yaml:3: unknown key 'not_nul' in columns.a");
    expect(error("row_count: { min: 1 }\nrows: 3\n")).toBe("exp.yaml:2: unknown key 'rows'");
    expect(error("freshness:\n  column: ts\n  max_age: soon\n")).toBe("exp.yaml:3: freshness.max_age 'soon' is not a duration");
    expect(error("columns:\n  a: { max_null_percent: 150 }\n")).toMatch(/^exp\.yaml:2: columns\.a\.max_null_percent must be a number from 0 to 100/);
    expect(error("columns:\n  a: { unique: yes please }\n")).toMatch(/^exp\.yaml:2: columns\.a\.unique must be true or false/);
    expect(error("columns:\n  a: { allowed: [] }\n")).toMatch(/^exp\.yaml:2: columns\.a\.allowed must be a non-empty list/);
    expect(error("columns: [a, b]\n")).toMatch(/^exp\.yaml:1: columns must be a mapping/);
    expect(error("row_count: {}\n")).toMatch(/row_count needs min and\/or max/);
    expect(error("columns:\n  a: { type: numeric\n")).toMatch(/^exp\.yaml:\d+: not valid YAML/);
  });

  it("keeps what it read", () => {
    const parsed = parseExpectations("freshness: [{ column: ts, max_age: 7d }]\ncolumns:\n  a:\n  b: { range: { min: 0 } }\n");
    expect(parsed.freshness).toEqual([{ column: "ts", maxAgeMs: 7 * 86_400_000, maxAge: "7d", line: 1 }]);
    expect(parsed.columns).toEqual([{ column: "a", line: 3 }, { column: "b", min: 0, line: 4 }]);
  });
});

describe("loadExpectations", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("reads a JS module's default export as the same structure, naming keys (not lines) in errors", async () => {
    await writeFile(join(dir, "good.mjs"), `export default { row_count: { min: 1 }, columns: { a: { not_null: true } } };\n`);
    expect(await loadExpectations(join(dir, "good.mjs"))).toMatchObject({ rowCount: { min: 1 }, columns: [{ column: "a", notNull: true }] });
    await writeFile(join(dir, "bad.mjs"), `export const expectations = { columns: { a: { nul: true } } };\n`);
    await expect(loadExpectations(join(dir, "bad.mjs"))).rejects.toThrow(`${join(dir, "bad.mjs")}: unknown key 'nul' in columns.a`);
  });

  it("names a missing file", async () => {
    await expect(loadExpectations(join(dir, "none.yaml"))).rejects.toThrow(/No such expectations file/);
  });
});
