import { statSync } from "node:fs";

/**
 * Judged by permission bits rather than access(): a process running as root may write anywhere,
 * but a folder marked read-only (a shared reference store) must stay untouched.
 */
export function isWritableFolder(dir: string): boolean {
  const info = statSync(dir, { throwIfNoEntry: false });
  return info !== undefined && info.isDirectory() && (info.mode & 0o222) !== 0;
}
