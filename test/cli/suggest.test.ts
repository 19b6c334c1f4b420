import { describe, expect, it } from "vitest";
import { editDistance, suggestNearest } from "../../src/core/suggest.js";

describe("suggestNearest", () => {
  it("computes edit distance with transpositions", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("fs", "fs")).toBe(0);
    expect(editDistance("trakc", "track")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("finds plausible typos and refuses far-off words", () => {
    const commands = ["init", "datagen", "fs", "track", "registry", "serve", "predict"];
    expect(suggestNearest("trakc", commands)).toBe("track");
    expect(suggestNearest("regstry", commands)).toBe("registry");
    expect(suggestNearest("serv", commands)).toBe("serve");
    expect(suggestNearest("xyzzy", commands)).toBeUndefined();
    expect(suggestNearest("a", [])).toBeUndefined();
  });
});
