import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Duck } from "../core/duckdb.js";
import { quotedString } from "../core/sql.js";
import { LarderError } from "../errors.js";

export type TableFormat = "parquet" | "csv";

export function checkFormat(format: string): TableFormat {
  if (format === "parquet" || format === "csv") return format;
  throw new LarderError("INVALID_PARAMETER_VALUE", `Unknown format '${format}'`, {
    hint: "Use --format parquet or --format csv.",
  });
}

export interface TableExport {
  name: string;
  /** A SELECT over which the table's final columns are computed. */
  select: string;
}

/**
 * Writes each table as DIR/<name>.<format>. Each file is written beside its target and renamed
 * into place, so a reader never sees half a file.
 */
export async function exportTables(
  duck: Duck,
  outDir: string,
  format: TableFormat,
  tables: readonly TableExport[],
): Promise<Record<string, string>> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const t of tables) {
    const target = join(dir, `${t.name}.${format}`);
    const tmp = join(dir, `.${t.name}.${process.pid}.tmp.${format}`);
    const options = format === "parquet" ? "FORMAT PARQUET, COMPRESSION ZSTD" : "FORMAT CSV, HEADER TRUE";
    try {
      await duck.run(`COPY (${t.select}) TO ${quotedString(tmp)} (${options})`);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new LarderError("IO_ERROR", `Could not write ${target}: ${(err as Error).message}`, { cause: err });
    }
    files[t.name] = target;
  }
  return files;
}

/** A scratch folder for intermediate files, removed when `fn` ends. */
export async function withScratchDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "larder-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
