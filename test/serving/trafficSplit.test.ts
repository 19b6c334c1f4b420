import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { chooseVariant, parseVariantSpec, type Variant } from "../../src/serving/index.js";

const variants = [
  { name: "champion", weight: 90, source: null },
  { name: "challenger", weight: 10, source: null },
] as unknown as Variant[];

describe("traffic splitting", () => {
  it("parses NAME=URI:WEIGHT, keeping colons inside the URI", () => {
    expect(parseVariantSpec("champion=models:/activity/Production:90")).toEqual({ name: "champion", uri: "models:/activity/Production", weight: 90 });
    expect(parseVariantSpec("b=runs:/abc/model:2.5")).toEqual({ name: "b", uri: "runs:/abc/model", weight: 2.5 });
    for (const bad of ["models:/a/1:5", "x=models:/a/1", "x=models:/a/1:-3", "=models:/a/1:3", "x=models:/a/1:0"]) {
      expect(() => parseVariantSpec(bad), bad).toThrow(/variant/i);
    }
  });

  it("splits random traffic in proportion to the weights", () => {
    const rng = new SeededRandom(7);
    let challenger = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (chooseVariant(variants, null, () => rng.next()).name === "challenger") challenger++;
    expect(challenger / n).toBeGreaterThan(0.09);
    expect(challenger / n).toBeLessThan(0.11);
  });

  it("keeps an entity on one variant and spreads entities by weight", () => {
    const first = new Map<string, string>();
    let challenger = 0;
    for (let id = 0; id < 5000; id++) {
      const key = `participant_id=${id}`;
      const name = chooseVariant(variants, key).name;
      first.set(key, name);
      if (name === "challenger") challenger++;
    }
    for (const [key, name] of first) expect(chooseVariant(variants, key, () => 0.999).name).toBe(name);
    expect(challenger / 5000).toBeGreaterThan(0.08);
    expect(challenger / 5000).toBeLessThan(0.12);
  });
});
