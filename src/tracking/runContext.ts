import { existsSync, readFileSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { MLFLOW_SOURCE_GIT_COMMIT, MLFLOW_SOURCE_NAME, MLFLOW_SOURCE_TYPE, MLFLOW_USER } from "./reservedTags.js";

/** The user name MLflow records (`getpass.getuser()`): login env vars first, then the OS account. */
export function currentUser(): string {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const value = process.env[name];
    if (value !== undefined && value !== "") return value;
  }
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function findGitDir(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, ".git");
    if (existsSync(candidate)) {
      if (statSync(candidate).isDirectory()) return candidate;
      // A worktree or submodule: `.git` is a file `gitdir: <path>`.
      const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(candidate, "utf8"));
      return match ? resolve(dir, match[1]!.trim()) : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The commit checked out in the repository containing `path`, read from `.git` without running git. */
export function gitCommitOf(path: string): string | undefined {
  try {
    const gitDir = findGitDir(path);
    if (gitDir === undefined) return undefined;
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    if (ref === undefined) return undefined;
    const commonDir = existsSync(join(gitDir, "commondir")) ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()) : gitDir;
    for (const dir of [gitDir, commonDir]) {
      const loose = join(dir, ref);
      if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
    }
    const packed = join(commonDir, "packed-refs");
    if (existsSync(packed)) {
      for (const line of readFileSync(packed, "utf8").split("\n")) {
        const [sha, name] = line.split(" ");
        if (name === ref && sha !== undefined && /^[0-9a-f]{40}$/.test(sha)) return sha;
      }
    }
  } catch {
    // Not a readable repository: no commit tag.
  }
  return undefined;
}

/** The tags MLflow's context providers add to every run started from a script. */
export function defaultRunContextTags(): Record<string, string> {
  const script = process.argv[1];
  const tags: Record<string, string> = {
    [MLFLOW_USER]: currentUser(),
    [MLFLOW_SOURCE_NAME]: script ?? "<console>",
    [MLFLOW_SOURCE_TYPE]: "LOCAL",
  };
  const commit = script === undefined ? undefined : gitCommitOf(dirname(resolve(script)));
  if (commit !== undefined) tags[MLFLOW_SOURCE_GIT_COMMIT] = commit;
  return tags;
}
