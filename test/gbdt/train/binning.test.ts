import { describe, expect, it } from "vitest";
import { LcgRandom, createDataset, featureInfo, findBin, valueToBin } from "../../../src/gbdt/dataset/index.js";
import { formatG17, nextUp } from "../../../src/gbdt/dataset/numeric.js";
import { lcg } from "./syntheticData.js";
import { HAVE_FIXTURES, SKIP_REASON, TRAIN_FIXTURES, headerField, readCsv, readManifest, readModelText } from "./helpers.js";

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

describe.skipIf(!HAVE_FIXTURES)("binning matches LightGBM 4.7 on the train_* fixtures", () => {
  for (const fixture of TRAIN_FIXTURES) {
    it(`${fixture}: every bin index, num_bin and feature_infos token`, () => {
      const manifest = readManifest(fixture);
      const input = readCsv(fixture, "input.csv");
      const labels = readCsv(fixture, "train_label.csv").columns[0]!;
      const expected = readCsv(fixture, "expected_bins.csv");
      const categorical = (manifest.params.categorical_feature as number[] | undefined) ?? [];
      const dataset = createDataset(input.columns, labels, { categoricalFeatures: categorical, featureNames: input.header });
      const infos = headerField(readModelText(fixture), "feature_infos").split(" ");
      for (let j = 0; j < input.header.length; j++) {
        const mapper = dataset.mappers[j]!;
        expect(mapper.numBin, `num_bin of ${input.header[j]}`).toBe(manifest.num_bin_per_feature![j]);
        expect(featureInfo(mapper), `feature_infos of ${input.header[j]}`).toBe(infos[j]);
        const got = Array.from(dataset.bins[j]!);
        const want = Array.from(expected.columns[j]!);
        const mismatches = got.filter((b, i) => b !== want[i]).length;
        expect(mismatches, `bin mismatches in ${input.header[j]}`).toBe(0);
        expect(got.length).toBe(input.numRows);
      }
    });
  }
});

describe("bin mapper edge cases", () => {
  const options = { maxBin: 255, minDataInBin: 3, minSplitData: 1, featurePreFilter: true, useMissing: true, zeroAsMissing: false };

  it("puts a dedicated zero bin between negatives and positives", () => {
    const values = Float64Array.from([-3, -2, -1, 1, 2, 3]);
    const mapper = findBin(values.slice(), 6, false, options);
    expect(valueToBin(mapper, -1)).toBeLessThan(valueToBin(mapper, 0));
    expect(valueToBin(mapper, 0)).toBeLessThan(valueToBin(mapper, 1));
    expect(mapper.upperBounds).toContain(Math.fround(1e-35));
  });

  it("gives NaN the last bin when the sample has NaN, and 0.0's bin otherwise", () => {
    const withNaN = findBin(Float64Array.from([1, 2, 3, 4, NaN]), 8, false, options);
    expect(withNaN.missingType).toBe(2);
    expect(valueToBin(withNaN, NaN)).toBe(withNaN.numBin - 1);
    const without = findBin(Float64Array.from([1, 2, 3, 4]), 8, false, options);
    expect(without.missingType).toBe(0);
    expect(valueToBin(without, NaN)).toBe(valueToBin(without, 0));
  });

  it("marks a constant column trivial (feature_infos none)", () => {
    const mapper = findBin(Float64Array.from([5, 5, 5, 5]), 4, false, options);
    expect(mapper.isTrivial).toBe(true);
    expect(featureInfo(mapper)).toBe("none");
  });

  it("maps categorical NaN, negative and unseen values to bin 0 and truncates", () => {
    const values = Float64Array.from([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const mapper = findBin(values, 12, true, options);
    expect(valueToBin(mapper, NaN)).toBe(0);
    expect(valueToBin(mapper, -1)).toBe(0);
    expect(valueToBin(mapper, 99)).toBe(0);
    expect(valueToBin(mapper, 1.7)).toBe(valueToBin(mapper, 1));
    expect(valueToBin(mapper, 1)).toBeGreaterThan(0);
  });

  it("uses missing type Zero with zero_as_missing", () => {
    const mapper = findBin(Float64Array.from([1, 2, 3, 4, 5, 6, NaN]), 12, false, { ...options, zeroAsMissing: true });
    expect(mapper.missingType).toBe(1);
    expect(valueToBin(mapper, NaN)).toBe(valueToBin(mapper, 0));
  });

  it("formats bounds like C's %.17g", () => {
    expect(formatG17(0.1)).toBe("0.10000000000000001");
    expect(formatG17(-10)).toBe("-10");
    expect(formatG17(1e-5)).toBe("1.0000000000000001e-05");
    expect(formatG17(1.5e20)).toBe("1.5e+20");
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
  });

  it("steps to the next double up exactly as 64-bit integer arithmetic on the bits does", () => {
    const reference = (x: number): number => {
      if (Number.isNaN(x) || x === Infinity) return x;
      if (x === 0) return Number.MIN_VALUE;
      const bits = new BigInt64Array(new Float64Array([x]).buffer);
      bits[0] = bits[0]! + (x > 0 ? 1n : -1n);
      return new Float64Array(bits.buffer)[0]!;
    };
    const rnd = lcg(17);
    const edges = [1, -1, 2 ** -1074, -(2 ** -1074), 2 ** -1022, -(2 ** -1022), Number.MAX_VALUE, -Number.MAX_VALUE, -Infinity, 0, -0, NaN, Infinity];
    // Doubles whose low 32 bits are all ones or all zeros carry or borrow into the high half.
    const carries = [0x3ff00000ffffffffn, 0x3ff0000100000000n, -0x4010000000000001n, -0x400fffff00000000n].map(
      (b) => new Float64Array(new BigInt64Array([b]).buffer)[0]!,
    );
    const randoms = Array.from({ length: 20000 }, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20));
    for (const x of [...edges, ...carries, ...randoms]) expect(Object.is(nextUp(x), reference(x))).toBe(true);
  });
});

describe("LightGBM's random generator and sampling", () => {
  it("draws the LCG sequence", () => {
    const rng = new LcgRandom(7);
    // x1 = 214013·7 + 2531011 = 4029102 → (x1 >> 16) & 0x7FFF = 61.
    expect(rng.nextInt16()).toBe(61);
  });

  it("samples K sorted distinct rows with both of LightGBM's strategies, deterministically", () => {
    for (const [n, k] of [[1000, 900], [100000, 50]] as const) {
      const a = new LcgRandom(1).sample(n, k);
      expect(a.length).toBe(k);
      expect(new Set(a).size).toBe(k);
      for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
      expect(Array.from(new LcgRandom(1).sample(n, k))).toEqual(Array.from(a));
    }
    expect(Array.from(new LcgRandom(1).sample(5, 5))).toEqual([0, 1, 2, 3, 4]);
  });

  it("stores bins as Uint8Array up to 256 bins and Uint16Array above", () => {
    const column = Float64Array.from({ length: 2000 }, (_, i) => i);
    const labels = new Float64Array(2000);
    expect(createDataset([column], labels).bins[0]).toBeInstanceOf(Uint8Array);
    expect(createDataset([column], labels, { maxBin: 1000, minDataInBin: 1 }).bins[0]).toBeInstanceOf(Uint16Array);
  });
});
