/** Model version stages (deprecated in MLflow 2.9 in favour of aliases, still widely used). */
export type ModelVersionStage = "None" | "Staging" | "Production" | "Archived";

export interface RegisteredModel {
  name: string;
  /** Epoch ms. */
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string | null;
  tags: Record<string, string>;
  /** alias → version number. */
  aliases: Record<string, number>;
  /** For each stage, the highest version currently in it. */
  latestVersions: ModelVersion[];
}

export interface ModelVersion {
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  currentStage: ModelVersionStage;
  description: string | null;
  /** Where the model came from as given at registration (`file:///…/artifacts/model`, `models:/m-…`). */
  source: string;
  runId: string | null;
  runLink: string | null;
  status: "READY";
  statusMessage: string | null;
  /** Where the files are; the download location is `storageLocation ?? source`. */
  storageLocation: string | null;
  userId: string | null;
  /** MLflow 3 LoggedModel id (`m-…`) when registered from one. */
  modelId: string | null;
  tags: Record<string, string>;
  aliases: string[];
}

/** One recorded stage change (Larder keeps these in the version tag `larder.stage_history`). */
export interface StageTransition {
  from: ModelVersionStage;
  to: ModelVersionStage;
  /** Epoch ms. */
  timestamp: number;
}
