import { DEFINITION_KIND, definitionKind } from "./brand.js";
import { invalid, optionalString, requireName, stringRecord } from "./checks.js";
import type { FileSource } from "./FileSource.js";

export interface PushSourceOptions {
  name: string;
  /** Where pushed rows land offline, and what retrieval and materialization read. */
  batchSource: FileSource;
  description?: string;
  tags?: Record<string, string>;
}

/** A source that clients push rows into (the feature server's `/push`), backed by a file source. */
export class PushSource {
  readonly [DEFINITION_KIND] = "PushSource" as const;
  readonly name: string;
  readonly batchSource: FileSource;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: PushSourceOptions) {
    this.name = requireName("PushSource", options?.name);
    if (definitionKind(options.batchSource) !== "FileSource") {
      throw invalid(`PushSource ${this.name}: batchSource must be a FileSource`);
    }
    this.batchSource = options.batchSource;
    this.description = optionalString(`PushSource ${this.name}: description`, options.description) ?? "";
    this.tags = stringRecord(`PushSource ${this.name}: tags`, options.tags);
    Object.freeze(this);
  }
}
