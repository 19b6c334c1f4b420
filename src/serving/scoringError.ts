import { pythonJsonDumps } from "../core/pythonJson.js";

/**
 * An error answered to a scoring client exactly as MLflow's scoring server answers it: JSON
 * `{"error_code", "message"}` with the status of the code, or plain text for content-type errors.
 */
export class ScoringError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | null,
    message: string,
  ) {
    super(message);
    this.name = "ScoringError";
  }

  get contentType(): string {
    return this.errorCode === null ? "text/plain; charset=utf-8" : "application/json";
  }

  get body(): string {
    return this.errorCode === null ? this.message : pythonJsonDumps({ error_code: this.errorCode, message: this.message });
  }

  static badRequest(message: string): ScoringError {
    return new ScoringError(400, "BAD_REQUEST", message);
  }

  static invalidParameter(message: string): ScoringError {
    return new ScoringError(400, "INVALID_PARAMETER_VALUE", message);
  }

  static unsupportedMediaType(message: string): ScoringError {
    return new ScoringError(415, null, message);
  }
}

export const SCORING_PROTOCOL_NOTE =
  "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, you are likely using an outdated scoring request format. To resolve the error, either update your request format or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";
