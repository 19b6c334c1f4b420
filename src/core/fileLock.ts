import { open, readFile, rm, stat, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { hostname } from "node:os";
import { LarderError } from "../errors.js";

export interface FileLockOptions {
  /** Give up after this long (ms). Default 30 000. */
  timeoutMs?: number;
  /** A lock older than this (ms) whose owner cannot be proven alive is broken. Default 30 000. */
  staleMs?: number;
  /** First wait between attempts (ms); grows up to 50 ms. Default 2. */
  retryMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  time: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding an exclusive cross-process lock represented by the file `lockPath`.
 * The lock is taken with `open(path, "wx")`, which the kernel makes atomic: exactly one process
 * creates the file. A lock left behind by a crashed process is broken when its owner (same host)
 * is gone, or when it is older than `staleMs`.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const release = await acquireFileLock(lockPath, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Takes the lock and returns the function that releases it. Prefer `withFileLock`. */
export async function acquireFileLock(
  lockPath: string,
  options: FileLockOptions = {},
): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 30_000;
  let wait = options.retryMs ?? 2;
  const deadline = Date.now() + timeoutMs;
  await mkdir(dirname(lockPath), { recursive: true });
  for (;;) {
    if (await tryCreate(lockPath)) {
      return () => rm(lockPath, { force: true });
    }
    if (await isStale(lockPath, staleMs)) {
      await breakStaleLock(lockPath, staleMs);
      continue;
    }
    if (Date.now() >= deadline) {
      const owner = await readOwner(lockPath);
      throw new LarderError("INVALID_STATE", `Timed out after ${timeoutMs} ms waiting for lock '${lockPath}'`, {
        hint:
          owner === undefined
            ? "Another process holds the lock; retry when it has finished."
            : `It is held by process ${owner.pid} on ${owner.host}; if that process is gone, delete the lock file.`,
      });
    }
    // Jitter keeps several waiters from retrying in lock-step.
    await sleep(wait * (0.5 + Math.random()));
    wait = Math.min(wait * 2, 50);
  }
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, "wx");
    try {
      const owner: LockOwner = { pid: process.pid, host: hostname(), time: Date.now() };
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.time === "number") {
      return parsed as LockOwner;
    }
  } catch {
    // Missing, or still being written by its owner: not enough to judge it.
  }
  return undefined;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  const owner = await readOwner(lockPath);
  if (owner !== undefined && owner.host === hostname() && owner.pid !== process.pid) {
    if (!processIsAlive(owner.pid)) return true;
  }
  try {
    const info = await stat(lockPath);
    return Date.now() - info.mtimeMs > staleMs;
  } catch {
    return false;
  }
}

/**
 * Two waiters may both judge a lock stale; if both deleted it, the second could delete the fresh
 * lock the first had just taken. A second lock file serialises the breaking, and staleness is
 * checked again under it.
 */
async function breakStaleLock(lockPath: string, staleMs: number): Promise<void> {
  const breakerPath = `${lockPath}.break`;
  if (!(await tryCreate(breakerPath))) {
    // A breaker that crashed mid-way would block everyone; it only lives for a few syscalls.
    try {
      const info = await stat(breakerPath);
      if (Date.now() - info.mtimeMs > Math.min(staleMs, 5_000)) await rm(breakerPath, { force: true });
    } catch {
      // Gone already.
    }
    await sleep(1);
    return;
  }
  try {
    if (await isStale(lockPath, staleMs)) await rm(lockPath, { force: true });
  } finally {
    await rm(breakerPath, { force: true });
  }
}
