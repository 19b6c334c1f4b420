import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { commonInvocation } from "../../src/serving/commonInvocation.js";
import { invocationOf, parseInvocation, type Invocation } from "../../src/serving/parseInvocation.js";

/** The general path's answer for a body: its invocation, or the status and body of its error. */
function general(body: string): Invocation | { status: number; body: string } {
  try {
    return invocationOf(JSON.parse(body));
  } catch (err) {
    const e = err as { status: number; body: string };
    return { status: e.status, body: e.body };
  }
}

function actual(body: string): Invocation | { status: number; body: string } {
  try {
    return parseInvocation("application/json", body);
  } catch (err) {
    const e = err as { status: number; body: string };
    return { status: e.status, body: e.body };
  }
}

const HANDWRITTEN = [
  // Shapes the shortcut takes.
  '{"dataframe_records": [{"a": 1, "b": 2.5}]}',
  '{"dataframe_records": [{"a": 1, "b": null}, {"a": "x", "b": true}]}',
  '{"dataframe_records": []}',
  '{"dataframe_records": [{}]}',
  '{"dataframe_records": [{"2": 1, "1": 2, "z": 3}, {"1": 4, "2": 5, "z": 6}]}',
  '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3, 4]]}}',
  '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]], "index": [7]}}',
  '{"dataframe_split": {"columns": [], "data": []}}',
  '{"dataframe_split": {"data": [[1, 2]], "columns": ["a", "b"]}}',
  // Shapes it must leave to the general path.
  '{"dataframe_records": [{"a": 1}, {"b": 2}]}',
  '{"dataframe_records": [{"a": 1, "b": 2}, {"b": 3, "a": 4}]}',
  '{"dataframe_records": [{"a": 1}, {"a": 2, "b": 3}]}',
  '{"dataframe_records": [{"a": 1}, 5]}',
  '{"dataframe_records": [[1, 2]]}',
  '{"dataframe_records": {"a": [1]}}',
  '{"dataframe_records": [{"a": 1}], "params": {"k": 1}}',
  '{"dataframe_records": [{"a": 1}], "params": 3}',
  '{"dataframe_records": [{"a": 1}], "inputs": [[1]]}',
  '{"dataframe_records": null}',
  '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3]]}}',
  '{"dataframe_split": {"columns": ["a", 2], "data": [[1, 2]]}}',
  '{"dataframe_split": {"columns": null, "data": [[1, 2]]}}',
  '{"dataframe_split": {"data": [[1, 2]]}}',
  '{"dataframe_split": {"data": [1, 2], "columns": ["a"]}}',
  '{"dataframe_split": {"columns": ["a"]}}',
  '{"dataframe_split": {"columns": ["a"], "data": [[1]], "extra": 1}}',
  '{"dataframe_split": {"columns": ["a"], "data": [[1]], "__proto__": 1}}',
  '{"dataframe_split": [[1]]}',
  '{"dataframe_split": {"columns": "a", "data": [[1]]}}',
  '{"__proto__": {"dataframe_records": [{"a": 1}]}}',
  '{"dataframe_records": [{"__proto__": 1, "a": 2}]}',
  '{"inputs": [[1, 2]]}',
  '{"instances": [{"a": 1}]}',
  '{"instances": {"a": [1, 2]}}',
  "{}",
  "[]",
  "null",
  "3.5",
  '"dataframe_records"',
];

describe("the common-shape shortcut of parseInvocation", () => {
  it("gives the general path's invocation or error on handwritten bodies", () => {
    for (const body of HANDWRITTEN) expect(actual(body), body).toEqual(general(body));
  });

  it("takes the shapes it is meant for, and only those", () => {
    expect(commonInvocation(JSON.parse(HANDWRITTEN[0]!))).not.toBeNull();
    expect(commonInvocation(JSON.parse(HANDWRITTEN[5]!))).not.toBeNull();
    expect(commonInvocation(JSON.parse('{"dataframe_records": [{"a": 1}, {"b": 2}]}'))).toBeNull();
    expect(commonInvocation(JSON.parse('{"dataframe_records": [{"a": 1}], "params": {}}'))).toBeNull();
    expect(commonInvocation(JSON.parse('{"dataframe_split": {"columns": ["a"], "data": [[1, 2]]}}'))).toBeNull();
  });

  it("gives the general path's answer on seeded random bodies near the common shapes", () => {
    const rng = new SeededRandom(23);
    const names = ["a", "b", "c", "1", "__proto__", "heart_rate", ""];
    const values = [0, 1.5, -2, null, true, "7", "x", [1], { v: 1 }];
    const record = () => {
      const out: Record<string, unknown> = {};
      const keys = [...names].sort(() => rng.next() - 0.5).slice(0, rng.int(0, 4));
      for (const k of keys) Object.defineProperty(out, k, { value: rng.pick(values), enumerable: true, configurable: true, writable: true });
      return out;
    };
    let shortcut = 0;
    for (let i = 0; i < 400; i++) {
      let doc: Record<string, unknown>;
      if (rng.chance(0.5)) {
        const first = record();
        const same = rng.chance(0.6);
        doc = { dataframe_records: Array.from({ length: rng.int(0, 4) }, () => (same ? { ...first } : rng.chance(0.1) ? rng.pick(values) : record())) };
      } else {
        const columns = [...names].slice(0, rng.int(0, 4));
        const width = () => (rng.chance(0.8) ? columns.length : rng.int(0, 5));
        const split: Record<string, unknown> = { data: Array.from({ length: rng.int(0, 4) }, () => (rng.chance(0.9) ? Array.from({ length: width() }, () => rng.pick(values)) : rng.pick(values))) };
        if (rng.chance(0.85)) split.columns = rng.chance(0.9) ? columns : [1, "a"];
        if (rng.chance(0.2)) split.index = [0];
        if (rng.chance(0.1)) split.orient = "split";
        doc = { dataframe_split: split };
      }
      if (rng.chance(0.1)) doc.params = rng.chance(0.5) ? { k: 1 } : 5;
      const body = JSON.stringify(doc);
      if (commonInvocation(JSON.parse(body)) !== null) shortcut++;
      expect(actual(body), body).toEqual(general(body));
    }
    // Both paths were exercised.
    expect(shortcut).toBeGreaterThan(100);
    expect(shortcut).toBeLessThan(350);
  });

  it("leaves malformed JSON and other content types to the general checks", () => {
    expect(() => parseInvocation("application/json", '{"dataframe_records": [')).toThrow(/Ensure that input is a valid JSON/);
    expect(() => parseInvocation("application/xml", "{}")).toThrow(/only supports the following content types/);
    expect(parseInvocation("application/json; charset=utf-8", '{"dataframe_records": [{"a": 1}]}').input).toEqual({ columns: ["a"], rows: [[1]] });
  });
});
