/**
 * The forest walk as a WebAssembly module, written out as bytes (see `wasmEncoding.ts`).
 *
 * Every node and leaf is a 24-byte record: threshold (f64), feature byte offset (i32), "NaN goes
 * right" (i32), then left and right record addresses (i32), so the child is one indexed load. A
 * leaf's two children are itself and its threshold slot holds its value, so a row that reaches
 * its leaf early keeps stepping in place while the rest of its group finishes. That makes the
 * walk free of per-row branches (the comparison indexes the child instead of jumping), so the CPU
 * never mispredicts a split, and `GROUP` rows walk a tree side by side so their loads overlap.
 * Per row the trees are still added in model order from 0, so raw scores equal the JavaScript
 * walk's bit for bit.
 */
import {
  ascii,
  leb128,
  OP,
  section,
  sleb128,
  TYPE_F64,
  TYPE_I32,
  WASM_HEADER,
} from "./wasmEncoding.js";

/**
 * Rows walked side by side; callers pad row counts to a multiple of it. Eight hides the chain of
 * loads of one step (record, feature value, next record) better than four, and with the row
 * stride an immediate the lanes need no row pointers of their own, so nothing spills.
 */
export const GROUP = 8;
/**
 * Steps between checks that every lane has reached its leaf. Extra steps are harmless (leaves
 * step in place), and checking every other step measured about 15% faster than every step.
 */
const STEPS_PER_CHECK = 2;
/** Rows per pass over the trees, so a block's rows stay in cache while every tree visits them. */
const BLOCK_ROWS = 256;
export const RECORD_BYTES = 24;

const { BLOCK, LOOP, END, BR, BR_IF, VOID, SELECT, GET, SET, TEE, I32_CONST } = OP;
const { I32_LOAD, F64_LOAD, F64_STORE, I32_LT_U, I32_GE_U, F64_NE, F64_GT } = OP;
const { I32_ADD, I32_MUL, I32_REM_U, I32_AND, I32_OR, I32_SHL, F64_ADD } = OP;

// Parameters, then locals, by index.
const ROWS = 0, NUM_ROWS = 1, ROOTS = 2, FIRST_TREE = 3, END_TREE = 4, PER_ITERATION = 5, OUT = 6, LEAF_LIMIT = 7;
const BS = 8, BE = 9, T = 10, R = 11, ROOT = 12, OUT_COLUMN = 13, O = 14, OUT_STRIDE = 15, ROW0 = 16;
const NODE = (i: number) => 17 + i;
const X = 17 + GROUP;
const NUM_I32_LOCALS = 9 + GROUP;

/**
 * One step of the walk in local `a` over the row at local `row` plus the immediate `offset`:
 * `a = children[x > threshold || (x is NaN && nanRight)]`. Without NaN in the input,
 * `x > threshold` alone decides. `x` is a scratch f64 local.
 */
function stepCode(a: number, row: number, offset: number, x: number, withNaN: boolean): number[] {
  const load = [GET, row, GET, a, I32_LOAD, 2, 8, I32_ADD, F64_LOAD, 3, ...leb128(offset)];
  return [
    GET, a,
    ...(withNaN ? [...load, TEE, x] : load),
    GET, a, F64_LOAD, 3, 0, F64_GT,
    ...(withNaN ? [GET, x, GET, x, F64_NE, GET, a, I32_LOAD, 2, 12, I32_AND, I32_OR] : []),
    I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, 2, 16,
    SET, a,
  ];
}

/** Row `i` of the group is at `ROW0 + i * strideBytes`, the stride being an immediate. */
const step = (i: number, strideBytes: number, withNaN: boolean) => stepCode(NODE(i), ROW0, i * strideBytes, X, withNaN);

function kernelBody(strideBytes: number, withNaN: boolean): number[] {
  const group = Array.from({ length: GROUP }, (_, i) => i);
  const code: number[] = [2, ...leb128(NUM_I32_LOCALS), TYPE_I32, 1, TYPE_F64];
  code.push(GET, PER_ITERATION, I32_CONST, 3, I32_SHL, SET, OUT_STRIDE);
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(GET, BS, GET, NUM_ROWS, I32_GE_U, BR_IF, 1);
  code.push(GET, BS, I32_CONST, ...sleb128(BLOCK_ROWS), I32_ADD, TEE, BE, GET, NUM_ROWS, GET, BE, GET, NUM_ROWS, I32_LT_U, SELECT, SET, BE);
  code.push(GET, FIRST_TREE, SET, T);
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(GET, T, GET, END_TREE, I32_GE_U, BR_IF, 1);
  code.push(GET, ROOTS, GET, T, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, 2, 0, SET, ROOT);
  code.push(GET, T, GET, PER_ITERATION, I32_REM_U, I32_CONST, 3, I32_SHL, SET, OUT_COLUMN);
  code.push(GET, BS, SET, R);
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(GET, R, GET, BE, I32_GE_U, BR_IF, 1);
  code.push(GET, ROWS, GET, R, I32_CONST, ...sleb128(strideBytes), I32_MUL, I32_ADD, SET, ROW0);
  for (const i of group) code.push(GET, ROOT, SET, NODE(i));
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(GET, NODE(0));
  for (const i of group.slice(1)) code.push(GET, NODE(i), I32_OR);
  code.push(GET, LEAF_LIMIT, I32_LT_U, BR_IF, 1);
  for (let u = 0; u < STEPS_PER_CHECK; u++) for (const i of group) code.push(...step(i, strideBytes, withNaN));
  code.push(BR, 0, END, END);
  code.push(GET, OUT, GET, R, GET, OUT_STRIDE, I32_MUL, I32_ADD, GET, OUT_COLUMN, I32_ADD, SET, O);
  for (const i of group) {
    code.push(GET, O, GET, O, F64_LOAD, 3, 0, GET, NODE(i), F64_LOAD, 3, 0, F64_ADD, F64_STORE, 3, 0);
    if (i < GROUP - 1) code.push(GET, O, GET, OUT_STRIDE, I32_ADD, SET, O);
  }
  code.push(GET, R, I32_CONST, ...sleb128(GROUP), I32_ADD, SET, R);
  code.push(BR, 0, END, END);
  code.push(GET, T, I32_CONST, 1, I32_ADD, SET, T);
  code.push(BR, 0, END, END);
  code.push(GET, BE, SET, BS);
  code.push(BR, 0, END, END);
  code.push(END);
  return code;
}

