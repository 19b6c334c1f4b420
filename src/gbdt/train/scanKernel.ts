/**
 * The numerical threshold scans of `splitFinder.ts` as WebAssembly functions, for the common case
 * without L1 or output clipping (gain = G²/(H+λ) on each side). Every sum, count and gain is
 * computed with the same operations in the same order as the JavaScript scan, so both find the
 * same threshold with the same sums; tests compare them on random histograms.
 *
 * Both return 1 when any candidate passed the constraints (LightGBM's `is_splittable`) and write
 * the best candidate at `out`: gain, left Σg, left Σh (ε-padded), left count, threshold bin.
 */
import { K_EPSILON } from "../dataset/numeric.js";
import { type Code, WasmFunction, block, br, brIf, f64, i32, ifThen, loop } from "../wasmAssembler.js";

/** Doubles written at `out`. */
export const SCAN_RESULT = { gain: 0, leftGradient: 1, leftHessian: 2, leftCount: 3, threshold: 4, length: 5 } as const;

const PARAMS = [
  ["hist", "i32"], ["numBin", "i32"], ["offset", "i32"], ["defaultBin", "i32"], ["skipDefaultBin", "i32"],
  ["naAsMissing", "i32"], ["sumGradient", "f64"], ["sumHessian", "f64"], ["numData", "f64"], ["minGainShift", "f64"],
  ["minDataInLeaf", "f64"], ["minSumHessianInLeaf", "f64"], ["l2", "f64"], ["out", "i32"],
] as const;

const LOCALS = [
  ["t", "i32"], ["tEnd", "i32"], ["splittable", "i32"], ["evaluated", "i32"], ["bestThreshold", "i32"],
  ["cntFactor", "f64"], ["g", "f64"], ["h", "f64"], ["lg", "f64"], ["lh", "f64"], ["lc", "f64"],
  ["rg", "f64"], ["rh", "f64"], ["rc", "f64"], ["gain", "f64"],
  ["bestGain", "f64"], ["bestLeftGradient", "f64"], ["bestLeftHessian", "f64"], ["bestLeftCount", "f64"],
] as const;

export const scanReverseFunction = new WasmFunction("scanReverse", PARAMS, LOCALS, "i32");
export const scanForwardFunction = new WasmFunction("scanForward", PARAMS, LOCALS, "i32");

const c = i32.const;

/** Shared pieces of both scans, bound to one function's locals. */
function pieces(fn: WasmFunction) {
  const { get, set } = fn;
  const binAt = (t: Code): Code => i32.add(get("hist"), i32.shl(t, c(4)));
  /** `trunc(h * cntFactor + 0.5)`: LightGBM's row count estimated from a hessian sum. */
  const countOf = (h: Code): Code => f64.trunc(f64.add(f64.mul(h, get("cntFactor")), f64.const(0.5)));
  const gainOf = (lg: Code, lh: Code, rg: Code, rh: Code): Code =>
    f64.add(
      f64.div(f64.mul(lg, lg), f64.add(lh, get("l2"))),
      f64.div(f64.mul(rg, rg), f64.add(rh, get("l2"))),
    );
  const isDefaultBinSkipped: Code = i32.and(get("skipDefaultBin"), i32.eq(i32.add(get("t"), get("offset")), get("defaultBin")));
  /** An empty bin after one evaluated leaves the candidate as it was: skip it (see `scan`). */
  const isEmptyAfterEvaluated: Code = i32.and(
    i32.and(f64.eq(get("h"), f64.const(0)), f64.eq(get("g"), f64.const(0))),
    get("evaluated"),
  );
  const loadBin = [set("g", f64.load(binAt(get("t")))), set("h", f64.load(binAt(get("t")), 8))];
  const start = [
    set("cntFactor", f64.div(get("numData"), get("sumHessian"))),
    set("bestGain", f64.const(-Infinity)),
    set("bestLeftGradient", f64.const(NaN)),
    set("bestLeftHessian", f64.const(NaN)),
    set("bestThreshold", get("numBin")),
  ];
  const finish = [
    f64.store(get("out"), get("bestGain"), 8 * SCAN_RESULT.gain),
    f64.store(get("out"), get("bestLeftGradient"), 8 * SCAN_RESULT.leftGradient),
    f64.store(get("out"), get("bestLeftHessian"), 8 * SCAN_RESULT.leftHessian),
    f64.store(get("out"), get("bestLeftCount"), 8 * SCAN_RESULT.leftCount),
    f64.store(get("out"), f64.convertI32S(get("bestThreshold")), 8 * SCAN_RESULT.threshold),
    get("splittable"),
  ];
  /**
   * The candidate at the current bin: the side not accumulated (`derived`) is the leaf total minus
   * the accumulated side; `br 2` leaves the loop when the derived side runs out of rows or
   * hessian, `br 0` goes on when the gain does not beat the shift. The best keeps the left side.
   */
  const candidate = (derived: "l" | "r", accumulated: "l" | "r", threshold: Code): Code[] => [
    set(`${derived}c`, f64.sub(get("numData"), get(`${accumulated}c`))),
    brIf(2, f64.lt(get(`${derived}c`), get("minDataInLeaf"))),
    set(`${derived}h`, f64.sub(get("sumHessian"), get(`${accumulated}h`))),
    brIf(2, f64.lt(get(`${derived}h`), get("minSumHessianInLeaf"))),
    set(`${derived}g`, f64.sub(get("sumGradient"), get(`${accumulated}g`))),
    set("gain", gainOf(get("lg"), get("lh"), get("rg"), get("rh"))),
    brIf(0, f64.le(get("gain"), get("minGainShift"))),
    set("splittable", c(1)),
    ifThen(
      f64.gt(get("gain"), get("bestGain")),
      set("bestLeftCount", get("lc")),
      set("bestLeftGradient", get("lg")),
      set("bestLeftHessian", get("lh")),
      set("bestThreshold", threshold),
      set("bestGain", get("gain")),
    ),
  ];
  return { binAt, countOf, gainOf, isDefaultBinSkipped, isEmptyAfterEvaluated, loadBin, start, finish, candidate };
}

