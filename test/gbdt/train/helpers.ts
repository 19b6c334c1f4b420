/** Readers for the LightGBM golden fixtures in ../shared/lightgbm (tests only). */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const FIXTURE_ROOT = path.resolve(import.meta.dirname, "../../../../shared/lightgbm");
export const HAVE_FIXTURES = existsSync(path.join(FIXTURE_ROOT, "manifest.json"));
export const SKIP_REASON = `LightGBM golden fixtures not found at ${FIXTURE_ROOT}; skipping`;

export const TRAIN_FIXTURES = ["train_binary_small", "train_multiclass_small", "train_regression_small"] as const;

export interface FixtureManifest {
  params: Record<string, unknown>;
  num_bin_per_feature?: number[];
  num_features: number;
}

export function readManifest(name: string): FixtureManifest {
  const manifest = JSON.parse(readFileSync(path.join(FIXTURE_ROOT, "manifest.json"), "utf8")) as {
    fixtures: Record<string, FixtureManifest>;
  };
  const entry = manifest.fixtures[name];
  if (!entry) throw new Error(`fixture ${name} not in manifest`);
  return entry;
}

export interface Csv {
  header: string[];
  columns: Float64Array[];
  numRows: number;
}

export function readCsv(fixture: string, file: string): Csv {
  const lines = readFileSync(path.join(FIXTURE_ROOT, fixture, file), "utf8").split("\n").filter((l) => l.length > 0);
  const header = lines[0]!.split(",");
  const numRows = lines.length - 1;
  const columns = header.map(() => new Float64Array(numRows));
  for (let i = 0; i < numRows; i++) {
    const cells = lines[i + 1]!.split(",");
    for (let j = 0; j < header.length; j++) columns[j]![i] = Number(cells[j]);
  }
  return { header, columns, numRows };
}

export function readModelText(fixture: string): string {
  return readFileSync(path.join(FIXTURE_ROOT, fixture, "model.txt"), "utf8");
}

/** The fields of one `Tree=` block, as raw string tokens. */
export type TreeFields = Record<string, string[]>;

export function parseTreeBlocks(modelText: string): TreeFields[] {
  const trees: TreeFields[] = [];
  let current: TreeFields | null = null;
  for (const line of modelText.split("\n")) {
    if (line.startsWith("Tree=")) {
      current = {};
      trees.push(current);
    } else if (line.startsWith("end of trees")) {
      break;
    } else if (current && line.includes("=")) {
      const at = line.indexOf("=");
      const value = line.slice(at + 1);
      current[line.slice(0, at)] = value.length > 0 ? value.split(" ") : [];
    }
  }
  return trees;
}

export function headerField(modelText: string, key: string): string {
  const line = modelText.split("\n").find((l) => l.startsWith(`${key}=`));
  if (line === undefined) throw new Error(`no ${key}= line`);
  return line.slice(key.length + 1);
}
