import { access } from "node:fs/promises";
import { Duck } from "../core/duckdb.js";
import { quotedIdentifier, quotedString } from "../core/sql.js";
import { LarderError } from "../errors.js";
import type { DatasetSummary } from "./generateWearable.js";
import { checkFormat, exportTables, type TableFormat } from "./writeTables.js";

export interface ImportAdultOptions {
  /** UCI's training file, `adult.data`. */
  dataPath: string;
  /** UCI's test file, `adult.test` (its `|1x3 Cross validator` banner is skipped). */
  testPath: string;
  outDir: string;
  format?: TableFormat;
}

/**
 * Every person's attributes and label carry this one time: the census is a single snapshot
 * (1994), and one fixed time keeps the point-in-time join exact (a label row at T finds the
 * person's row at T) with a feature view of ttl 0.
 */
export const ADULT_EVENT_TIMESTAMP = "1994-01-01T00:00:00Z";

/** The file's 15 fields in order, snake-cased (UCI writes `education-num`, `native-country`, …). */
const NUMERIC_ATTRIBUTES = new Set(["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"]);
export const ADULT_ATTRIBUTES = [
  "age",
  "workclass",
  "fnlwgt",
  "education",
  "education_num",
  "marital_status",
  "occupation",
  "relationship",
  "race",
  "sex",
  "capital_gain",
  "capital_loss",
  "hours_per_week",
  "native_country",
] as const;
const FIELDS = [...ADULT_ATTRIBUTES, "income"];
const INCOMES = ["<=50K", ">50K"];

async function requireFile(path: string, name: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `File not found: ${path}`, {
      hint: `Pass the folder that holds UCI's ${name}, e.g. ../shared/datasets/adult.`,
    });
  }
}

/**
 * Reads one UCI file into table `name` as trimmed text, in file order (`line` counts data lines
 * from 1). The files have no header; a line starting with `|` is UCI's comment (the test file's
 * banner) and blank lines are skipped. Short lines are padded with nulls so they can be reported.
 */
async function readUciFile(duck: Duck, path: string, name: string): Promise<void> {
  const columns = FIELDS.map((f) => `${quotedString(f)}: 'VARCHAR'`).join(", ");
  try {
    await duck.run(`CREATE TABLE ${name}_lines AS SELECT * FROM read_csv(${quotedString(path)},
      auto_detect = false, header = false, delim = ',', quote = '', escape = '', null_padding = true, columns = {${columns}})`);
  } catch (err) {
    throw new LarderError("DATA_ERROR", `${path} is not a UCI Adult file: ${(err as Error).message.split("\n")[0]}`, {
      hint: "Expected 15 comma-separated fields per line and no header, as adult.data and adult.test.",
    });
  }
  // `?` is UCI's missing marker; after trimming it means null in every column.
  const cleaned = FIELDS.map((f) => `nullif(trim(${quotedIdentifier(f)}), '?') AS ${quotedIdentifier(f)}`).join(", ");
  // Insertion order is file order, so rowid numbers the lines as the file does.
  await duck.run(`CREATE TABLE ${name} AS
    SELECT row_number() OVER (ORDER BY rowid) AS line, ${cleaned}
    FROM ${name}_lines
    WHERE NOT starts_with(ltrim(coalesce(age, '')), '|') AND trim(coalesce(age, '')) <> ''`);
}

/** Throws a `DATA_ERROR` naming the first offending line when `condition` holds for any row of `name`. */
async function rejectLines(duck: Duck, path: string, name: string, condition: string, problem: string, hint: string): Promise<void> {
  const bad = await duck.all<{ line: bigint; n: bigint }>(
    `SELECT min(line) AS line, count(*) AS n FROM ${name} WHERE ${condition} HAVING count(*) > 0`,
  );
  if (bad.length > 0) {
    throw new LarderError("DATA_ERROR", `${path}: ${bad[0]!.n} data line(s) ${problem} (first: data line ${bad[0]!.line})`, { hint });
  }
}

