#!/usr/bin/env bash
# CI for the activity model, run in a project made by `larder init`:
#   validate the raw events → build the training set → validate it → train → gate → promote.
# Every step that fails stops the job with a non-zero exit, so a bad model never reaches Production.
#
#   examples/activity/ci.sh [PROJECT_DIR]      env: LARDER, MODEL, MIN_F1, EXPERIMENT
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "${1:-.}"
LARDER="${LARDER:-larder}"
MODEL="${MODEL:-activity_classifier}"
MIN_F1="${MIN_F1:-0.8}"
EXPERIMENT="${EXPERIMENT:-activity-ci}"
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(eval("JSON.parse(s)"+process.argv[1])))' "$1"; }

echo "== 1. validate the raw events"
$LARDER validate data/wearable_events.parquet --expectations "$here/expectations/wearable_events.yaml"

echo "== 2. features and the point-in-time training set"
$LARDER fs -c feature_repo apply
$LARDER fs -c feature_repo get-historical --entities data/activity_labels.parquet \
  --feature-service activity_model_v1 -o data/training_set.parquet

echo "== 3. train (the training set is validated first)"
RUN=$($LARDER --json track run --experiment "$EXPERIMENT" --name "ci-$(date -u +%Y%m%dT%H%M%S)" \
  --train data/training_set.parquet --label activity --expectations "$here/expectations/training_set.yaml" \
  --tag ci=true | json_field '.runId')
VERSION=$($LARDER --json registry register "runs:/$RUN/model" "$MODEL" | json_field '.version')
echo "run $RUN registered as $MODEL version $VERSION"

echo "== 4. gates: macro F1 >= $MIN_F1 for Staging and for Production"
$LARDER registry transition "$MODEL" "$VERSION" Staging --require "metrics.f1_macro >= $MIN_F1"
$LARDER registry transition "$MODEL" "$VERSION" Production --archive-existing --require "metrics.f1_macro >= $MIN_F1"
echo "$MODEL version $VERSION is in Production"
