import { appendFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Duck } from "../core/duckdb.js";
import { quotedString } from "../core/sql.js";

/** One logged prediction request; `inputs` and `outputs` are kept as JSON text. */
export interface PredictionRecord {
  timestamp: string;
  request_id: string;
  endpoint: string;
  variant: string;
  model_uri: string;
  model_version: number | null;
  latency_ms: number;
  status: number;
  entity_key: string | null;
  inputs: unknown;
  outputs: unknown;
}

const JSON_COLUMNS = `{timestamp: 'TIMESTAMPTZ', request_id: 'VARCHAR', endpoint: 'VARCHAR', variant: 'VARCHAR', model_uri: 'VARCHAR',
  model_version: 'BIGINT', latency_ms: 'DOUBLE', status: 'INTEGER', entity_key: 'VARCHAR', inputs: 'VARCHAR', outputs: 'VARCHAR'}`;

export interface PredictionLogOptions {
  /** Rotate the JSON-lines file into Parquet past this size (default 16 MiB). */
  rotateBytes?: number;
  /** How often queued records are written (default 200 ms). */
  flushIntervalMs?: number;
}

/**
 * The serving prediction log: records are queued on the request path and appended to a JSON-lines
 * file by a timer, then rotated into Parquet. `close()` flushes and rotates, so a clean shutdown
 * loses nothing; after a crash the JSON-lines file is still read by `predictionLogSql`.
 */
export class PredictionLog {
  private queue: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly active: string;
  private sequence = 0;

  private constructor(
    readonly dir: string,
    private readonly options: Required<PredictionLogOptions>,
  ) {
    this.active = join(dir, `predictions-${process.pid}.jsonl`);
  }

  static async open(dir: string, options: PredictionLogOptions = {}): Promise<PredictionLog> {
    await mkdir(dir, { recursive: true });
    const log = new PredictionLog(dir, { rotateBytes: 16 * 1024 * 1024, flushIntervalMs: 200, ...options });
    log.timer = setInterval(() => void log.flush(), log.options.flushIntervalMs);
    log.timer.unref();
    return log;
  }

  append(record: PredictionRecord): void {
    this.queue.push(
      JSON.stringify({ ...record, inputs: JSON.stringify(record.inputs), outputs: JSON.stringify(record.outputs) }) + "\n",
    );
  }

  /** Writes queued records; calls are serialised so lines never interleave. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.queue.length === 0) return;
      const lines = this.queue.join("");
      this.queue = [];
      await appendFile(this.active, lines);
      const size = (await stat(this.active)).size;
      if (size >= this.options.rotateBytes) await this.rotateNow();
    });
    return this.writing;
  }

  private async rotateNow(): Promise<string | null> {
    let size = 0;
    try {
      size = (await stat(this.active)).size;
    } catch {
      return null;
    }
    if (size === 0) return null;
    const stamp = new Date().toISOString().replace(/[-:.]/g, "");
    const base = `predictions-${stamp}-${process.pid}-${this.sequence++}`;
    // Move the file aside first so new records start a fresh one while this one converts.
    const sealed = join(this.dir, `${base}.jsonl`);
    await rename(this.active, sealed);
    const parquet = join(this.dir, `${base}.parquet`);
    const tmp = join(this.dir, `.${base}.parquet.tmp`);
    await Duck.with(async (duck) => {
      await duck.run(
        `COPY (SELECT * FROM read_json(${quotedString(sealed)}, format = 'newline_delimited', columns = ${JSON_COLUMNS})) TO ${quotedString(tmp)} (FORMAT PARQUET)`,
      );
    });
    await rename(tmp, parquet);
    await rm(sealed);
    return parquet;
  }

  /** Flushes and turns the current JSON-lines file into Parquet. */
  async rotate(): Promise<string | null> {
    await this.flush();
    let result: string | null = null;
    this.writing = this.writing.then(async () => {
      result = await this.rotateNow();
    });
    await this.writing;
    return result;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.rotate();
  }
}

/**
 * A DuckDB relation over everything in a prediction log folder: rotated Parquet files and any
 * JSON-lines files not yet rotated (or left by a crash). Null when the folder has no records.
 */
export async function predictionLogSql(dir: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  const parts: string[] = [];
  const parquet = names.filter((n) => n.startsWith("predictions-") && n.endsWith(".parquet")).map((n) => join(dir, n));
  const jsonl = names.filter((n) => n.startsWith("predictions-") && n.endsWith(".jsonl")).map((n) => join(dir, n));
  if (parquet.length > 0) parts.push(`SELECT * FROM read_parquet([${parquet.map(quotedString).join(", ")}])`);
  if (jsonl.length > 0) {
    parts.push(`SELECT * FROM read_json([${jsonl.map(quotedString).join(", ")}], format = 'newline_delimited', columns = ${JSON_COLUMNS})`);
  }
  return parts.length === 0 ? null : `(${parts.join(" UNION ALL BY NAME ")})`;
}
