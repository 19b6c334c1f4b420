/**
 * Reading the golden LightGBM fixtures in ../shared/lightgbm (see its manifest.json):
 * CSV with a header row, floats in Python repr, and NaN / Infinity / -Infinity tokens.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const GOLDEN_DIR = path.resolve(import.meta.dirname, "../../../shared/lightgbm");

export const goldenAvailable = existsSync(path.join(GOLDEN_DIR, "manifest.json"));

export const GOLDEN_MISSING_MESSAGE = `golden LightGBM fixtures not found at ${GOLDEN_DIR}; skipping`;

/** Names of the fixture folders that hold a model.txt. */
export function goldenFixtureNames(): string[] {
  if (!goldenAvailable) return [];
  return readdirSync(GOLDEN_DIR)
    .filter((name) => existsSync(path.join(GOLDEN_DIR, name, "model.txt")))
    .sort();
}

export function readGoldenText(fixture: string, file: string): string {
  return readFileSync(path.join(GOLDEN_DIR, fixture, file), "utf8");
}

export interface GoldenTable {
  header: string[];
  /** Row-major values, `header.length` per row. */
  values: Float64Array;
  numRows: number;
  /** The cells as text (for tables with string cells, such as input_raw.csv). */
  cells: string[][];
}

function parseCell(cell: string): number {
  if (cell === "NaN" || cell === "nan" || cell === "") return NaN;
  if (cell === "Infinity" || cell === "inf") return Infinity;
  if (cell === "-Infinity" || cell === "-inf") return -Infinity;
  const value = Number(cell);
  return value;
}

/** Plain comma-separated, no quoting: what the fixture generator wrote. */
export function readGoldenCsv(fixture: string, file: string): GoldenTable {
  const lines = readGoldenText(fixture, file).split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0]!.split(",");
  const cells = lines.slice(1).map((line) => line.split(","));
  const values = new Float64Array(cells.length * header.length);
  cells.forEach((row, r) => row.forEach((cell, j) => (values[r * header.length + j] = parseCell(cell))));
  return { header, values, numRows: cells.length, cells };
}
