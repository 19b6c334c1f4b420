import { LarderError } from "../errors.js";
import type { ModelVersionStage } from "./entities.js";

export const STAGES: readonly ModelVersionStage[] = ["None", "Staging", "Production", "Archived"];
/** Soft-deleted versions keep their folder with this stage; every read treats them as missing. */
export const DELETED_STAGE = "Deleted_Internal";

/** Reads a stage case-insensitively (`production` → `Production`), as MLflow does. */
export function parseStage(text: string): ModelVersionStage {
  const found = STAGES.find((s) => s.toLowerCase() === text.toLowerCase());
  if (found === undefined) {
    throw new LarderError(
      "INVALID_PARAMETER_VALUE",
      `Invalid Model Version stage: ${text}. Value must be one of None, Staging, Production, Archived.`,
    );
  }
  return found;
}
