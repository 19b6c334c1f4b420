import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { dumpPythonYaml } from "../../src/tracking/pythonYaml.js";
import { formatPythonFloat } from "../../src/tracking/pythonFloat.js";

/**
 * Writes an experiment with `runCount` finished runs straight to disk in MLflow's layout (much
 * faster than going through the store), for search benchmarks. Deterministic: run i has
 * metric_k = ((i * 7 + k * 13) % 1000) / 1000 and param `fold` = i % 5.
 */
export async function writeSyntheticExperiment(root: string, experimentId: string, runCount: number, metricCount = 10): Promise<void> {
  const expDir = join(root, experimentId);
  mkdirSync(expDir, { recursive: true });
  const location = `${pathToFileURL(root).href}/${experimentId}`;
  writeFileSync(
    join(expDir, "meta.yaml"),
    dumpPythonYaml({
      artifact_location: location,
      creation_time: 1_700_000_000_000,
      experiment_id: experimentId,
      last_update_time: 1_700_000_000_000,
      lifecycle_stage: "active",
      name: `synthetic-${experimentId}`,
    }),
  );
  for (let i = 0; i < runCount; i++) {
    // Yield now and then so the test runner's worker stays responsive.
    if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    const runId = `${i.toString(16).padStart(8, "0")}${"a".repeat(24)}`;
    const runDir = join(expDir, runId);
    for (const sub of ["metrics", "params", "tags"]) mkdirSync(join(runDir, sub), { recursive: true });
    const start = 1_700_000_000_000 + i * 1000;
    writeFileSync(
      join(runDir, "meta.yaml"),
      dumpPythonYaml({
        artifact_uri: `${location}/${runId}/artifacts`,
        end_time: start + 500,
        entry_point_name: "",
        experiment_id: experimentId,
        lifecycle_stage: "active",
        run_id: runId,
        run_name: `run-${i}`,
        source_name: "",
        source_type: 4,
        source_version: "",
        start_time: start,
        status: 3,
        tags: [],
        user_id: "bench",
      }),
    );
    for (let k = 0; k < metricCount; k++) {
      const value = ((i * 7 + k * 13) % 1000) / 1000;
      writeFileSync(join(runDir, "metrics", `metric_${k}`), `${start} ${formatPythonFloat(value)} 0\n`);
    }
    writeFileSync(join(runDir, "params", "fold"), String(i % 5));
    writeFileSync(join(runDir, "tags", "mlflow.runName"), `run-${i}`);
  }
}
