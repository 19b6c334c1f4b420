import { readdirSync, readFileSync } from "node:fs";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { atomicWriteFile } from "../core/atomicWrite.js";

/**
 * MLflow keeps one file per key (`params/<key>`, `tags/<key>`, `metrics/<key>`); a key with `/`
 * becomes nested folders. These helpers read and write such folders.
 */

// Temporary siblings left by atomicWriteFile / writeNewFile while a write is in flight.
const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

export function isTempFileName(name: string): boolean {
  return TEMP_FILE.test(name);
}

/** Every file under `dir` as a `/`-joined relative key; empty when the folder does not exist. */
export function listKeyFiles(dir: string): string[] {
  const keys: string[] = [];
  const walk = (sub: string, prefix: string) => {
    let entries;
    try {
      entries = readdirSync(sub, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(join(sub, entry.name), `${prefix}${entry.name}/`);
      else if (!isTempFileName(entry.name)) keys.push(`${prefix}${entry.name}`);
    }
  };
  walk(dir, "");
  return keys;
}

/** Reads a params/ or tags/ folder into a key → value record. Sync: called per run in searches. */
export function readKeyValueFolder(dir: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of listKeyFiles(dir)) values[key] = readFileSync(join(dir, ...key.split("/")), "utf8");
  return values;
}

export async function readKeyFile(dir: string, key: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, ...key.split("/")), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Replaces the value of a key atomically (tags). */
export async function writeKeyFile(dir: string, key: string, value: string): Promise<void> {
  await atomicWriteFile(join(dir, ...key.split("/")), value);
}

/**
 * Creates the key file only if it does not exist yet, atomically: the content is written to a
 * temporary file that is then hard-linked into place, and `link` fails if the name is taken.
 * Returns the existing value when there was one (params are write-once).
 */
export async function writeNewKeyFile(dir: string, key: string, value: string): Promise<string | undefined> {
  const path = join(dir, ...key.split("/"));
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  await writeFile(tmp, value);
  try {
    await link(tmp, path);
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return await readFile(path, "utf8");
  } finally {
    await rm(tmp, { force: true });
  }
}