/**
 * Right to left, rows of the skipped missing bin going left (default left). Inside the loop,
 * `br 0` continues with the next bin and `br 2` leaves the loop.
 */
export function scanReverseBody(): number[] {
  const fn = scanReverseFunction;
  const { get, set } = fn;
  const p = pieces(fn);
  const candidate = p.candidate("l", "r", i32.add(i32.sub(get("t"), c(1)), get("offset")));
  return fn.encode(
    ...p.start,
    set("rh", f64.const(K_EPSILON)),
    set("t", i32.sub(i32.sub(i32.sub(get("numBin"), c(1)), get("offset")), get("naAsMissing"))),
    set("tEnd", i32.sub(c(1), get("offset"))),
    block(
      loop(
        brIf(1, i32.ltS(get("t"), get("tEnd"))),
        block(
          brIf(0, p.isDefaultBinSkipped),
          ...p.loadBin,
          brIf(0, p.isEmptyAfterEvaluated),
          set("evaluated", c(1)),
          set("rg", f64.add(get("rg"), get("g"))),
          set("rh", f64.add(get("rh"), get("h"))),
          set("rc", f64.add(get("rc"), p.countOf(get("h")))),
          brIf(0, i32.or(f64.lt(get("rc"), get("minDataInLeaf")), f64.lt(get("rh"), get("minSumHessianInLeaf")))),
          ...candidate,
        ),
        set("t", i32.sub(get("t"), c(1))),
        br(0),
      ),
    ),
    ...p.finish,
  );
}

/**
 * Left to right, rows of the skipped missing bin going right. With the NaN bin last and bin 0
 * not stored (offset 1), the scan starts from "everything left" minus the stored bins so the
 * first candidate has bin 0 alone on the left.
 */
export function scanForwardBody(): number[] {
  const fn = scanForwardFunction;
  const { get, set } = fn;
  const p = pieces(fn);
  const candidate = p.candidate("r", "l", i32.add(get("t"), get("offset")));
  const storedBins = i32.sub(get("numBin"), get("offset"));
  return fn.encode(
    ...p.start,
    set("lh", f64.const(K_EPSILON)),
    set("tEnd", i32.sub(i32.sub(get("numBin"), c(2)), get("offset"))),
    ifThen(
      i32.and(get("naAsMissing"), i32.eq(get("offset"), c(1))),
      set("lg", get("sumGradient")),
      set("lh", f64.sub(get("sumHessian"), f64.const(K_EPSILON))),
      set("lc", get("numData")),
      block(
        loop(
          brIf(1, i32.geS(get("t"), storedBins)),
          ...p.loadBin,
          set("lg", f64.sub(get("lg"), get("g"))),
          set("lh", f64.sub(get("lh"), get("h"))),
          set("lc", f64.sub(get("lc"), p.countOf(get("h")))),
          set("t", i32.add(get("t"), c(1))),
          br(0),
        ),
      ),
      set("t", c(-1)),
    ),
    block(
      loop(
        brIf(1, i32.gtS(get("t"), get("tEnd"))),
        block(
          brIf(0, p.isDefaultBinSkipped),
          ifThen(
            i32.geS(get("t"), c(0)),
            ...p.loadBin,
            brIf(1, p.isEmptyAfterEvaluated),
            set("lg", f64.add(get("lg"), get("g"))),
            set("lh", f64.add(get("lh"), get("h"))),
            set("lc", f64.add(get("lc"), p.countOf(get("h")))),
          ),
          set("evaluated", c(1)),
          brIf(0, i32.or(f64.lt(get("lc"), get("minDataInLeaf")), f64.lt(get("lh"), get("minSumHessianInLeaf")))),
          ...candidate,
        ),
        set("t", i32.add(get("t"), c(1))),
        br(0),
      ),
    ),
    ...p.finish,
  );
}
