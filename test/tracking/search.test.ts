import { describe, expect, it } from "vitest";
import type { Run, RunStatus } from "../../src/tracking/entities.js";
import { SearchFilterError } from "../../src/tracking/search/SearchFilterError.js";
import { parseSearchFilter } from "../../src/tracking/search/parseSearchFilter.js";
import { parseOrderBy, sortRuns } from "../../src/tracking/search/orderBy.js";
import { decodePageToken, encodePageToken, searchRunsInMemory } from "../../src/tracking/search/searchRunsInMemory.js";

function run(id: string, opts: { start?: number | null; end?: number | null; status?: RunStatus; name?: string; metrics?: Record<string, number>; params?: Record<string, string>; tags?: Record<string, string>; deleted?: boolean }): Run {
  return {
    info: {
      runId: id,
      experimentId: "1",
      runName: opts.name ?? id,
      userId: "alice",
      status: opts.status ?? "FINISHED",
      startTime: opts.start === undefined ? 1000 : opts.start,
      endTime: opts.end === undefined ? null : opts.end,
      artifactUri: `file:///store/1/${id}/artifacts`,
      lifecycleStage: opts.deleted ? "deleted" : "active",
      deletedTime: null,
    },
    data: { metrics: opts.metrics ?? {}, params: opts.params ?? {}, tags: opts.tags ?? {} },
  };
}

const runs: Run[] = [
  run("a", { start: 100, end: 150, name: "baseline", metrics: { f1: 0.7, "f1-score": 0.71, loss: 0.5 }, params: { num_leaves: "31", "learning rate": "0.1" }, tags: { "mlflow.runName": "baseline", stage: "dev" } }),
  run("b", { start: 300, end: 400, name: "feast-features", metrics: { f1: 0.9, loss: 0.2 }, params: { num_leaves: "63" }, tags: { "mlflow.runName": "feast-features", stage: "Prod" } }),
  run("c", { start: 200, status: "RUNNING", name: "grid-1", metrics: { f1: NaN }, params: { num_leaves: "15" }, tags: { "mlflow.parentRunId": "b" } }),
  run("d", { start: 200, name: "grid-2", metrics: {}, params: {} }),
  run("e", { start: 500, name: "gone", metrics: { f1: 0.99 }, deleted: true }),
];

function ids(filter: string, orderBy?: string[]): string[] {
  return searchRunsInMemory(runs, { filter, ...(orderBy ? { orderBy } : {}) }).runs.map((r) => r.info.runId);
}

function errorOf(fn: () => unknown): SearchFilterError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SearchFilterError);
    return err as SearchFilterError;
  }
  throw new Error("expected a SearchFilterError");
}

