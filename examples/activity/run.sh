#!/usr/bin/env bash
# The tutorial (shared/mission/000_*), phase by phase, as larder commands, on the real Apple Watch /
# Fitbit study when it is there (else on synthetic data). Usage: examples/activity/run.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
larder() { node "$repo/bin/larder.js" "$@"; }
work="${1:-$repo/.larder-example}"
real="${AW_FB:-$repo/../shared/datasets/aw_fb/aw_fb_data.csv}"
export MLFLOW_TRACKING_URI="$work/activity/mlruns"

rm -rf "$work" && mkdir -p "$work" && cd "$work"

echo "== Phase 1: data and features"
larder init activity --participants 20 --days 2 --quiet >/dev/null
cd activity
if [ -f "$real" ]; then
  larder datagen import-aw-fb "$real" -o data          # replaces the synthetic tables with the real study
else
  echo "($real not found: using the synthetic data that larder init generated)"
fi
larder fs -c feature_repo apply
larder fs -c feature_repo materialize 2020-01-01T00:00:00Z 2030-01-01T00:00:00Z
larder fs -c feature_repo get-historical --entities data/activity_labels.parquet \
  --features wearable_latest:heart_rate,wearable_latest:steps,wearable_latest:calories \
  -o data/raw_training_set.parquet
larder fs -c feature_repo get-historical --entities data/activity_labels.parquet \
  --feature-service activity_model_v1 -o data/training_set.parquet

echo "== Phase 2: three runs, comparison, registry"
larder track run --experiment activity --name baseline-raw --train data/raw_training_set.parquet \
  --label activity --features heart_rate,steps,calories --tag feature_set=raw
larder track run --experiment activity --name feast-features --feature-service activity_model_v1 \
  --feature-repo feature_repo --entities data/activity_labels.parquet --label activity --tag feature_set=feast_v1
larder track run --experiment activity --name grid-search --feature-service activity_model_v1 \
  --feature-repo feature_repo --entities data/activity_labels.parquet --label activity --tag feature_set=feast_v1 \
  --search grid --grid "num_leaves=15,31;learning_rate=0.05,0.1"
larder track compare --experiment activity --filter "tags.feature_set != ''" --order-by "metrics.f1_macro DESC" \
  --columns metrics.accuracy,metrics.f1_macro,params.num_leaves,params.learning_rate,tags.feature_set

run_of() { larder --json track search --experiment activity --filter "attributes.run_name = '$1'" --max-results 1 \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].info.runId))'; }
larder registry register "runs:/$(run_of feast-features)/model" activity_classifier
larder registry transition activity_classifier 1 Staging
larder registry transition activity_classifier 1 Production
larder registry register "runs:/$(run_of grid-search)/model" activity_classifier
larder registry transition activity_classifier 2 Production --archive-existing --require "metrics.best_f1_macro >= 0.5"
larder registry describe activity_classifier

echo "== Phase 3: serve with online features and score participants"
# Started without the shell function so that $! is the server itself, which SIGTERM stops cleanly.
node "$repo/bin/larder.js" --json serve -m models:/activity_classifier/Production -p 0 --feature-repo feature_repo \
  --log-predictions prediction-log > serve.json &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s serve.json ] && break; sleep 0.1; done
url=$(node -e 'console.log(JSON.parse(require("fs").readFileSync("serve.json","utf8")).url)')
curl -s -X POST "$url/predict?output=label" -H 'Content-Type: application/json' \
  -d '{"entities": {"participant_id": [1, 2, 3, 49, 999]}}' \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);r.predictions.forEach((p,i)=>console.log(`participant ${[1,2,3,49,999][i]}: ${p ?? r.statuses[i].status} (model version ${r.model_versions[i]})`))})'
kill -TERM $server && wait $server || true
trap - EXIT
echo "prediction log: $(ls prediction-log)"
