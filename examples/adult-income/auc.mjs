// ROC AUC of a binary classifier's scores: the probability that a random positive row scores
// above a random negative one (ties count one half). Computed with the rank form of the
// Mann–Whitney U statistic, so it is exact and O(n log n):
//   AUC = (sum of the positives' ranks - P(P+1)/2) / (P·N),
// ranks 1..n by ascending score, tied scores sharing the mean of their ranks.
// Usage: node auc.mjs PREDICTIONS.csv LABEL_COLUMN POSITIVE_CLASS
//   (the output of `larder predict … --keep LABEL_COLUMN`: it has prob_<POSITIVE_CLASS>)
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

/** Mann–Whitney AUC of `scores` for `positive[i]` true vs false; NaN without both classes. */
export function rocAuc(scores, positive) {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const meanRank = (start + end) / 2 + 1; // ranks start+1..end+1 share their mean
    for (let k = start; k <= end; k++) {
      if (positive[order[k]]) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

async function main() {
  const [file, labelColumn, positiveClass] = process.argv.slice(2);
  if (!file || !labelColumn || !positiveClass) {
    console.error("usage: node auc.mjs PREDICTIONS.csv LABEL_COLUMN POSITIVE_CLASS");
    process.exit(2);
  }
  const id = (s) => `"${s.replaceAll('"', '""')}"`;
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  const reader = await con.runAndReadAll(
    `SELECT ${id(`prob_${positiveClass}`)}::DOUBLE AS score, ${id(labelColumn)}::VARCHAR AS label FROM read_csv('${file.replaceAll("'", "''")}', header = true)`,
  );
  const rows = reader.getRowObjectsJS();
  con.closeSync();
  db.closeSync();
  const scores = rows.map((r) => r.score);
  const positive = rows.map((r) => r.label === positiveClass);
  const correct = rows.filter((r, i) => (r.score > 0.5) === positive[i]).length;
  console.log(`rows ${rows.length}, positives (${positiveClass}) ${positive.filter(Boolean).length}`);
  console.log(`accuracy ${(correct / rows.length).toFixed(4)} (threshold 0.5)`);
  console.log(`auc ${rocAuc(scores, positive).toFixed(4)}`);
}

// Runs as a script; `import { rocAuc } from "./auc.mjs"` only takes the function.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
