/**
 * Just enough of the WebAssembly binary format to write the booster's two small kernels (the
 * histogram loop and the forest walk) as bytes, so they need no toolchain or build step.
 */

export function leb128(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128, as `i32.const` immediates are encoded. */
export function sleb128(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function section(id: number, content: number[]): number[] {
  return [id, ...leb128(content.length), ...content];
}

export const ascii = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const OP = {
  BLOCK: 0x02, LOOP: 0x03, END: 0x0b, BR: 0x0c, BR_IF: 0x0d, VOID: 0x40, SELECT: 0x1b,
  GET: 0x20, SET: 0x21, TEE: 0x22, I32_CONST: 0x41,
  I32_LOAD: 0x28, I32_LOAD16_U: 0x2f, F64_LOAD: 0x2b, F64_STORE: 0x39,
  I32_GE_S: 0x4e, I32_LT_U: 0x49, I32_GE_U: 0x4f,
  F64_NE: 0x62, F64_GT: 0x64,
  I32_ADD: 0x6a, I32_MUL: 0x6c, I32_REM_U: 0x70, I32_AND: 0x71, I32_OR: 0x72, I32_SHL: 0x74,
  F64_ADD: 0xa0,
} as const;

export const TYPE_I32 = 0x7f;
export const TYPE_F64 = 0x7c;

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const WASM_PAGE_BYTES = 65536;
