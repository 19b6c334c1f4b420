/**
 * The histogram loops as WebAssembly functions. Each does exactly what its JavaScript twin in
 * `histogram.ts` does (same additions in the same order, so identical sums) without a bounds
 * check on every histogram access. All addresses are byte offsets into the shared memory.
 */
import { type Code, WasmFunction, f32, f64, i32, ifThen, memoryFill, whileNot } from "../wasmAssembler.js";

const c = i32.const;

/**
 * Sum the rows `rows[begin .. begin + count)` into features [featureStart, featureEnd) of the
 * histogram at `hist`. Gradients and hessians are float32 per row, read through the row id, so no
 * ordered copy is gathered first; widening float to double is exact.
 */
export const accumulateFunction = new WasmFunction(
  "accumulate",
  [
    ["slots", "i32"], ["numFeatures", "i32"], ["featureStart", "i32"], ["featureEnd", "i32"], ["rows", "i32"],
    ["begin", "i32"], ["count", "i32"], ["gradients", "i32"], ["hessians", "i32"], ["hist", "i32"],
  ],
  [
    ["i", "i32"], ["j", "i32"], ["end", "i32"], ["end4", "i32"], ["p", "i32"], ["row", "i32"], ["base", "i32"],
    ["g", "f64"], ["h", "f64"],
  ],
  null,
);

/** Features summed per pass of the inner loop. */
const UNROLL = 4;

export function accumulateBody(): number[] {
  const { get, set, tee } = accumulateFunction;
  const perRow = (array: string): Code => f64.promoteF32(f32.load(i32.add(get(array), i32.shl(get("row"), c(2)))));
  const slotAddress = (feature: string): Code =>
    i32.add(get("slots"), i32.shl(i32.add(get("base"), get(feature)), c(1)));
  /** Add (g, h) to the bin of the slot `offset` bytes past `j`. */
  const addToBin = (offset: number): Code => [
    ...f64.store(
      tee("p", i32.add(get("hist"), i32.shl(i32.load16u(get("j"), offset), c(4)))),
      f64.add(f64.load(get("p")), get("g")),
    ),
    ...f64.store(get("p"), f64.add(f64.load(get("p"), 8), get("h")), 8),
  ];
  return accumulateFunction.encode(
    whileNot(
      i32.geS(get("i"), get("count")),
      set("row", i32.load(i32.add(get("rows"), i32.shl(i32.add(get("begin"), get("i")), c(2))))),
      set("g", perRow("gradients")),
      set("h", perRow("hessians")),
      set("base", i32.mul(get("row"), get("numFeatures"))),
      set("j", slotAddress("featureStart")),
      set("end", slotAddress("featureEnd")),
      // Features in groups of four while four remain, then one at a time; the bins are added
      // in the same feature order either way.
      set("end4", i32.sub(get("end"), c(2 * (UNROLL - 1)))),
      // Signed: `end4` is below zero for a short first row at address 0 (addresses stay below 2 GiB).
      whileNot(
        i32.geS(get("j"), get("end4")),
        ...Array.from({ length: UNROLL }, (_, k) => addToBin(2 * k)),
        set("j", i32.add(get("j"), c(2 * UNROLL))),
      ),
      whileNot(i32.geU(get("j"), get("end")), addToBin(0), set("j", i32.add(get("j"), c(2)))),
      set("i", i32.add(get("i"), c(1))),
    ),
  );
}

/** Zero `bytes` bytes at `at` (memory.fill): clearing a histogram before it is summed. */
export const zeroFunction = new WasmFunction("zero", [["at", "i32"], ["bytes", "i32"]], [], null);

export function zeroBody(): number[] {
  return zeroFunction.encode(memoryFill(zeroFunction.get("at"), c(0), zeroFunction.get("bytes")));
}

/** `parent[i] -= smaller[i]` for `length` doubles: the larger child's histogram by subtraction. */
export const subtractFunction = new WasmFunction(
  "subtract",
  [["parent", "i32"], ["smaller", "i32"], ["length", "i32"]],
  [["end", "i32"]],
  null,
);

export function subtractBody(): number[] {
  const { get, set } = subtractFunction;
  return subtractFunction.encode(
    set("end", i32.add(get("parent"), i32.shl(get("length"), c(3)))),
    whileNot(
      i32.geU(get("parent"), get("end")),
      f64.store(get("parent"), f64.sub(f64.load(get("parent")), f64.load(get("smaller")))),
      set("parent", i32.add(get("parent"), c(8))),
      set("smaller", i32.add(get("smaller"), c(8))),
    ),
  );
}

/**
 * LightGBM's `FixHistogram` for one feature whose bins start at `hist`: the most frequent bin
 * becomes the leaf total minus every other bin, subtracted in bin order.
 */
export const fixFunction = new WasmFunction(
  "fix",
  [["hist", "i32"], ["numBin", "i32"], ["mostFreqBin", "i32"], ["sumGradient", "f64"], ["sumHessian", "f64"]],
  [["b", "i32"], ["p", "i32"]],
  null,
);

export function fixBody(): number[] {
  const { get, set } = fixFunction;
  const at = (bin: string): Code => i32.add(get("hist"), i32.shl(get(bin), c(4)));
  return fixFunction.encode(
    whileNot(
      i32.geS(get("b"), get("numBin")),
      ifThen(
        i32.ne(get("b"), get("mostFreqBin")),
        set("p", at("b")),
        set("sumGradient", f64.sub(get("sumGradient"), f64.load(get("p")))),
        set("sumHessian", f64.sub(get("sumHessian"), f64.load(get("p"), 8))),
      ),
      set("b", i32.add(get("b"), c(1))),
    ),
    f64.store(at("mostFreqBin"), get("sumGradient")),
    f64.store(at("mostFreqBin"), get("sumHessian"), 8),
  );
}
