/**
 * The stable partition of a leaf's rows (`TreeLearner.partition`) as a WebAssembly function. A
 * row's bin comes from the split feature's column of histogram slots (uint16 per row, read in
 * row order, so mostly from cache): `goesLeft` is indexed by slot (the caller points it
 * `histStart` bytes before the feature's table). Rows going left are written in place, rows
 * going right to `scratch`; both keep their order. Returns the left count; the caller appends
 * the right rows.
 */
import { WasmFunction, i32, whileNot } from "../wasmAssembler.js";

const c = i32.const;

export const partitionFunction = new WasmFunction(
  "partition",
  [
    ["column", "i32"], ["rows", "i32"], ["begin", "i32"], ["count", "i32"], ["goesLeft", "i32"], ["scratch", "i32"],
  ],
  [["i", "i32"], ["row", "i32"], ["left", "i32"], ["leftCount", "i32"], ["rightCount", "i32"], ["front", "i32"]],
  "i32",
);

export function partitionBody(): number[] {
  const { get, set } = partitionFunction;
  const slotOf = i32.load16u(i32.add(get("column"), i32.shl(get("row"), c(1))));
  return partitionFunction.encode(
    set("front", i32.add(get("rows"), i32.shl(get("begin"), c(2)))),
    whileNot(
      i32.geS(get("i"), get("count")),
      set("row", i32.load(i32.add(get("front"), i32.shl(get("i"), c(2))))),
      set("left", i32.load8u(i32.add(get("goesLeft"), slotOf))),
      // Branch-free: the row is written to both sides and only the matching cursor advances.
      i32.store(i32.add(get("front"), i32.shl(get("leftCount"), c(2))), get("row")),
      i32.store(i32.add(get("scratch"), i32.shl(get("rightCount"), c(2))), get("row")),
      set("leftCount", i32.add(get("leftCount"), get("left"))),
      set("rightCount", i32.add(get("rightCount"), i32.xor(get("left"), c(1)))),
      set("i", i32.add(get("i"), c(1))),
    ),
    get("leftCount"),
  );
}
