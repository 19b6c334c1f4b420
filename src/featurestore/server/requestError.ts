/**
 * A request the feature server refuses before it reaches the store: malformed JSON (400) or a body
 * whose fields have the wrong shape (422, as FastAPI answers Feast's pydantic models).
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }

  static invalidBody(message: string): RequestError {
    return new RequestError(422, "INVALID_PARAMETER_VALUE", message);
  }
}
