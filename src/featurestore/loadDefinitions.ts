import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LarderError } from "../errors.js";
import { definitionKind } from "./definitions/brand.js";
import { resolveRepo, type ResolvedRepo } from "./definitions/resolveRepo.js";

export const DEFINITIONS_FILE = "features.ts";

export interface LoadDefinitionsOptions {
  /** Module that `import … from "larder"` resolves to; defaults to the running Larder's own entry point. */
  larderModule?: string;
}

/** The running Larder's entry point: `dist/index.js` when built, `src/index.ts` when run from source. */
export function runningLarderModule(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of ["../index.js", "../index.ts"]) {
    const path = join(here, candidate);
    if (existsSync(path)) return path;
  }
  throw new LarderError("INTERNAL_ERROR", `Cannot find Larder's entry point next to ${here}`);
}

/**
 * Loads a repo's `features.ts`: bundles it with esbuild (TypeScript, relative imports), keeping
 * `larder` pointed at the running Larder so definitions are built by the same classes, imports the
 * bundle, and resolves every exported definition (and those they reference).
 */
export async function loadDefinitions(file: string, options: LoadDefinitionsOptions = {}): Promise<ResolvedRepo> {
  if (!existsSync(file)) {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `No ${basename(file)} at ${file}`, {
      hint: `Define entities, sources and feature views in ${DEFINITIONS_FILE} in the feature repo`,
    });
  }
  const larderUrl = pathToFileURL(options.larderModule ?? runningLarderModule()).href;
  const { build } = await import("esbuild");
  let code: string;
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      logLevel: "silent",
      packages: "external",
      plugins: [
        {
          name: "larder-self",
          setup(pluginBuild) {
            pluginBuild.onResolve({ filter: /^larder$/ }, () => ({ path: larderUrl, external: true }));
          },
        },
      ],
    });
    code = result.outputFiles[0]!.text;
  } catch (err) {
    const messages = (err as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors ?? [];
    const detail = messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text)).join("\n");
    throw new LarderError("INVALID_PARAMETER_VALUE", `Cannot compile ${file}:\n${detail || (err as Error).message}`, { cause: err });
  }
  const moduleExports = await importBundle(file, code);
  const objects = collectDefinitions(moduleExports);
  return resolveRepo(objects, file);
}

async function importBundle(file: string, code: string): Promise<Record<string, unknown>> {
  // The bundle sits beside features.ts so that its bare imports resolve against the repo's node_modules;
  // a read-only repo falls back to the temp directory.
  const name = `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.mjs`;
  let temp = join(dirname(file), name);
  try {
    await writeFile(temp, code);
  } catch {
    temp = join(tmpdir(), name);
    await writeFile(temp, code);
  }
  try {
    return (await import(pathToFileURL(temp).href)) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof LarderError) {
      throw new LarderError(err.code, `${file}: ${err.message}`, { hint: err.hint, cause: err });
    }
    throw new LarderError("INVALID_PARAMETER_VALUE", `${file} failed to load: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(temp, { force: true });
  }
}

/** Definitions among the module's exports; arrays and plain objects of definitions are searched too. */
function collectDefinitions(moduleExports: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (definitionKind(value) !== undefined) {
      found.push(value);
    } else if (depth < 2 && Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (depth < 2 && typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  for (const value of Object.values(moduleExports)) visit(value, 0);
  return found;
}
