import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { LarderError } from "../../src/errors.js";

/** The real MLflow 3.6 store, shared read-only next to the repository (`../shared`). */
export const SAMPLE_STORE = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/mlflow/mlruns-sample");
export const HAVE_SAMPLE = existsSync(join(SAMPLE_STORE, "0", "meta.yaml"));
export const SKIP_SAMPLE_REASON = `MLflow sample store not found at ${SAMPLE_STORE}; sample-based tests are skipped`;
if (!HAVE_SAMPLE) console.warn(SKIP_SAMPLE_REASON);

export const SAMPLE_EXPERIMENT = "439892257072291717";
export const SAMPLE_RUN_1 = "77dc4c0cf03b4c2abd623ba205a806d9";
export const SAMPLE_RUN_2 = "bc40b6bd8eba44b2ac5073cc85a95303";
export const SAMPLE_CHILD = "8d5e772515024738b3ce78f14fd31e70";

const created: string[] = [];

export function makeTempDir(prefix = "larder-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Async on purpose: a sync delete of a big tree would block vitest's worker past its RPC timeout. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Every file under `root` as a sorted list of `/`-separated relative paths. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(relative(root, full).split("\\").join("/"));
    }
  };
  walk(root);
  return out.sort();
}

/** Paths, sizes and mtimes of everything under `root`, to prove a read-only use changed nothing. */
export function snapshotTree(root: string): string {
  const lines: string[] = [];
  const walk = (dir: string) => {
    const info = statSync(dir);
    lines.push(`${relative(root, dir)}/ ${info.mtimeMs}`);
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else lines.push(`${relative(root, full)} ${statSync(full).size} ${statSync(full).mtimeMs}`);
    }
  };
  walk(root);
  return lines.sort().join("\n");
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** Awaits `promise`, expects it to reject with a LarderError of `code` (and a message matching `message`). */
export async function expectLarderError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<LarderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "expected a LarderError").toBeInstanceOf(LarderError);
  expect((err as LarderError).code).toBe(code);
  if (message !== undefined) expect((err as LarderError).message).toMatch(message);
  return err as LarderError;
}