describe("filter grammar: comparators", () => {
  it("compares metrics numerically with every numeric comparator, using the latest value", () => {
    expect(ids("metrics.f1 = 0.9")).toEqual(["b"]);
    expect(ids("metrics.f1 != 0.9")).toEqual(["c", "a"]);
    expect(ids("metrics.f1 > 0.7")).toEqual(["b"]);
    expect(ids("metrics.f1 >= 0.7")).toEqual(["b", "a"]);
    expect(ids("metrics.f1 < 0.9")).toEqual(["a"]);
    expect(ids("metrics.f1 <= 0.9")).toEqual(["b", "a"]);
    expect(ids("metrics.loss < 1e0")).toEqual(["b", "a"]);
    expect(ids("metrics.loss > -1")).toEqual(["b", "a"]);
  });

  it("compares params, tags and string attributes with =, !=, LIKE, ILIKE, IN, NOT IN", () => {
    expect(ids("params.num_leaves = '31'")).toEqual(["a"]);
    expect(ids("params.num_leaves != '31'")).toEqual(["b", "c"]);
    expect(ids("tags.stage LIKE 'P%'")).toEqual(["b"]);
    expect(ids("tags.stage LIKE 'p%'")).toEqual([]);
    expect(ids("tags.stage ILIKE 'p%'")).toEqual(["b"]);
    expect(ids("tags.stage LIKE '_ev'")).toEqual(["a"]);
    expect(ids("attributes.run_name LIKE 'grid-%'")).toEqual(["c", "d"]);
    expect(ids("attributes.run_id IN ('a', 'b')")).toEqual(["b", "a"]);
    expect(ids("attributes.run_id NOT IN ('a', 'b')")).toEqual(["c", "d"]);
    expect(ids("params.num_leaves IN ('15', '63')")).toEqual(["b", "c"]);
    expect(ids("attributes.status = 'RUNNING'")).toEqual(["c"]);
    expect(ids("attributes.start_time >= 200")).toEqual(["b", "c", "d"]);
    expect(ids("attributes.end_time < 200")).toEqual(["a"]);
  });

  it("treats LIKE wildcards only as wildcards: other characters are literal", () => {
    expect(ids("params.num_leaves LIKE '3.'")).toEqual([]);
    expect(ids("params.num_leaves LIKE '3_'")).toEqual(["a"]);
  });

  it("never matches a run that lacks the key, even with !=", () => {
    expect(ids("metrics.loss != 123")).toEqual(["b", "a"]);
    expect(ids("params.num_leaves != 'zzz'")).toEqual(["b", "c", "a"]);
  });

  it("joins clauses with AND (any case) and accepts an empty filter", () => {
    expect(ids("metrics.f1 > 0.5 and params.num_leaves = '63'")).toEqual(["b"]);
    expect(ids("metrics.f1 > 0.5 AND tags.stage = 'dev' And attributes.run_name = 'baseline'")).toEqual(["a"]);
    expect(ids("")).toEqual(["b", "c", "d", "a"]);
    expect(ids("   ")).toEqual(["b", "c", "d", "a"]);
  });
});

describe("filter grammar: identifiers and quoting", () => {
  it("accepts backticks and double quotes around keys, dotted keys, and entity aliases", () => {
    expect(ids("metrics.`f1-score` > 0.7")).toEqual(["a"]);
    expect(ids('metrics."f1-score" > 0.7')).toEqual(["a"]);
    expect(ids("`metrics`.`f1-score` > 0.7")).toEqual(["a"]);
    expect(ids("params.`learning rate` = '0.1'")).toEqual(["a"]);
    expect(ids("tags.mlflow.runName = 'baseline'")).toEqual(["a"]);
    expect(ids('tags."mlflow.parentRunId" = "b"')).toEqual(["c"]);
    expect(ids("metric.f1 = 0.9")).toEqual(["b"]);
    expect(ids("parameter.num_leaves = '63'")).toEqual(["b"]);
    expect(ids("tag.stage = 'dev'")).toEqual(["a"]);
    expect(ids("attr.run_id = 'a'")).toEqual(["a"]);
    expect(ids("run_name = 'baseline'")).toEqual(["a"]);
    expect(ids("created >= 300")).toEqual(["b"]);
    expect(ids("attributes.`Run name` = 'grid-2'")).toEqual(["d"]);
  });

  it("reads string values in single or double quotes, with doubled quotes as escapes", () => {
    const [clause] = parseSearchFilter("tags.note = 'it''s'");
    expect(clause!.value).toBe("it's");
    expect(parseSearchFilter('params.x = "a b"')[0]!.value).toBe("a b");
    expect(parseSearchFilter("params.x = ''")[0]!.value).toBe("");
  });
});

describe("filter grammar: errors carry the position", () => {
  it.each([
    ["metrics.f1 >> 0.5", 12, /expected a number/],
    ["metrics.f1 > '0.5'", 13, /numbers are not quoted/],
    ["params.num_leaves = 31", 20, /quoted string/],
    ["params.x > '1'", 9, /comparator '>' is not allowed for params/],
    ["metrics.f1 LIKE 'x'", 11, /comparator 'LIKE' is not allowed for metrics/],
    ["metrics.f1 > 0.5 OR metrics.f1 < 0.1", 17, /OR is not supported/],
    ["metrics.f1 > 0.5 AND", 20, /after AND/],
    ["foo.bar = 'x'", 0, /invalid entity type 'foo'/],
    ["attributes.color = 'red'", 0, /invalid attribute key 'color'/],
    ["tags.'stage' = 'x'", 5, /expected a key/],
    ["params.x = 'unterminated", 11, /unterminated string/],
    ["metrics.f1-score > 1", 10, /expected a comparator|unexpected character/],
    ["metrics.f1", 10, /expected a comparator/],
    ["metrics.f1 NOT 3", 15, /expected IN after NOT/],
    ["attributes.run_id IN 'a'", 21, /parenthesised list/],
    ["attributes.run_id IN ('a' 'b')", 26, /expected ',' or '\)'/],
    ["(metrics.f1 > 1)", 0, /expected an identifier/],
    ["metrics.f1 > 0.5 metrics.f2 > 1", 17, /expected AND/],
    ["'x' = 'y'", 0, /not single quotes/],
  ])("%s -> position %i", (filter, position, message) => {
    const err = errorOf(() => parseSearchFilter(filter));
    expect(err.position).toBe(position);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`position ${position}`);
    expect(err.code).toBe("INVALID_PARAMETER_VALUE");
    // The hint shows the expression with a caret under the offending character.
    expect(err.hint).toBe(`${filter}\n${" ".repeat(position)}^`);
  });
});

