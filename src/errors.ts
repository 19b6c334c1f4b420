/**
 * One error family for the whole toolkit. `code` uses MLflow's error-code names where one fits,
 * so a server can answer `{error_code, message}` without translation.
 */
export type ErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "INVALID_STATE"
  | "BAD_REQUEST"
  | "USAGE_ERROR"
  | "IO_ERROR"
  | "CONFIG_ERROR"
  | "DATA_ERROR"
  | "NOT_IMPLEMENTED"
  | "INTERNAL_ERROR";

const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  BAD_REQUEST: 400,
  USAGE_ERROR: 400,
  IO_ERROR: 500,
  CONFIG_ERROR: 400,
  DATA_ERROR: 400,
  NOT_IMPLEMENTED: 501,
  INTERNAL_ERROR: 500,
};

export interface LarderErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class LarderError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: LarderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LarderError";
    this.code = code;
    this.hint = options.hint;
  }

  /** Process exit status the CLI uses for this error: 2 for usage errors, 1 otherwise. */
  get exitCode(): number {
    return this.code === "USAGE_ERROR" ? 2 : 1;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  toJSON(): { error_code: ErrorCode; message: string; hint?: string } {
    return this.hint === undefined
      ? { error_code: this.code, message: this.message }
      : { error_code: this.code, message: this.message, hint: this.hint };
  }
}

/** A mistake in how a command was called (unknown flag, missing argument): exit status 2. */
export class UsageError extends LarderError {
  constructor(message: string, options: LarderErrorOptions = {}) {
    super("USAGE_ERROR", message, options);
    this.name = "UsageError";
  }
}

export function isLarderError(err: unknown): err is LarderError {
  return err instanceof LarderError;
}
