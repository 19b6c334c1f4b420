/**
 * `correctlyRoundedExp` over whole arrays, for the training objectives' sigmoids and softmaxes.
 * A WebAssembly loop runs the fast path (table of 2^(j/1024), short polynomial, Ziv's rounding
 * test) at a fraction of the cost of a call per value, and leaves each value it cannot decide in
 * place for the JavaScript function, which then gives the same correctly rounded result.
 */
import { FAST_PATH, correctlyRoundedExp } from "./correctlyRoundedExp.js";
import { type Code, WasmFunction, f64, i32, i64, ifElse, select, sharedMemoryModule, whileNot } from "./wasmAssembler.js";
import { WASM_PAGE_BYTES, wasmApi as wasm } from "./wasmEncoding.js";

/** Values per wasm call; the buffer and the list of undecided indices live in the module's memory. */
const CHUNK = 8192;
const TABLE_AT = 0;
const VALUES_AT = TABLE_AT + 16 * FAST_PATH.tableSize;
const UNDECIDED_AT = VALUES_AT + 8 * CHUNK;
const MEMORY_BYTES = UNDECIDED_AT + 4 * CHUNK;

const expFunction = new WasmFunction(
  "expInPlace",
  [["values", "i32"], ["count", "i32"], ["undecided", "i32"]],
  [
    ["i", "i32"], ["at", "i32"], ["j", "i32"], ["ni", "i32"], ["misses", "i32"],
    ["x", "f64"], ["n", "f64"], ["r", "f64"], ["p", "f64"], ["tHi", "f64"], ["c", "f64"], ["hi", "f64"], ["lo", "f64"],
  ],
  "i32",
);

function expBody(): number[] {
  const { get, set, tee } = expFunction;
  const k = f64.const;
  const size = FAST_PATH.tableSize;
  const tableEntry = i32.add(c(TABLE_AT), i32.shl(get("j"), c(4)));
  // The same operations as the JavaScript fast path (see correctlyRoundedExp.ts).
  const fastPath: Code[] = [
    set("n", f64.nearest(f64.mul(get("x"), k(size * Math.LOG2E)))),
    set("ni", i32.truncF64S(get("n"))),
    set("j", i32.and(get("ni"), c(size - 1))),
    set("r", f64.sub(
      // Multiplying by 2^-10 is the same exact scaling as the JavaScript's division by 1024.
      f64.sub(get("x"), f64.mul(f64.mul(get("n"), k(FAST_PATH.ln2A)), k(1 / size))),
      f64.mul(f64.mul(get("n"), k(FAST_PATH.ln2B)), k(1 / size)),
    )),
    set("p", f64.add(get("r"), f64.mul(f64.mul(get("r"), get("r")),
      f64.add(k(0.5), f64.mul(get("r"), f64.add(k(1 / 6), f64.mul(get("r"), f64.add(k(1 / 24), f64.mul(get("r"), k(1 / 120)))))))))),
    set("tHi", f64.load(tableEntry)),
    set("c", f64.add(f64.load(tableEntry, 8), f64.mul(get("tHi"), get("p")))),
    set("hi", f64.add(get("tHi"), get("c"))),
    set("lo", f64.sub(get("c"), f64.sub(get("hi"), get("tHi")))),
  ];
  const halfUlp = select(k(2 ** -54), select(k(2 ** -53), k(2 ** -52), f64.le(get("hi"), k(2))), f64.le(get("hi"), k(1)));
  const decided = f64.lt(f64.add(f64.abs(get("lo")), f64.mul(k(FAST_PATH.error), get("hi"))), halfUlp);
  // 2^m with m = (n - j) / 1024 in [-1010, 1010], built from its exponent bits: exact.
  const powerOfTwo = f64.reinterpretI64(i64.shl(i64.extendI32S(i32.add(i32.shrS(i32.sub(get("ni"), get("j")), c(10)), c(1023))), i64.const(52)));
  const markUndecided = [
    i32.store(i32.add(get("undecided"), i32.shl(get("misses"), c(2))), get("i")),
    set("misses", i32.add(get("misses"), c(1))),
  ];
  const inRange = i32.and(f64.gt(get("x"), k(-FAST_PATH.limit)), f64.lt(get("x"), k(FAST_PATH.limit)));
  return expFunction.encode(
    whileNot(
      i32.geS(get("i"), get("count")),
      set("x", f64.load(tee("at", i32.add(get("values"), i32.shl(get("i"), c(3)))))),
      // exp(±0) = 1 exactly; outside the fast range (and NaN) JavaScript decides.
      ifElse(inRange, [
        ifElse(f64.eq(get("x"), k(0)), [f64.store(get("at"), k(1))], [
          ...fastPath,
          ifElse(decided, [f64.store(get("at"), f64.mul(get("hi"), powerOfTwo))], markUndecided),
        ]),
      ], markUndecided),
      set("i", i32.add(get("i"), c(1))),
    ),
    get("misses"),
  );
}

const c = i32.const;

interface ExpKernel {
  run(values: Float64Array, begin: number, end: number): void;
}

function createKernel(): ExpKernel | null {
  if (wasm === undefined) return null;
  try {
    const pages = Math.ceil(MEMORY_BYTES / WASM_PAGE_BYTES);
    const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
    const bytes = sharedMemoryModule([expFunction], [expBody()]);
    const instance = new wasm.Instance(new wasm.Module(new Uint8Array(bytes)), { env: { memory } });
    const expInPlace = instance.exports.expInPlace as (values: number, count: number, undecided: number) => number;
    const table = new Float64Array(memory.buffer, TABLE_AT, 2 * FAST_PATH.tableSize);
    for (let j = 0; j < FAST_PATH.tableSize; j++) {
      table[2 * j] = FAST_PATH.tableHi[j]!;
      table[2 * j + 1] = FAST_PATH.tableLo[j]!;
    }
    const buffer = new Float64Array(memory.buffer, VALUES_AT, CHUNK);
    const undecided = new Int32Array(memory.buffer, UNDECIDED_AT, CHUNK);
    return {
      run(values, begin, end) {
        for (let start = begin; start < end; start += CHUNK) {
          const count = Math.min(CHUNK, end - start);
          buffer.set(values.subarray(start, start + count));
          const misses = expInPlace(VALUES_AT, count, UNDECIDED_AT);
          for (let m = 0; m < misses; m++) buffer[undecided[m]!] = correctlyRoundedExp(buffer[undecided[m]!]!);
          values.set(buffer.subarray(0, count), start);
        }
      },
    };
  } catch {
    return null;
  }
}

let kernel: ExpKernel | null | undefined;

/** `values[i] = correctlyRoundedExp(values[i])` for i in [begin, end). */
export function correctlyRoundedExpInPlace(values: Float64Array, begin = 0, end = values.length): void {
  if (kernel === undefined) kernel = createKernel();
  if (kernel === null) {
    for (let i = begin; i < end; i++) values[i] = correctlyRoundedExp(values[i]!);
    return;
  }
  kernel.run(values, begin, end);
}
