import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatPythonFloat, parsePythonFloat } from "../../src/tracking/pythonFloat.js";
import { dumpPythonYaml, parsePythonYaml, YamlFloat, type YamlValue } from "../../src/tracking/pythonYaml.js";
import { HAVE_SAMPLE, listFiles, SAMPLE_STORE } from "./helpers.js";

describe("formatPythonFloat (Python repr of floats, as in metric files)", () => {
  it.each([
    [0.5, "0.5"],
    [1, "1.0"],
    [3, "3.0"],
    [-2, "-2.0"],
    [0, "0.0"],
    [-0, "-0.0"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [123456789012345.6, "123456789012345.6"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.2345678901234568e17, "1.2345678901234568e+17"],
    [1e22, "1e+22"],
    [5e-324, "5e-324"],
    [0.1 + 0.2, "0.30000000000000004"],
    [0.9866666666666667, "0.9866666666666667"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
  ])("%s -> %s", (value, text) => {
    expect(formatPythonFloat(value)).toBe(text);
  });

  it("reads back what it writes, including nan and inf", () => {
    for (const v of [0.5, 1e-5, 1e16, -3.25, 0.30000000000000004, Infinity, -Infinity]) {
      expect(parsePythonFloat(formatPythonFloat(v))).toBe(v);
    }
    expect(Number.isNaN(parsePythonFloat("nan"))).toBe(true);
    expect(Number.isNaN(parsePythonFloat("garbage"))).toBe(true);
  });
});

describe("dumpPythonYaml (PyYAML safe_dump)", () => {
  it.skipIf(!HAVE_SAMPLE)("re-emits every YAML file of the MLflow sample store byte for byte", () => {
    const yamlFiles = listFiles(SAMPLE_STORE).filter((f) => f.endsWith(".yaml") || f.endsWith("MLmodel") || f.endsWith("registered_model_meta"));
    expect(yamlFiles.length).toBeGreaterThanOrEqual(19);
    for (const file of yamlFiles) {
      const text = readFileSync(join(SAMPLE_STORE, file), "utf8");
      const options = { sortKeys: !file.endsWith("python_env.yaml"), allowUnicode: !file.endsWith("MLmodel") };
      expect(dumpPythonYaml(parsePythonYaml(text) as never, options), file).toBe(text);
    }
  });

  it("matches outputs recorded from PyYAML 6.0.3 safe_dump(default_flow_style=False, allow_unicode=True)", () => {
    // fixtures/pyyaml-safe-dump-cases.json: [input, PyYAML output] pairs (multi-line, LS, folding, escapes).
    const cases = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "fixtures", "pyyaml-safe-dump-cases.json"), "utf8")) as [YamlValue, string][];
    expect(cases.length).toBe(8);
    for (const [input, expected] of cases) expect(dumpPythonYaml(input), JSON.stringify(input)).toBe(expected);
  });

  it("quotes strings that YAML 1.1 would read as another type", () => {
    expect(dumpPythonYaml({ a: "0", b: "yes", c: "3.10", d: "null", e: "~", f: "", g: "2024-10-29 07:39:02.032550", h: "1e10", i: "None", j: "0x1F", k: "1_000" })).toBe(
      "a: '0'\nb: 'yes'\nc: '3.10'\nd: 'null'\ne: '~'\nf: ''\ng: '2024-10-29 07:39:02.032550'\nh: 1e10\ni: None\nj: '0x1F'\nk: '1_000'\n",
    );
  });

  it("quotes indicator characters and edge spaces, escapes control characters", () => {
    expect(dumpPythonYaml({ a: "- x", b: "#c", c: "k: v", d: " lead", e: "tab\there", f: "a #b", g: "plain-text_ok" })).toBe(
      "a: '- x'\nb: '#c'\nc: 'k: v'\nd: ' lead'\ne: \"tab\\there\"\nf: 'a #b'\ng: plain-text_ok\n",
    );
  });

  it("sorts keys, nests mappings by two spaces and does not indent sequences", () => {
    expect(dumpPythonYaml({ z: 1, a: { y: null, b: true }, m: ["x", { k: "v", j: 2 }], e: [], f: {} })).toBe(
      "a:\n  b: true\n  y: null\ne: []\nf: {}\nm:\n- x\n- j: 2\n  k: v\nz: 1\n",
    );
    expect(dumpPythonYaml({ b: 1, a: 2 }, { sortKeys: false })).toBe("b: 1\na: 2\n");
  });

  it("folds long plain and quoted scalars at width 80 like PyYAML", () => {
    const name = "a very long experiment name with many many words that goes well beyond eighty characters wide";
    expect(dumpPythonYaml({ name })).toBe(
      "name: a very long experiment name with many many words that goes well beyond eighty\n  characters wide\n",
    );
    const longUri = `file:///${"x".repeat(120)}`;
    expect(dumpPythonYaml({ artifact_location: longUri })).toBe(`artifact_location: ${longUri}\n`);
    expect(dumpPythonYaml({ x: "line1\nline2" })).toBe("x: 'line1\n\n  line2'\n");
  });

  it("escapes non-ASCII only without allowUnicode; writes floats the Python way", () => {
    expect(dumpPythonYaml({ y: "Ünïcode" })).toBe("y: Ünïcode\n");
    expect(dumpPythonYaml({ y: "Ünïcode" }, { allowUnicode: false })).toBe('y: "\\xDCn\\xEFcode"\n');
    expect(dumpPythonYaml({ f: new YamlFloat(1), g: 0.5, h: new YamlFloat(1e20), i: new YamlFloat(NaN) })).toBe("f: 1.0\ng: 0.5\nh: 1.0e+20\ni: .nan\n");
  });
});
