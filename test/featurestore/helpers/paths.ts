import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** `/work/shared` as seen from the repo (`../shared`), read in place. */
export const SHARED_DIR = resolve(here, "../../../../shared");
export const ORACLE_CASE_DIR = join(SHARED_DIR, "feast/oracle-case");
export const oracleCaseAvailable = existsSync(join(ORACLE_CASE_DIR, "out_duckdb.csv"));

export const REPO_ROOT = resolve(here, "../../..");

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "larder-fs-test-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
