import { DEFINITION_KIND } from "./brand.js";
import { invalid, optionalString, requireName, requireString, stringRecord } from "./checks.js";

export type FileFormat = "parquet" | "csv";

export interface FileSourceOptions {
  name: string;
  /** A Parquet or CSV file, or a glob over several; relative paths are relative to the feature repo. */
  path: string;
  timestampField: string;
  createdTimestampColumn?: string;
  /** Source column → feature or join-key name, as Feast's `field_mapping`. */
  fieldMapping?: Record<string, string>;
  /** Inferred from the path's extension when omitted. */
  fileFormat?: FileFormat;
  description?: string;
  tags?: Record<string, string>;
}

/** Rows of feature values over time, read from Parquet or CSV files by DuckDB. */
export class FileSource {
  readonly [DEFINITION_KIND] = "FileSource" as const;
  readonly name: string;
  readonly path: string;
  readonly timestampField: string;
  readonly createdTimestampColumn: string | undefined;
  readonly fieldMapping: Readonly<Record<string, string>>;
  readonly fileFormat: FileFormat;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: FileSourceOptions) {
    this.name = requireName("FileSource", options?.name);
    const what = `FileSource ${this.name}`;
    this.path = requireString(`${what}: path`, options.path);
    this.timestampField = requireString(`${what}: timestampField`, options.timestampField);
    this.createdTimestampColumn = optionalString(`${what}: createdTimestampColumn`, options.createdTimestampColumn);
    this.fieldMapping = stringRecord(`${what}: fieldMapping`, options.fieldMapping);
    this.fileFormat = options.fileFormat ?? formatFromPath(this.path, what);
    if (this.fileFormat !== "parquet" && this.fileFormat !== "csv") {
      throw invalid(`${what}: fileFormat must be "parquet" or "csv"`);
    }
    this.description = optionalString(`${what}: description`, options.description) ?? "";
    this.tags = stringRecord(`${what}: tags`, options.tags);
    Object.freeze(this);
  }
}

function formatFromPath(path: string, what: string): FileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith(".parquet") || lower.endsWith(".pq")) return "parquet";
  if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) return "csv";
  throw invalid(`${what}: cannot tell the format of ${path}`, 'Name the file .parquet or .csv, or set fileFormat');
}