async function validate(duck: Duck, path: string, name: string): Promise<void> {
  const count = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${name}`);
  if (Number(count[0]!.n) === 0) throw new LarderError("DATA_ERROR", `${path} has no data lines`);
  await rejectLines(duck, path, name, `income IS NULL`, "have fewer than 15 fields", "Every line of adult.data / adult.test has 14 attributes and the income.");
  for (const column of NUMERIC_ATTRIBUTES) {
    const c = quotedIdentifier(column);
    await rejectLines(duck, path, name, `${c} IS NOT NULL AND TRY_CAST(${c} AS BIGINT) IS NULL`, `have a non-integer ${column}`, "Check that the file is UCI's, with fields in adult.names order.");
  }
  await rejectLines(
    duck,
    path,
    name,
    `rtrim(income, '.') NOT IN (${INCOMES.map(quotedString).join(", ")})`,
    `have an income other than ${INCOMES.join(" / ")}`,
    "The last field must be the income class (the test file's trailing period is accepted).",
  );
}

/**
 * Converts UCI Adult (`adult.data` for training, `adult.test` for testing) into two tables:
 * `people` (`person_id`, the 14 attributes with `?` as null, `event_timestamp`, `split`) and
 * `income_labels` (`person_id`, `event_timestamp`, `income` as `<=50K` / `>50K`, `split`).
 * Person ids follow the files: training lines are 1..N, test lines continue from N + 1.
 */
export interface AdultSummary extends DatasetSummary {
  /** People per split: `train` from adult.data, `test` from adult.test. */
  splits: { train: number; test: number };
}

export async function importAdult(opts: ImportAdultOptions): Promise<AdultSummary> {
  const started = performance.now();
  const format = checkFormat(opts.format ?? "parquet");
  await requireFile(opts.dataPath, "adult.data");
  await requireFile(opts.testPath, "adult.test");
  const duck = await Duck.open();
  try {
    await readUciFile(duck, opts.dataPath, "train");
    await readUciFile(duck, opts.testPath, "test");
    await validate(duck, opts.dataPath, "train");
    await validate(duck, opts.testPath, "test");
    const attributes = ADULT_ATTRIBUTES.map((a) => {
      const c = quotedIdentifier(a);
      return NUMERIC_ATTRIBUTES.has(a) ? `${c}::BIGINT AS ${c}` : c;
    }).join(", ");
    await duck.run(`
      CREATE TABLE people AS
      WITH numbered AS (
        SELECT 'train' AS split, line, * EXCLUDE (line) FROM train
        UNION ALL
        SELECT 'test' AS split, (SELECT count(*) FROM train) + line, * EXCLUDE (line) FROM test
      )
      SELECT line::BIGINT AS person_id, ${attributes},
        ${quotedString(ADULT_EVENT_TIMESTAMP)}::TIMESTAMPTZ AS event_timestamp,
        rtrim(income, '.') AS income, split
      FROM numbered`);
    const files = await exportTables(duck, opts.outDir, format, [
      {
        name: "people",
        select: `SELECT * EXCLUDE (income) FROM people ORDER BY person_id`,
      },
      {
        name: "income_labels",
        select: `SELECT person_id, event_timestamp, income, split FROM people ORDER BY person_id`,
      },
    ]);
    const counts = await duck.all<{ n: bigint; train: bigint; test: bigint }>(
      "SELECT count(*) AS n, count(*) FILTER (WHERE split = 'train') AS train, count(*) FILTER (WHERE split = 'test') AS test FROM people",
    );
    const n = Number(counts[0]!.n);
    return {
      outDir: opts.outDir,
      format,
      files,
      rows: { people: n, income_labels: n },
      splits: { train: Number(counts[0]!.train), test: Number(counts[0]!.test) },
      elapsedMs: performance.now() - started,
    };
  } finally {
    duck.close();
  }
}
