import { randomUUID } from "node:crypto";
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { atomicWriteFile } from "../core/atomicWrite.js";
import { pythonJsonDumps } from "../core/pythonJson.js";
import type { Booster } from "../gbdt/index.js";
import { dumpPythonYaml, type YamlValue } from "../tracking/index.js";
import type { ColumnSpec } from "./signature.js";

/** The MLflow and LightGBM releases whose formats Larder writes, so MLflow can load the model. */
export const MLFLOW_FORMAT_VERSION = "3.6.0";
export const LIGHTGBM_FORMAT_VERSION = "4.7.0";
const PYTHON_VERSION = "3.11.7";

export interface SaveLightGBMModelOptions {
  /** Named input columns, in the model's feature order. */
  inputs: ColumnSpec[];
  /** A few input rows (feature order), saved as MLflow's input example. */
  inputExample?: unknown[][];
  /** Class names in class-index order (MLmodel `metadata.label_names`). */
  labelNames?: string[];
  runId?: string;
  artifactPath?: string;
  metadata?: Record<string, YamlValue>;
  now?: Date;
}

/** `str(datetime.utcnow())` as MLflow writes it: microseconds dropped when zero. */
function pythonUtcString(date: Date): string {
  const iso = date.toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const micros = `${iso.slice(20, 23)}000`;
  return micros === "000000" ? base : `${base}.${micros}`;
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await folderSize(path) : (await stat(path)).size;
  }
  return total;
}

function outputSpec(booster: Booster): string {
  const width = booster.outputWidth();
  const shape = width === 1 ? [-1] : [-1, width];
  return pythonJsonDumps([{ type: "tensor", "tensor-spec": { dtype: "float64", shape } }], { integral: "int" });
}

/**
 * Writes a booster as MLflow's LightGBM flavor: `model.lgb` (LightGBM text format), `MLmodel`
 * with the `lightgbm` and `python_function` flavors and a signature, the environment files, and
 * the input example, so `mlflow.pyfunc.load_model` and `mlflow models serve` accept the folder.
 */
export async function saveLightGBMModel(dir: string, booster: Booster, options: SaveLightGBMModelOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  await atomicWriteFile(join(dir, "model.lgb"), booster.toString());
  const columns = options.inputs.map((c) => c.name ?? "");
  let exampleInfo: YamlValue | undefined;
  if (options.inputExample && options.inputExample.length > 0) {
    // Doubles as Python floats (`0.0`): pandas reads `0` as int64, which MLflow refuses for a double column.
    await atomicWriteFile(join(dir, "input_example.json"), pythonJsonDumps({ columns, data: options.inputExample }));
    await atomicWriteFile(
      join(dir, "serving_input_example.json"),
      JSON.stringify({ dataframe_split: { columns, data: options.inputExample } }, null, 2),
    );
    exampleInfo = { artifact_path: "input_example.json", pandas_orient: "split", serving_input_path: "serving_input_example.json", type: "dataframe" };
  }
  // MLflow measures the folder after the model and examples, before MLmodel and the env files.
  const modelSize = await folderSize(dir);
  const inputs = pythonJsonDumps(
    options.inputs.map((c) => (c.name === null ? { type: c.type, required: c.required } : { type: c.type, name: c.name, required: c.required })),
  );
  const metadata: Record<string, YamlValue> = { ...(options.metadata ?? {}) };
  if (options.labelNames) metadata.label_names = options.labelNames;
  const mlmodel: Record<string, YamlValue | undefined> = {
    artifact_path: options.artifactPath ?? "model",
    flavors: {
      lightgbm: { code: null, data: "model.lgb", lgb_version: LIGHTGBM_FORMAT_VERSION, model_class: "lightgbm.basic.Booster" },
      python_function: {
        data: "model.lgb",
        env: { conda: "conda.yaml", virtualenv: "python_env.yaml" },
        loader_module: "mlflow.lightgbm",
        python_version: PYTHON_VERSION,
      },
    },
    is_signature_from_type_hint: false,
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    mlflow_version: MLFLOW_FORMAT_VERSION,
    model_size_bytes: modelSize,
    model_uuid: randomUUID().replaceAll("-", ""),
    run_id: options.runId,
    saved_input_example_info: exampleInfo,
    signature: { inputs, outputs: outputSpec(booster), params: null },
    type_hint_from_example: false,
    utc_time_created: pythonUtcString(options.now ?? new Date()),
  };
  const requirements = [`mlflow==${MLFLOW_FORMAT_VERSION}`, `lightgbm==${LIGHTGBM_FORMAT_VERSION}`, "numpy", "pandas"];
  await atomicWriteFile(join(dir, "MLmodel"), dumpPythonYaml(mlmodel as YamlValue, { allowUnicode: false }));
  await atomicWriteFile(
    join(dir, "conda.yaml"),
    dumpPythonYaml({ channels: ["conda-forge"], dependencies: [`python=${PYTHON_VERSION}`, "pip", { pip: requirements }], name: "mlflow-env" }),
  );
  await atomicWriteFile(
    join(dir, "python_env.yaml"),
    dumpPythonYaml({ python: PYTHON_VERSION, build_dependencies: ["pip", "setuptools", "wheel"], dependencies: ["-r requirements.txt"] }, { sortKeys: false }),
  );
  await atomicWriteFile(join(dir, "requirements.txt"), requirements.join("\n"));
  return dir;
}
