import { randomUUID } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { atomicWriteFile } from "../../core/atomicWrite.js";
import { LarderError } from "../../errors.js";
import { emptyRepoSpecs } from "../definitions/specs.js";
import { emptyMeta, type RegistryDocument } from "./registryDocument.js";
import { withFileLock } from "../../core/fileLock.js";

/** The registry as one JSON file, replaced atomically (write to a sibling, then rename) on every change. */
export class FileFeatureRegistry {
  constructor(
    readonly path: string,
    readonly project: string,
  ) {}

  /** The stored document, or `undefined` when nothing was applied yet. */
  async read(): Promise<RegistryDocument | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new LarderError("IO_ERROR", `Cannot read the registry ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    let document: RegistryDocument;
    try {
      document = JSON.parse(text) as RegistryDocument;
    } catch (err) {
      throw new LarderError("DATA_ERROR", `The registry ${this.path} is not valid JSON`, {
        hint: "Restore it from version control, or delete it and run larder fs apply",
        cause: err,
      });
    }
    if (document.registrySchemaVersion !== 1 || typeof document.objects !== "object") {
      throw new LarderError("DATA_ERROR", `The registry ${this.path} is not a Larder registry (registrySchemaVersion 1)`);
    }
    if (document.project !== this.project) {
      throw new LarderError(
        "INVALID_STATE",
        `The registry ${this.path} belongs to project ${document.project}, not ${this.project}`,
        { hint: "Point registry: in feature_store.yaml at another file, or run larder fs teardown first" },
      );
    }
    return document;
  }

  /** The stored document, or an empty one for this project. */
  async readOrEmpty(): Promise<RegistryDocument> {
    return (await this.read()) ?? this.empty();
  }

  empty(): RegistryDocument {
    const now = new Date().toISOString();
    return {
      registrySchemaVersion: 1,
      project: this.project,
      versionId: "",
      lastUpdated: now,
      projectCreated: now,
      objects: emptyRepoSpecs(),
      meta: emptyMeta(),
    };
  }

  /** Read-modify-write under `<registry>.lock`, so two concurrent applies cannot interleave; `change` returns the new document. */
  async update(change: (current: RegistryDocument | undefined) => RegistryDocument | Promise<RegistryDocument>): Promise<RegistryDocument> {
    return withFileLock(`${this.path}.lock`, async () => {
      const next = await change(await this.read());
      next.versionId = randomUUID();
      next.lastUpdated = new Date().toISOString();
      await atomicWriteFile(this.path, `${JSON.stringify(next, null, 2)}\n`);
      return next;
    });
  }

  async delete(): Promise<void> {
    await withFileLock(`${this.path}.lock`, () => rm(this.path, { force: true }));
  }
}
