/**
 * `log` rounded to the nearest double. LightGBM's initial scores (`boost_from_average`) are
 * `std::log` of a label mean or class prior, and glibc's log is correctly rounded in practice
 * while V8's `Math.log` is one ulp off for about one input in thirty: enough to change the
 * first trees' leaf values in the last digit of the model text.
 *
 * `Math.log` is within one ulp, so the answer is it or a neighbour: the midpoints between them
 * are compared with x through the double-double exp, and the side x falls on decides.
 */
import { compareWithExp } from "./correctlyRoundedExp.js";
import { nextUp } from "./dataset/numeric.js";

const SMALLEST = 2 ** -1000;
const LARGEST = 2 ** 1000;

export function correctlyRoundedLog(x: number): number {
  const y = Math.log(x);
  // NaN, x <= 0, infinities and the far ends (where scaling is not exact) stay with Math.log;
  // log(1) = 0 exactly.
  if (!(x >= SMALLEST && x <= LARGEST) || y === 0) return y;
  const up = nextUp(y);
  if (compareWithExp(x, y, (up - y) / 2) > 0) return up;
  const down = -nextUp(-y);
  if (compareWithExp(x, y, (down - y) / 2) < 0) return down;
  return y;
}
