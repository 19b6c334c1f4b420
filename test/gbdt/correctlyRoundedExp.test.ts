import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { correctlyRoundedExp, doubleDoubleExp } from "../../src/gbdt/correctlyRoundedExp.js";
import { correctlyRoundedExpInPlace } from "../../src/gbdt/exponentials.js";
import { isNearestExp as isNearest, nextDown, nextUp } from "./fixedPointReference.js";

/** exp results of glibc 2.x (Python's math.exp) on inputs where V8's Math.exp is one ulp off. */
const GLIBC_CASES: Array<[number, number]> = [
  [-0.3800841367937424, 0.6838038737264801],
  [36.41439196729331, 6524834392211141.0],
  [20.45891299610542, 767702615.0265614],
  [-0.29041358988417554, 0.7479541573252037],
  [705.0596049686851, 1.59770226467064e306],
  [521.6942759681813, 3.7063403141221764e226],
  [-1.1451820940623065, 0.318165976380059],
  [3.7592713676196468, 42.91714376291139],
  [-29.317849212390882, 1.8510573132898791e-13],
  [-7.196614821910117, 0.0007491174168526206],
  [-573.5713270737206, 7.964117777192906e-250],
  [148.0834245257928, 2.0502845208408732e64],
];

describe("correctlyRoundedExp", () => {
  it("matches glibc where V8's Math.exp is one ulp off", () => {
    for (const [x, expected] of GLIBC_CASES) expect(correctlyRoundedExp(x)).toBe(expected);
  });

  it("is the nearest double to exp(x) by a 320-bit reference, on seeded random inputs", () => {
    const random = new SeededRandom(12);
    let notNearest = 0;
    for (let i = 0; i < 600; i++) {
      const x = i % 3 === 0 ? random.uniform(-1, 1) : i % 3 === 1 ? random.uniform(-40, 40) : random.uniform(-0.01, 0.01);
      if (!isNearest(x, correctlyRoundedExp(x))) notNearest++;
    }
    // inputs next to multiples of ln 2, where the reduced argument nearly cancels
    for (let k = -57; k <= 57; k++) {
      for (const x of [k * Math.LN2, nextUp(k * Math.LN2), k * Math.LN2 + 1e-9]) {
        if (x !== 0 && !isNearest(x, correctlyRoundedExp(x))) notNearest++;
      }
    }
    expect(notNearest).toBe(0);
  });

  it("its table fast path agrees with the double-double path on 2 million seeded inputs", () => {
    const random = new SeededRandom(13);
    const scales = [1e-12, 1e-4, 0.01, 0.1, 1, 5, 40, 200, 699.99];
    let disagreements = 0;
    for (let i = 0; i < 2_000_000; i++) {
      const x = random.uniform(-1, 1) * scales[i % scales.length]!;
      if (correctlyRoundedExp(x) !== doubleDoubleExp(x)) disagreements++;
    }
    // Around every table point and multiple of ln 2, where the reduced argument nearly cancels.
    for (let i = -6000; i <= 6000; i++) {
      // every table point near zero, then every 340th out to |x| = 690
      const n = Math.abs(i) <= 3000 ? i : Math.sign(i) * (3000 + (Math.abs(i) - 3000) * 340);
      if (n === 0) continue;
      const x = (n * Math.LN2) / 1024;
      for (const y of [x, nextUp(x), nextDown(x), x + 1e-12]) if (!Object.is(correctlyRoundedExp(y), doubleDoubleExp(y))) disagreements++;
    }
    expect(disagreements).toBe(0);
  });

  it("the reference itself rejects a value one ulp away", () => {
    expect(isNearest(0.5, nextUp(correctlyRoundedExp(0.5)))).toBe(false);
    expect(isNearest(-3.25, nextDown(correctlyRoundedExp(-3.25)))).toBe(false);
  });

  it("handles the edges of the double range", () => {
    expect(correctlyRoundedExp(0)).toBe(1);
    expect(correctlyRoundedExp(-0)).toBe(1);
    expect(correctlyRoundedExp(1)).toBe(Math.E);
    expect(correctlyRoundedExp(NaN)).toBeNaN();
    expect(correctlyRoundedExp(Infinity)).toBe(Infinity);
    expect(correctlyRoundedExp(-Infinity)).toBe(0);
    expect(correctlyRoundedExp(710)).toBe(Infinity);
    expect(correctlyRoundedExp(-746)).toBe(0);
    expect(correctlyRoundedExp(709.78)).toBe(Math.exp(709.78));
    expect(correctlyRoundedExp(-745)).toBe(Math.exp(-745));
    const random = new SeededRandom(13);
    for (let i = 0; i < 2000; i++) {
      const x = random.uniform(-708, 709.7);
      const ours = correctlyRoundedExp(x);
      const v8 = Math.exp(x);
      expect(ours === v8 || ours === nextUp(v8) || ours === nextDown(v8)).toBe(true);
    }
  });

  it("over whole arrays (the wasm fast path) gives the same doubles as one call per value", () => {
    const random = new SeededRandom(29);
    const scales = [1e-12, 1e-4, 0.01, 0.1, 1, 5, 40, 200, 699.99, 720];
    const inputs = Float64Array.from({ length: 1_000_000 }, (_, i) => random.uniform(-1, 1) * scales[i % scales.length]!);
    const edges = [0, -0, NaN, Infinity, -Infinity, 700, -700, 699.9999999999999, -699.9999999999999, 709.78, 710, -745, -746, 1e-300, -5e-324];
    inputs.set(edges, 12345);
    // Table points and their neighbours, where the fast path most often cannot decide.
    for (let i = 0; i < 3000; i++) inputs[500_000 + i] = (((i % 3) - 1) * 1e-15 + (i - 1500) * Math.LN2) / 1024;
    const inPlace = inputs.slice();
    correctlyRoundedExpInPlace(inPlace, 3, inPlace.length - 2);
    for (let i = 0; i < inputs.length; i++) {
      const expected = i < 3 || i >= inputs.length - 2 ? inputs[i]! : correctlyRoundedExp(inputs[i]!);
      if (!Object.is(inPlace[i], expected)) expect({ i, x: inputs[i], got: inPlace[i] }).toEqual({ i, x: inputs[i], got: expected });
    }
  });
});
