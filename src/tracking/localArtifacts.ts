import { statSync } from "node:fs";
import { copyFile, readdir, rename, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, join, resolve } from "node:path";
import type { ArtifactInfo } from "./entities.js";
import { isMissing } from "./fileStoreLayout.js";
import { isTempFileName } from "./keyValueFiles.js";

/** File operations on a local artifact folder; paths are checked by artifactPaths.ts before they get here. */

/** Copies a file so readers never see it half-written. */
export async function copyFileAtomically(source: string, destination: string): Promise<void> {
  const tmp = join(resolve(destination, ".."), `.${basename(destination)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await copyFile(source, tmp);
    await rename(tmp, destination);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Direct children of `folder`, with paths relative to the artifact root (`shownPath` is the folder's own). */
export async function listArtifactFolder(folder: string, shownPath: string | undefined): Promise<ArtifactInfo[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const prefix = shownPath === undefined || shownPath === "" || shownPath === "." ? "" : `${shownPath.replace(/\/+$/, "")}/`;
  const infos: ArtifactInfo[] = [];
  for (const entry of entries) {
    if (isTempFileName(entry.name)) continue;
    const full = join(folder, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(full, { throwIfNoEntry: false })?.isDirectory() === true);
    if (isDir) infos.push({ path: `${prefix}${entry.name}`, isDir: true });
    else infos.push({ path: `${prefix}${entry.name}`, isDir: false, fileSize: statSync(full).size });
  }
  return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