// The one-row kernel's parameters and locals. Its lanes are trees, not rows: `GROUP` trees of
// the same row walk side by side, and lanes past the last tree sit on a leaf worth +0.
const ROW_ROW = 0, ROW_ROOTS = 1, ROW_FIRST_TREE = 2, ROW_END_TREE = 3, ROW_PER_ITERATION = 4, ROW_OUT = 5, ROW_LEAF_LIMIT = 6, ROW_ZERO_LEAF = 7;
const ROW_T = 8, ROW_O = 9;
const ROW_NODE = (i: number) => 10 + i;
const ROW_X = 10 + GROUP;

function rowKernelBody(withNaN: boolean): number[] {
  const lanes = Array.from({ length: GROUP }, (_, i) => i);
  const code: number[] = [2, ...leb128(2 + GROUP), TYPE_I32, 1, TYPE_F64];
  code.push(GET, ROW_FIRST_TREE, SET, ROW_T);
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(GET, ROW_T, GET, ROW_END_TREE, I32_GE_U, BR_IF, 1);
  for (const i of lanes) {
    code.push(GET, ROW_ROOTS, GET, ROW_T, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, 2, ...leb128(4 * i));
    code.push(GET, ROW_ZERO_LEAF, GET, ROW_T, I32_CONST, ...sleb128(i), I32_ADD, GET, ROW_END_TREE, I32_LT_U, SELECT, SET, ROW_NODE(i));
  }
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(GET, ROW_NODE(0));
  for (const i of lanes.slice(1)) code.push(GET, ROW_NODE(i), I32_OR);
  code.push(GET, ROW_LEAF_LIMIT, I32_LT_U, BR_IF, 1);
  for (let u = 0; u < STEPS_PER_CHECK; u++) for (const i of lanes) code.push(...stepCode(ROW_NODE(i), ROW_ROW, 0, ROW_X, withNaN));
  code.push(BR, 0, END, END);
  // Tree by tree in model order, each into its class: the sums a one-tree-at-a-time walk makes.
  for (const i of lanes) {
    code.push(GET, ROW_OUT, GET, ROW_T, I32_CONST, ...sleb128(i), I32_ADD, GET, ROW_PER_ITERATION, I32_REM_U, I32_CONST, 3, I32_SHL, I32_ADD, TEE, ROW_O);
    code.push(GET, ROW_O, F64_LOAD, 3, 0, GET, ROW_NODE(i), F64_LOAD, 3, 0, F64_ADD, F64_STORE, 3, 0);
  }
  code.push(GET, ROW_T, I32_CONST, ...sleb128(GROUP), I32_ADD, SET, ROW_T);
  code.push(BR, 0, END, END);
  code.push(END);
  return code;
}

/**
 * The kernels for rows of `strideBytes`, over the imported shared memory `env.memory` (all
 * pointers are byte offsets into it): `forest` and `forestNoNaN` (inputs without NaN) for
 * batches, `forestRow` and `forestRowNoNaN` for one row.
 */
export function forestKernelBytes(strideBytes: number): number[] {
  const bodies = [kernelBody(strideBytes, true), kernelBody(strideBytes, false), rowKernelBody(true), rowKernelBody(false)];
  const exportNames = ["forest", "forestNoNaN", "forestRow", "forestRowNoNaN"];
  return [
    ...WASM_HEADER,
    ...section(1, [1, 0x60, 8, ...new Array<number>(8).fill(TYPE_I32), 0]),
    ...section(2, [1, ...ascii("env"), ...ascii("memory"), 0x02, 0x03, 1, ...leb128(65536)]),
    ...section(3, [4, 0, 0, 0, 0]),
    ...section(7, [4, ...exportNames.flatMap((name, i) => [...ascii(name), 0x00, i])]),
    ...section(10, [4, ...bodies.flatMap((body) => [...leb128(body.length), ...body])]),
  ];
}

export type RowKernel = (
  row: number,
  roots: number,
  firstTree: number,
  endTree: number,
  perIteration: number,
  out: number,
  leafLimit: number,
  zeroLeaf: number,
) => void;

export type ForestKernel = (
  rows: number,
  numRows: number,
  roots: number,
  firstTree: number,
  endTree: number,
  perIteration: number,
  out: number,
  leafLimit: number,
) => void;
