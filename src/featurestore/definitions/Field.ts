import { DEFINITION_KIND } from "./brand.js";
import { invalid, optionalString, requireName, stringRecord } from "./checks.js";
import { dtypeName, isFeatureType, type FeatureType } from "./dtypes.js";

export interface FieldOptions {
  name: string;
  dtype: FeatureType;
  description?: string;
  tags?: Record<string, string>;
}

/** One column of a feature view's schema: a feature, or a join key when named like one. */
export class Field {
  readonly [DEFINITION_KIND] = "Field" as const;
  readonly name: string;
  readonly dtype: FeatureType;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: FieldOptions) {
    this.name = requireName("Field", options?.name);
    if (!isFeatureType(options.dtype)) {
      throw invalid(`Field ${this.name}: dtype must be a type such as Float32, Int64, String or Array(Float32)`);
    }
    this.dtype = options.dtype;
    this.description = optionalString(`Field ${this.name}: description`, options.description) ?? "";
    this.tags = stringRecord(`Field ${this.name}: tags`, options.tags);
    Object.freeze(this);
  }

  toString(): string {
    return `${this.name}: ${dtypeName(this.dtype)}`;
  }
}
