import { mkdir, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { atomicWriteFile } from "../core/atomicWrite.js";
import { generateWearable, type DatasetSummary } from "../datagen/index.js";
import { LarderError } from "../errors.js";
import { FEATURES_TS, FEATURE_STORE_YAML, PROJECT_GITIGNORE, projectReadme } from "./templates.js";

export interface InitProjectOptions {
  dir: string;
  force?: boolean;
  participants?: number;
  days?: number;
  seed?: number;
}

export interface InitProjectResult {
  dir: string;
  files: string[];
  data: DatasetSummary;
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `${dir} exists and is not a folder`, {
        hint: "Choose another path for the new project.",
      });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  return (await readdir(dir)).length > 0;
}

/**
 * Scaffolds the activity example: a Feast-style feature repo, synthetic wearable data, and a
 * README with the next commands. Refuses a non-empty folder unless `force` is set.
 */
export async function initProject(opts: InitProjectOptions): Promise<InitProjectResult> {
  const dir = resolve(opts.dir);
  if (!opts.force && (await isNonEmptyDir(dir))) {
    throw new LarderError("RESOURCE_ALREADY_EXISTS", `${dir} is not empty`, {
      hint: "Pick an empty or new folder, or pass --force to write into it anyway.",
    });
  }
  const participants = opts.participants ?? 50;
  const days = opts.days ?? 7;
  const seed = opts.seed ?? 42;
  await mkdir(join(dir, "feature_repo", "data"), { recursive: true });
  const files: Array<[string, string]> = [
    ["feature_repo/feature_store.yaml", FEATURE_STORE_YAML],
    ["feature_repo/features.ts", FEATURES_TS],
    ["README.md", projectReadme({ participants, days, seed })],
    [".gitignore", PROJECT_GITIGNORE],
  ];
  for (const [rel, text] of files) await atomicWriteFile(join(dir, rel), text);
  const data = await generateWearable({ participants, days, seed, outDir: join(dir, "data"), format: "parquet" });
  return { dir, files: files.map(([rel]) => rel), data };
}
