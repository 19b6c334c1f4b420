/**
 * A structured way to write small WebAssembly functions in TypeScript: each helper returns the
 * bytes of one expression in WebAssembly's stack order, so kernels read like the text format's
 * folded S-expressions (`f64.add(get("a"), get("b"))`) and need no toolchain or build step.
 */
import { ascii, leb128, section, sleb128, WASM_HEADER } from "./wasmEncoding.js";

export type Code = readonly number[];
export type ValueType = "i32" | "f32" | "f64";

const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c };

const binary = (opcode: number) => (a: Code, b: Code): number[] => [...a, ...b, opcode];
const unary = (opcode: number) => (a: Code): number[] => [...a, opcode];
const load = (opcode: number, align: number) => (address: Code, offset = 0): number[] => [
  ...address, opcode, align, ...leb128(offset),
];
const store = (opcode: number, align: number) => (address: Code, value: Code, offset = 0): number[] => [
  ...address, ...value, opcode, align, ...leb128(offset),
];

export const i32 = {
  const: (value: number): number[] => [0x41, ...sleb128(value)],
  load: load(0x28, 2),
  load8u: load(0x2d, 0),
  load16u: load(0x2f, 1),
  store: store(0x36, 2),
  store8: store(0x3a, 0),
  eqz: unary(0x45),
  eq: binary(0x46),
  ne: binary(0x47),
  ltS: binary(0x48),
  ltU: binary(0x49),
  gtS: binary(0x4a),
  leS: binary(0x4c),
  geS: binary(0x4e),
  geU: binary(0x4f),
  add: binary(0x6a),
  sub: binary(0x6b),
  mul: binary(0x6c),
  and: binary(0x71),
  or: binary(0x72),
  xor: binary(0x73),
  shl: binary(0x74),
  shrS: binary(0x75),
  /** i32.trunc_f64_s: traps outside the i32 range, so callers bound the input first. */
  truncF64S: unary(0xaa),
};

export const i64 = {
  const: (value: number): number[] => [0x42, ...sleb128(value)],
  extendI32S: unary(0xac),
  shl: binary(0x86),
};

export const f32 = {
  load: load(0x2a, 2),
};

export const f64 = {
  const: (value: number): number[] => {
    const bytes = new Uint8Array(new Float64Array([value]).buffer);
    return [0x44, ...bytes];
  },
  load: load(0x2b, 3),
  store: store(0x39, 3),
  eq: binary(0x61),
  ne: binary(0x62),
  lt: binary(0x63),
  gt: binary(0x64),
  le: binary(0x65),
  ge: binary(0x66),
  abs: unary(0x99),
  trunc: unary(0x9d),
  /** Round to nearest, ties to even. */
  nearest: unary(0x9e),
  add: binary(0xa0),
  sub: binary(0xa1),
  mul: binary(0xa2),
  div: binary(0xa3),
  /** f64.promote_f32: exact, as JavaScript reads a Float32Array element. */
  promoteF32: unary(0xbb),
  convertI32S: unary(0xb7),
  reinterpretI64: unary(0xbf),
};

const VOID = 0x40;
const END = 0x0b;

export const block = (...body: Code[]): number[] => [0x02, VOID, ...body.flat(), END];
export const loop = (...body: Code[]): number[] => [0x03, VOID, ...body.flat(), END];
export const br = (depth: number): number[] => [0x0c, ...leb128(depth)];
export const brIf = (depth: number, condition: Code): number[] => [...condition, 0x0d, ...leb128(depth)];
export const ifThen = (condition: Code, ...then: Code[]): number[] => [...condition, 0x04, VOID, ...then.flat(), END];
export const ifElse = (condition: Code, then: Code[], otherwise: Code[]): number[] => [
  ...condition, 0x04, VOID, ...then.flat(), 0x05, ...otherwise.flat(), END,
];
/** `condition ? whenTrue : whenFalse`, both evaluated. */
export const select = (whenTrue: Code, whenFalse: Code, condition: Code): number[] => [
  ...whenTrue, ...whenFalse, ...condition, 0x1b,
];
/** memory.fill (bulk memory): `size` bytes at `dest` set to the byte `value`. */
export const memoryFill = (dest: Code, value: Code, size: Code): number[] => [...dest, ...value, ...size, 0xfc, 0x0b, 0x00];
export const returnValue = (value: Code): number[] => [...value, 0x0f];

/** `while (!exit) { body }` as block + loop: `exit` is tested before every pass. */
export const whileNot = (exit: Code, ...body: Code[]): number[] =>
  block(loop(brIf(1, exit), ...body, br(0)));

/** One function: named parameters and locals, and the code that reads and writes them. */
export class WasmFunction {
  private readonly indexOf = new Map<string, number>();
  private readonly localTypes: ValueType[];

  constructor(
    readonly name: string,
    readonly params: ReadonlyArray<readonly [string, ValueType]>,
    locals: ReadonlyArray<readonly [string, ValueType]>,
    readonly result: ValueType | null,
  ) {
    [...params, ...locals].forEach(([localName], i) => {
      if (this.indexOf.has(localName)) throw new Error(`wasm function ${name}: ${localName} declared twice`);
      this.indexOf.set(localName, i);
    });
    this.localTypes = locals.map(([, type]) => type);
  }

  private index(localName: string): number[] {
    const i = this.indexOf.get(localName);
    if (i === undefined) throw new Error(`wasm function ${this.name}: no local ${localName}`);
    return leb128(i);
  }

  get = (localName: string): number[] => [0x20, ...this.index(localName)];
  set = (localName: string, value: Code): number[] => [...value, 0x21, ...this.index(localName)];
  tee = (localName: string, value: Code): number[] => [...value, 0x22, ...this.index(localName)];

  /** The function's type section entry. */
  signature(): number[] {
    const results = this.result === null ? [0] : [1, TYPE_CODE[this.result]];
    return [0x60, ...leb128(this.params.length), ...this.params.map(([, type]) => TYPE_CODE[type]), ...results];
  }

  /** The code section entry for `body`: locals grouped in runs of one type, then the body. */
  encode(...body: Code[]): number[] {
    const runs: number[][] = [];
    for (const type of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === TYPE_CODE[type]) last[0]!++;
      else runs.push([1, TYPE_CODE[type]]);
    }
    const content = [...leb128(runs.length), ...runs.flatMap(([count, type]) => [...leb128(count!), type!]), ...body.flat(), END];
    return [...leb128(content.length), ...content];
  }
}

/**
 * A module importing one shared memory as `env.memory` and exporting every function by its name.
 * `bodies[i]` is `functions[i].encode(...)`.
 */
export function sharedMemoryModule(functions: readonly WasmFunction[], bodies: readonly number[][]): number[] {
  const count = leb128(functions.length);
  return [
    ...WASM_HEADER,
    ...section(1, [...count, ...functions.flatMap((fn) => fn.signature())]),
    // Shared (flag 0x03), at least 0 and at most 65,536 pages: the caller's memory decides.
    ...section(2, [1, ...ascii("env"), ...ascii("memory"), 0x02, 0x03, 0, ...leb128(65536)]),
    ...section(3, [...count, ...functions.map((_, i) => i)]),
    ...section(7, [...count, ...functions.flatMap((fn, i) => [...ascii(fn.name), 0x00, i])]),
    ...section(10, [...count, ...bodies.flat()]),
  ];
}
