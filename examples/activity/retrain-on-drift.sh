#!/usr/bin/env bash
# Retraining trigger for a scheduled CI job: compare what the Production model has been served with
# the data it was trained on; on drift, validate fresh data, train, gate, and promote a new version.
#
#   examples/activity/retrain-on-drift.sh [PREDICTION_LOG_DIR] [NEW_TRAINING_FILE]
#
# Exit status: 0 when there is no drift or the new version is in Production; non-zero when a step
# fails (the drift check itself, validation, training, or a promotion gate), so CI shows it red.
set -euo pipefail

LOG_DIR="${1:-logs/predictions}"          # larder serve --log-predictions logs/predictions
NEW_TRAIN="${2:-data/training_set.parquet}" # the freshest labelled rows
MODEL="${MODEL:-activity}"
LABEL="${LABEL:-activity}"
EXPERIMENT="${EXPERIMENT:-activity-retrain}"
EXPECTATIONS="${EXPECTATIONS:-expectations/training_set.yaml}"
MIN_F1="${MIN_F1:-0.8}"
REPORTS="${REPORTS:-reports}"
LARDER="${LARDER:-larder}"
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(eval("JSON.parse(s)"+process.argv[1])))' "$1"; }

mkdir -p "$REPORTS"

# 1. The reference is the Production version's run: its training file and feature list.
RUN_ID=$($LARDER --json registry describe "$MODEL" | json_field '.versions.find(v => v.currentStage === "Production").runId')
echo "Production model '$MODEL' was trained in run $RUN_ID"

# 2. Drift of the served inputs and predictions: 0 = stable, 2 = past the threshold, else an error.
status=0
$LARDER monitor drift --reference "runs:/$RUN_ID" --current "$LOG_DIR" \
  --threshold psi=0.2 --html "$REPORTS/drift.html" || status=$?
case $status in
  0) echo "No drift past psi 0.2: Production stays (report: $REPORTS/drift.html)"; exit 0 ;;
  2) echo "Drift past psi 0.2: retraining (report: $REPORTS/drift.html)" ;;
  *) echo "The drift check itself failed (exit $status)" >&2; exit "$status" ;;
esac

# 3. Never train on broken data: validation exits 1 on any failed expectation.
if [[ -f "$EXPECTATIONS" ]]; then
  $LARDER validate "$NEW_TRAIN" --expectations "$EXPECTATIONS"
fi

# 4. Train on the fresh data and register the result as the next version.
NEW_RUN=$($LARDER --json track run --experiment "$EXPERIMENT" --name "retrain-$(date -u +%Y%m%dT%H%M)" \
  --train "$NEW_TRAIN" --label "$LABEL" | json_field '.runId')
VERSION=$($LARDER --json registry register "runs:/$NEW_RUN/model" "$MODEL" | json_field '.version')

# 5. Promote through the gates; a version below the bar stops here and Production is untouched.
$LARDER registry transition "$MODEL" "$VERSION" Staging --require "metrics.f1_macro >= $MIN_F1"
$LARDER registry transition "$MODEL" "$VERSION" Production --archive-existing --require "metrics.f1_macro >= $MIN_F1"
echo "Version $VERSION of '$MODEL' is in Production"

# 6. A running server picks the new version up without a restart.
if [[ -n "${SERVE_URL:-}" ]]; then curl -fsS -X POST "$SERVE_URL/reload"; echo; fi
