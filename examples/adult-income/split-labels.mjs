// Splits `larder datagen import-adult`'s income_labels into one entity file per split, for
// `larder fs get-historical`, with the label as `income_band`: `over_50K` or `at_most_50K`.
// Why renamed: class names without `<`, `=` and `>` read better in metric names, plots and shell
// commands (`track run` spells such labels out in metric keys: `<=50K` gives `f1_lteq50K`).
// The `split` column is dropped: it is constant within a file, and `track run` would take it
// for a text feature.
// Usage: node split-labels.mjs data/income_labels.parquet OUT_DIR
import { DuckDBInstance } from "@duckdb/node-api";

const [labels, outDir] = process.argv.slice(2);
if (!labels || !outDir) {
  console.error("usage: node split-labels.mjs INCOME_LABELS.parquet OUT_DIR");
  process.exit(2);
}
const quoted = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
for (const split of ["train", "test"]) {
  const out = `${outDir}/${split}_labels.parquet`;
  await con.run(`COPY (
      SELECT person_id, event_timestamp,
        CASE income WHEN '>50K' THEN 'over_50K' WHEN '<=50K' THEN 'at_most_50K' END AS income_band
      FROM read_parquet(${quoted(labels)}) WHERE split = ${quoted(split)} ORDER BY person_id
    ) TO ${quoted(out)} (FORMAT PARQUET)`);
  const [counts] = (
    await con.runAndReadAll(`SELECT count(*) AS n, count(*) FILTER (WHERE income_band = 'over_50K') AS over FROM read_parquet(${quoted(out)})`)
  ).getRowObjectsJS();
  console.log(`${split}: ${counts.n} label rows (${counts.over} over 50K) -> ${out}`);
}
con.closeSync();
db.closeSync();
