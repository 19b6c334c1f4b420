import type { Run } from "../entities.js";
import type { EntityType } from "./identifiers.js";

/** The value a filter or order-by compares for one run; undefined when the run lacks it. */
export function runValue(run: Run, entity: EntityType, key: string): number | string | undefined {
  switch (entity) {
    case "metric":
      return Object.hasOwn(run.data.metrics, key) ? run.data.metrics[key] : undefined;
    case "param":
      return Object.hasOwn(run.data.params, key) ? run.data.params[key] : undefined;
    case "tag":
      return Object.hasOwn(run.data.tags, key) ? run.data.tags[key] : undefined;
    case "attribute": {
      const info = run.info;
      switch (key) {
        case "run_id":
          return info.runId;
        case "run_name":
          return info.runName;
        case "status":
          return info.status;
        case "user_id":
          return info.userId;
        case "artifact_uri":
          return info.artifactUri;
        case "start_time":
          return info.startTime ?? undefined;
        case "end_time":
          return info.endTime ?? undefined;
        case "experiment_id":
          return info.experimentId;
        default:
          return undefined;
      }
    }
  }
}
