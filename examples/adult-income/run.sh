#!/usr/bin/env bash
# UCI Adult income through Larder, phase by phase, as larder commands: import → features →
# tracked runs → registry → serving. Needs ../shared/datasets/adult (or ADULT_DIR).
# Usage: examples/adult-income/run.sh [WORK_DIR]   (default WORK_DIR: tmp/adult-income in the repo)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
larder() { node "$repo/bin/larder.js" "$@"; }
work="${1:-$repo/tmp/adult-income}"   # tmp/ is git-ignored
adult="${ADULT_DIR:-$repo/../shared/datasets/adult}"
if [ ! -f "$adult/adult.data" ] || [ ! -f "$adult/adult.test" ]; then
  echo "UCI Adult not found in $adult (adult.data and adult.test); set ADULT_DIR" >&2
  exit 1
fi
export MLFLOW_TRACKING_URI="$work/mlruns"

rm -rf "$work" && mkdir -p "$work/feature_repo" && cd "$work"
cp "$here/feature_repo/feature_store.yaml" "$here/feature_repo/features.ts" feature_repo/

echo "== Phase 1: data and features"
larder datagen import-adult "$adult" -o data
node "$here/split-labels.mjs" data/income_labels.parquet data
larder fs -c feature_repo apply
larder fs -c feature_repo materialize 1990-01-01T00:00:00Z 2000-01-01T00:00:00Z
larder fs -c feature_repo get-historical --entities data/train_labels.parquet --feature-service income_model_v1 -o data/train.parquet
larder fs -c feature_repo get-historical --entities data/test_labels.parquet --feature-service income_model_v1 -o data/test.parquet

echo "== Phase 2: runs, comparison, registry"
# Trained on adult.data, scored on adult.test (the published split). The 14 attributes are the
# features (ids and timestamps are left out by default); the 8 text ones become categorical.
larder track run --experiment adult-income --name gbdt-defaults --train data/train.parquet --valid data/test.parquet \
  --label income_band --tag dataset=uci-adult
larder track run --experiment adult-income --name gbdt-slow --train data/train.parquet --valid data/test.parquet \
  --label income_band --tag dataset=uci-adult --param learning_rate=0.05 --param num_iterations=300
larder track compare --experiment adult-income --order-by "metrics.logloss ASC" \
  --columns metrics.accuracy,metrics.f1_macro,metrics.logloss,params.learning_rate,params.num_iterations

run_of() { larder --json track search --experiment adult-income --filter "attributes.run_name = '$1'" --max-results 1 \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].info.runId))'; }
# The defaults run is registered whatever the comparison says: choosing between runs by their
# test score would make the test split part of training, and its figures optimistic.
larder registry register "runs:/$(run_of gbdt-defaults)/model" adult_income
larder registry transition adult_income 1 Production --require "metrics.accuracy >= 0.85"
larder registry describe adult_income

echo "== Test split: accuracy and AUC of the Production model"
larder predict -m models:/adult_income/Production -i data/test.parquet -o data/test_predictions.csv --keep person_id,income_band
node "$here/auc.mjs" data/test_predictions.csv income_band over_50K

echo "== Phase 3: serve, score people by id (online features) and by raw columns"
# Started without the shell function so that $! is the server itself, which SIGTERM stops cleanly.
node "$repo/bin/larder.js" --json serve -m models:/adult_income/Production -p 0 \
  --feature-repo feature_repo --feature-service income_model_v1 > serve.json &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s serve.json ] && break; sleep 0.1; done
url=$(node -e 'console.log(JSON.parse(require("fs").readFileSync("serve.json","utf8")).url)')
# The first four people of adult.test, and an id that does not exist; each answer is shown
# next to the person's true band (from the test predictions file written above).
ids='[32562, 32563, 32564, 32565, 99999]'
curl -s -X POST "$url/predict?output=label" -H 'Content-Type: application/json' -d "{\"entities\": {\"person_id\": $ids}}" \
  | node -e '
    const fs = require("fs");
    const truth = new Map(fs.readFileSync("data/test_predictions.csv", "utf8").trim().split("\n").slice(1)
      .map((line) => line.split(",")).map(([id, band]) => [Number(id), band]));
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const r = JSON.parse(s);
      '"$ids"'.forEach((id, i) => console.log(`person ${id}: ${r.predictions[i] ?? r.statuses[i].status}` +
        (truth.has(id) ? ` (true: ${truth.get(id)})` : "")));
    });'
# Raw columns, as MLflow's scoring protocol takes them: null is a missing value, and a category
# never seen in training ("Atlantis") is treated as missing too.
curl -s -X POST "$url/invocations?output=label" -H 'Content-Type: application/json' -d '{"dataframe_split": {
  "columns": ["age","workclass","fnlwgt","education","education_num","marital_status","occupation","relationship","race","sex","capital_gain","capital_loss","hours_per_week","native_country"],
  "data": [[52,"Self-emp-inc",287927,"HS-grad",9,"Married-civ-spouse","Exec-managerial","Wife","White","Female",15024,0,40,"United-States"],
           [23,null,122272,"Bachelors",13,"Never-married",null,"Own-child","White","Male",0,0,20,"Atlantis"]]}}'
echo
kill -TERM $server && wait $server || true
trap - EXIT
