import { DEFINITION_KIND } from "./brand.js";
import { invalid, optionalString, requireArray, requireName, stringRecord } from "./checks.js";

export interface EntityOptions {
  name: string;
  /** The column that identifies the entity in sources and entity rows; defaults to `[name]`. */
  joinKeys?: string[];
  description?: string;
  tags?: Record<string, string>;
}

/** What features describe (a participant, a driver), identified by one join key, as in Feast. */
export class Entity {
  readonly [DEFINITION_KIND] = "Entity" as const;
  readonly name: string;
  readonly joinKeys: readonly string[];
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: EntityOptions) {
    this.name = requireName("Entity", options?.name);
    const what = `Entity ${this.name}`;
    const joinKeys = options.joinKeys === undefined ? [this.name] : requireArray<string>(`${what}: joinKeys`, options.joinKeys);
    if (joinKeys.length !== 1) throw invalid(`${what}: joinKeys must hold exactly one column, as in Feast`);
    this.joinKeys = Object.freeze([requireName(`${what}: join key`, joinKeys[0])]);
    this.description = optionalString(`${what}: description`, options.description) ?? "";
    this.tags = stringRecord(`${what}: tags`, options.tags);
    Object.freeze(this);
  }

  get joinKey(): string {
    return this.joinKeys[0]!;
  }
}
