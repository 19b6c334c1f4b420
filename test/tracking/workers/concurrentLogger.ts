/**
 * Child process for the concurrency tests: logs to a shared store while siblings do the same.
 * argv: <store root> <experiment name> <worker index> <runs> <steps> <shared run id>
 */
import { FileTrackingStore } from "../../../src/tracking/FileTrackingStore.js";
import { getOrCreateExperiment } from "../../../src/tracking/client.js";

const [root, experimentName, workerText, runsText, stepsText, sharedRunId] = process.argv.slice(2) as [string, string, string, string, string, string];
const worker = Number(workerText);
const store = new FileTrackingStore(root);
const experiment = await getOrCreateExperiment(experimentName, { trackingUri: root });

for (let r = 0; r < Number(runsText); r++) {
  const { info } = await store.createRun({ experimentId: experiment.experimentId, runName: `w${worker}-r${r}` });
  await store.logParam(info.runId, "worker", String(worker));
  for (let step = 0; step < Number(stepsText); step++) {
    await store.logMetric(info.runId, "loss", 1 / (step + 1), { step });
    // Every worker appends to the same metric file of the shared run at once.
    await store.logMetric(sharedRunId, "shared_loss", worker + step / 1000, { step });
  }
  await store.setTag(sharedRunId, `worker_${worker}_run_${r}`, info.runId);
  await store.updateRunInfo(info.runId, { status: "FINISHED", endTime: Date.now() });
}
process.stdout.write(`${experiment.experimentId}\n`);
