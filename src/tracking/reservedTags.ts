/** Tag keys MLflow reserves; the UI and the Python client give them meaning. */
export const MLFLOW_RUN_NAME = "mlflow.runName";
export const MLFLOW_USER = "mlflow.user";
export const MLFLOW_SOURCE_NAME = "mlflow.source.name";
export const MLFLOW_SOURCE_TYPE = "mlflow.source.type";
export const MLFLOW_SOURCE_GIT_COMMIT = "mlflow.source.git.commit";
export const MLFLOW_PARENT_RUN_ID = "mlflow.parentRunId";
export const MLFLOW_NOTE_CONTENT = "mlflow.note.content";
export const MLFLOW_LOG_MODEL_HISTORY = "mlflow.log-model.history";
export const MLFLOW_MODEL_VERSIONS = "mlflow.modelVersions";
