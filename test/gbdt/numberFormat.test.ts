import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { formatG, parseNumberToken } from "../../src/gbdt/index.js";

/** %.{p}g from the exact decimal expansion of the double (BigInt), rounded half to even. */
function slowFormatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const mantissa = biased === 0 ? bits & ((1n << 52n) - 1n) : (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const exponent2 = biased === 0 ? -1074 : biased - 1075;
  // exact value = all / 10^scale
  const all = exponent2 >= 0 ? mantissa << BigInt(exponent2) : mantissa * 5n ** BigInt(-exponent2);
  const scale = exponent2 >= 0 ? 0 : -exponent2;
  let digits = all.toString();
  let exponent10 = digits.length - 1 - scale;
  if (digits.length > precision) {
    const kept = BigInt(digits.slice(0, precision));
    const rest = digits.slice(precision);
    const half = "5" + "0".repeat(rest.length - 1);
    const up = rest > half || (rest === half && kept % 2n === 1n);
    const rounded = (up ? kept + 1n : kept).toString();
    if (rounded.length > precision) exponent10 += 1;
    digits = rounded.slice(0, precision);
  } else {
    digits = digits.padEnd(precision, "0");
  }
  const sign = value < 0 ? "-" : "";
  const strip = (s: string) => s.replace(/0+$/, "");
  if (exponent10 < -4 || exponent10 >= precision) {
    const fraction = strip(digits.slice(1));
    const e = Math.abs(exponent10);
    return `${sign}${digits[0]}${fraction ? "." + fraction : ""}e${exponent10 < 0 ? "-" : "+"}${e < 10 ? "0" + e : e}`;
  }
  if (exponent10 >= 0) {
    const fraction = strip(digits.slice(exponent10 + 1));
    return sign + digits.slice(0, exponent10 + 1) + (fraction ? "." + fraction : "");
  }
  return sign + "0." + "0".repeat(-exponent10 - 1) + strip(digits);
}

describe("formatG (C %g as LightGBM writes numbers)", () => {
  it("spells the cases LightGBM files show", () => {
    expect(formatG(0.1, 17)).toBe("0.10000000000000001");
    expect(formatG(1e-5, 6)).toBe("1e-05");
    expect(formatG(7.105427357601002e-15, 6)).toBe("7.10543e-15");
    expect(formatG(1.0000000180025095e-35, 17)).toBe("1.0000000180025095e-35");
    expect(formatG(3000, 6)).toBe("3000");
    expect(formatG(1234567, 6)).toBe("1.23457e+06");
    expect(formatG(0.0001, 6)).toBe("0.0001");
    expect(formatG(-10, 17)).toBe("-10");
    expect(formatG(1e100, 6)).toBe("1e+100");
    expect([formatG(NaN), formatG(Infinity), formatG(-Infinity), formatG(0), formatG(-0)]).toEqual(["nan", "inf", "-inf", "0", "-0"]);
  });

  it("breaks exact ties to even like printf (JS toPrecision rounds them up)", () => {
    expect(formatG(2 ** -25, 17)).toBe("2.9802322387695312e-08");
    expect(formatG(123456.5, 6)).toBe("123456");
    expect(formatG(123457.5, 6)).toBe("123458");
    expect(formatG(1234565, 6)).toBe("1.23456e+06");
    expect(formatG(0.5, 1)).toBe("0.5");
    expect(formatG(2.5, 1)).toBe("2");
    expect(formatG(10.28125, 6)).toBe("10.2812");
  });

  it("equals an exact BigInt reference on seeded random doubles", () => {
    const random = new SeededRandom(7);
    const view = new DataView(new ArrayBuffer(8));
    let mismatches = 0;
    for (let i = 0; i < 4000; i++) {
      let value: number;
      const kind = i % 4;
      if (kind === 0) value = (random.next() - 0.5) * 10 ** Math.floor(random.next() * 40 - 20);
      else if (kind === 1) value = Math.round(random.next() * 2e7) / 2 ** Math.floor(random.next() * 12);
      else if (kind === 2) value = Math.fround(random.next() * 1000);
      else {
        view.setUint32(0, random.nextUint32() & 0x7fefffff);
        view.setUint32(4, random.nextUint32());
        value = view.getFloat64(0);
      }
      for (const precision of [6, 17]) {
        if (formatG(value, precision) !== slowFormatG(value, precision)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it("round-trips %.17g through parseNumberToken exactly", () => {
    const random = new SeededRandom(8);
    for (let i = 0; i < 1000; i++) {
      const value = (random.next() - 0.5) * 10 ** Math.floor(random.next() * 60 - 30);
      expect(parseNumberToken(formatG(value, 17))).toBe(value);
    }
  });
});

describe("parseNumberToken", () => {
  it("reads what strtod reads in model files", () => {
    expect(parseNumberToken("inf")).toBe(Infinity);
    expect(parseNumberToken("-inf")).toBe(-Infinity);
    expect(parseNumberToken("+INF")).toBe(Infinity);
    expect(parseNumberToken("-infinity")).toBe(-Infinity);
    expect(parseNumberToken("nan")).toBeNaN();
    expect(parseNumberToken("-nan")).toBeNaN();
    expect(parseNumberToken("1e-05")).toBe(1e-5);
    expect(parseNumberToken("")).toBeUndefined();
    expect(parseNumberToken("none")).toBeUndefined();
  });
});
