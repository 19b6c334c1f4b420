import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { FileModelRegistry } from "../../src/registry/FileModelRegistry.js";
import { FileTrackingStore } from "../../src/tracking/FileTrackingStore.js";
import { makeTempDir, SAMPLE_STORE } from "../tracking/helpers.js";

export interface TrainedRun {
  runId: string;
  experimentId: string;
}

export interface Fixture {
  root: string;
  store: FileTrackingStore;
  registry: FileModelRegistry;
  /** Makes a finished run with `model/MLmodel` (a Larder/MLflow 2.x style logged model) and the given metrics. */
  trainedRun(metrics: Record<string, number>, params?: Record<string, string>): Promise<TrainedRun>;
}

export async function makeFixture(): Promise<Fixture> {
  const root = join(makeTempDir("larder-registry-"), "mlruns");
  const store = new FileTrackingStore(root);
  const registry = new FileModelRegistry(store);
  const experimentId = await store.createExperiment("activity");
  return {
    root,
    store,
    registry,
    async trainedRun(metrics, params = {}) {
      const { info } = await store.createRun({ experimentId });
      await store.logBatch(info.runId, {
        metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: Date.now(), step: 0 })),
        params: Object.entries(params).map(([key, value]) => ({ key, value })),
      });
      await store.logArtifactBytes(info.runId, "model/MLmodel", "flavors:\n  lightgbm:\n    data: model.lgb\n");
      await store.logArtifactBytes(info.runId, "model/model.lgb", "tree\n");
      await store.updateRunInfo(info.runId, { status: "FINISHED", endTime: Date.now() });
      return { runId: info.runId, experimentId };
    },
  };
}

/** A writable copy of the MLflow sample store in a temp folder. */
export function copySampleStore(): string {
  const root = join(makeTempDir("larder-sample-copy-"), "mlruns");
  cpSync(SAMPLE_STORE, root, { recursive: true });
  execFileSync("chmod", ["-R", "u+w", root]);
  return root;
}
