/** Run status as MLflow names it; `meta.yaml` stores the integer code (`RUN_STATUS_CODES`). */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

export const RUN_STATUS_CODES: Record<RunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};

export type LifecycleStage = "active" | "deleted";

/** Which runs or experiments a listing returns, by lifecycle stage. */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  /** Epoch ms; absent in stores written before MLflow 1.29. */
  creationTime: number | null;
  lastUpdateTime: number | null;
  tags: Record<string, string>;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  /** Epoch ms. */
  startTime: number | null;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
  /** Epoch ms when the run was deleted; null while active. */
  deletedTime: number | null;
}

export interface Metric {
  key: string;
  value: number;
  /** Epoch ms. */
  timestamp: number;
  step: number;
}

export interface RunData {
  /** Latest value per key: the entry with the largest (step, timestamp, value). */
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface Run {
  info: RunInfo;
  data: RunData;
}

export interface RunTag {
  key: string;
  value: string;
}

export interface Param {
  key: string;
  value: string;
}

/** A file or folder under a run's artifact root; `path` is relative to that root, `/`-separated. */
export interface ArtifactInfo {
  path: string;
  isDir: boolean;
  /** Bytes; absent for folders. */
  fileSize?: number;
}

export function runStatusFromCode(code: unknown): RunStatus {
  // Older writers stored the name rather than the code.
  if (typeof code === "string" && code in RUN_STATUS_CODES) return code as RunStatus;
  const n = Number(code);
  for (const [name, value] of Object.entries(RUN_STATUS_CODES)) if (value === n) return name as RunStatus;
  return "RUNNING";
}

/** Reads a status from user input, case-insensitively (`finished` → `FINISHED`). */
export function parseRunStatus(text: string): RunStatus | undefined {
  const upper = text.toUpperCase();
  return upper in RUN_STATUS_CODES ? (upper as RunStatus) : undefined;
}