describe("order by, max results, pagination", () => {
  it("orders by metrics with NaN after numbers and missing values last, in both directions", () => {
    expect(ids("", ["metrics.f1 DESC"])).toEqual(["b", "a", "c", "d"]);
    expect(ids("", ["metrics.f1 ASC"])).toEqual(["a", "b", "c", "d"]);
    expect(ids("", ["metrics.f1"])).toEqual(["a", "b", "c", "d"]);
  });

  it("defaults to start_time DESC then run_id ASC, and breaks ties with later entries", () => {
    expect(sortRuns(runs.filter((r) => r.info.lifecycleStage === "active")).map((r) => r.info.runId)).toEqual(["b", "c", "d", "a"]);
    expect(ids("", ["attributes.start_time ASC"])).toEqual(["a", "c", "d", "b"]);
    expect(ids("", ["start_time ASC", "run_id DESC"])).toEqual(["a", "d", "c", "b"]);
    expect(ids("", ["params.num_leaves desc"])).toEqual(["b", "a", "c", "d"]);
    expect(ids("", ["tags.`mlflow.runName` ASC"])).toEqual(["a", "b", "c", "d"]);
    expect(ids("", ["attributes.end_time DESC"])).toEqual(["b", "a", "c", "d"]);
  });

  it("rejects malformed order-by entries with positions", () => {
    expect(parseOrderBy("metrics.`f1-score` DESC")).toEqual({ entity: "metric", key: "f1-score", ascending: false });
    expect(errorOf(() => parseOrderBy("metrics.f1 DOWN")).position).toBe(11);
    expect(errorOf(() => parseOrderBy("metrics.f1 DESC x")).position).toBe(16);
    expect(errorOf(() => searchRunsInMemory(runs, { orderBy: ["nope.x"] })).position).toBe(0);
  });

  it("limits results, pages with MLflow's token format, and filters by lifecycle", () => {
    expect(encodePageToken(1000)).toBe("eyJvZmZzZXQiOiAxMDAwfQ==");
    expect(decodePageToken("eyJvZmZzZXQiOiAxMDAwfQ==")).toBe(1000);
    const first = searchRunsInMemory(runs, { maxResults: 3 });
    expect(first.runs.map((r) => r.info.runId)).toEqual(["b", "c", "d"]);
    const second = searchRunsInMemory(runs, { maxResults: 3, pageToken: first.nextPageToken! });
    expect(second.runs.map((r) => r.info.runId)).toEqual(["a"]);
    expect(second.nextPageToken).toBeUndefined();
    expect(searchRunsInMemory(runs, { viewType: "ALL" }).runs.map((r) => r.info.runId)).toEqual(["e", "b", "c", "d", "a"]);
    expect(searchRunsInMemory(runs, { viewType: "DELETED_ONLY" }).runs.map((r) => r.info.runId)).toEqual(["e"]);
    expect(() => searchRunsInMemory(runs, { maxResults: 0 })).toThrow(/max results/);
    expect(() => searchRunsInMemory(runs, { maxResults: 50_001 })).toThrow(/max results/);
    expect(() => searchRunsInMemory(runs, { pageToken: "garbage!" })).toThrow(/Invalid page token/);
  });
});
