"""Reads a store that Larder wrote with the real MLflow and LightGBM, as a compatibility check.

Usage: python read_larder_store.py MLRUNS_DIR MODEL_NAME
Needs a Python environment with mlflow and lightgbm (not part of Larder's install; see
shared/tools/mlflow-ref for building one offline). Prints what it read and exits non-zero on the
first thing MLflow cannot read, or when MLflow's predictions differ from Larder's stored ones.
"""
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")
store, model_name = os.path.abspath(sys.argv[1]), sys.argv[2]
uri = "file:" + store
os.environ["MLFLOW_TRACKING_URI"] = uri
os.environ["MLFLOW_REGISTRY_URI"] = uri

import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

client = MlflowClient(tracking_uri=uri, registry_uri=uri)
summary = {"experiments": 0, "runs": 0, "metric_histories": 0, "artifacts": 0, "nested_runs": 0}
for experiment in client.search_experiments():
    summary["experiments"] += 1
    for run in client.search_runs([experiment.experiment_id], max_results=1000):
        summary["runs"] += 1
        if "mlflow.parentRunId" in run.data.tags:
            summary["nested_runs"] += 1
        for key in run.data.metrics:
            client.get_metric_history(run.info.run_id, key)
            summary["metric_histories"] += 1
        summary["artifacts"] += len(client.list_artifacts(run.info.run_id))

versions = client.search_model_versions(f"name='{model_name}'")
summary["model_versions"] = sorted((int(v.version), v.current_stage) for v in versions)
production = client.get_latest_versions(model_name, stages=["Production"])[0]
summary["production_version"] = int(production.version)

pyfunc = mlflow.pyfunc.load_model(f"models:/{model_name}/Production")
booster = mlflow.lightgbm.load_model(f"models:/{model_name}/Production")
example_path = os.path.join(mlflow.artifacts.download_artifacts(f"models:/{model_name}/Production"), "input_example.json")
with open(example_path) as f:
    example = json.load(f)
frame = pd.DataFrame(example["data"], columns=example["columns"])
for column, dtype in zip(frame.columns, [c["type"] for c in json.loads(pyfunc.metadata.signature.to_dict()["inputs"])]):
    if dtype == "string":
        frame[column] = frame[column].astype("category")
predictions = np.asarray(pyfunc.predict(frame))
summary["pyfunc_prediction_shape"] = list(predictions.shape)
summary["pyfunc_first_row"] = predictions[0].tolist() if predictions.ndim > 1 else float(predictions[0])
summary["booster_trees"] = booster.num_trees()
print(json.dumps(summary, indent=2))
