import type { CliContext } from "./context.js";

/** `--tracking-uri`, else MLFLOW_TRACKING_URI, else ./mlruns in the working directory (MLflow's order). */
export function trackingUriFrom(ctx: CliContext, explicit: unknown): string {
  if (typeof explicit === "string" && explicit !== "") return explicit;
  const fromEnv = ctx.io.env.MLFLOW_TRACKING_URI;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return ctx.resolvePath("mlruns");
}
