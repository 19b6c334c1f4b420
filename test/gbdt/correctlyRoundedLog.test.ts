import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { correctlyRoundedLog } from "../../src/gbdt/correctlyRoundedLog.js";
import { isNearestLog, nextDown, nextUp } from "./fixedPointReference.js";

/** log results of glibc (Python's math.log) on inputs where V8's Math.log is one ulp off. */
const GLIBC_CASES: Array<[number, number]> = [
  [0.3841164942362604, -0.9568094019949794],
  [0.7063967094965019, -0.3475782878338957],
  [0.14648332633510946, -1.920843670414475],
  [0.37334104609677243, -0.9852629443867212],
  [362271.2666117134, 12.800148565462399],
  [2.88535960008784, 1.0596495369370376],
  [2.8785482146944807, 1.0572860749307356],
  [0.35651178289846186, -1.0313879880653902],
  [0.29777186554478685, -1.2114276375243331],
  [2.2117468156918076, 0.7937826176569388],
  [0.6182758565668381, -0.48082055126857887],
  [83.18714237946283, 4.421092797176446],
  // A class prior of the bench's 6-class set: LightGBM's first trees carry this log.
  [0.166925, -1.7902106692382047],
];

describe("correctlyRoundedLog", () => {
  it("matches glibc where V8's Math.log is one ulp off", () => {
    for (const [x, expected] of GLIBC_CASES) {
      expect(Math.log(x)).not.toBe(expected);
      expect(correctlyRoundedLog(x)).toBe(expected);
    }
  });

  it("is the nearest double to log(x) by a 320-bit reference, on seeded random inputs", () => {
    const random = new SeededRandom(31);
    // Down to 1e-30: the fixed-point reference keeps about 220 bits of exp(log(1e-30)).
    const scales = [1e-30, 1e-15, 1e-3, 0.5, 1, 1.000001, 2, 1e3, 1e200];
    let notNearest = 0;
    for (let i = 0; i < 3000; i++) {
      const x = random.uniform(0, 2) * scales[i % scales.length]!;
      if (x > 0 && x !== 1 && !isNearestLog(x, correctlyRoundedLog(x))) notNearest++;
    }
    expect(notNearest).toBe(0);
  });

  it("the reference itself rejects a value one ulp away", () => {
    expect(isNearestLog(0.3, nextUp(correctlyRoundedLog(0.3)))).toBe(false);
    expect(isNearestLog(7.5, nextDown(correctlyRoundedLog(7.5)))).toBe(false);
  });

  it("handles the edges", () => {
    expect(correctlyRoundedLog(1)).toBe(0);
    expect(correctlyRoundedLog(0)).toBe(-Infinity);
    expect(correctlyRoundedLog(-1)).toBeNaN();
    expect(correctlyRoundedLog(NaN)).toBeNaN();
    expect(correctlyRoundedLog(Infinity)).toBe(Infinity);
    expect(correctlyRoundedLog(Math.E)).toBe(1);
    expect(correctlyRoundedLog(5e-324)).toBe(Math.log(5e-324));
    expect(correctlyRoundedLog(Number.MAX_VALUE)).toBe(Math.log(Number.MAX_VALUE));
  });
});
