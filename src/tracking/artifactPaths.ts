import { realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { LarderError } from "../errors.js";

function refuse(path: string, why: string): LarderError {
  return new LarderError("INVALID_PARAMETER_VALUE", `Invalid artifact path '${path}': ${why}`, {
    hint: "Artifact paths are relative to the run's artifact folder, e.g. 'plots/roc.png'.",
  });
}

/**
 * Resolves a relative artifact path inside `root`, refusing anything that could land outside it:
 * absolute paths, `..` segments, backslashes (a Windows separator) and NUL bytes.
 */
export function resolveArtifactPath(root: string, artifactPath: string | undefined): string {
  if (artifactPath === undefined || artifactPath === "" || artifactPath === ".") return resolve(root);
  if (artifactPath.includes("\0")) throw refuse(artifactPath, "it contains a NUL byte");
  if (artifactPath.includes("\\")) throw refuse(artifactPath, "it contains a backslash");
  if (isAbsolute(artifactPath) || /^[a-zA-Z]:/.test(artifactPath)) throw refuse(artifactPath, "it is absolute");
  if (artifactPath.split("/").includes("..")) throw refuse(artifactPath, "it contains '..'");
  const target = resolve(root, artifactPath);
  const rel = relative(resolve(root), target);
  if (rel.startsWith("..") || isAbsolute(rel)) throw refuse(artifactPath, "it leaves the run's artifact folder");
  return target;
}

/**
 * A symlink inside the artifact folder could still point outside it; checks the real location of
 * an existing `target` (or its nearest existing parent).
 */
export async function assertInsideRealRoot(root: string, target: string, shownPath: string): Promise<void> {
  const realRoot = await realpath(root);
  const rootAbs = resolve(root);
  let probe = resolve(target);
  let real: string;
  for (;;) {
    try {
      real = await realpath(probe);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || probe === rootAbs) return;
      probe = dirname(probe);
    }
  }
  const rel = relative(realRoot, real);
  if (rel.startsWith("..") || isAbsolute(rel)) throw refuse(shownPath, "it resolves outside the run's artifact folder");
}
