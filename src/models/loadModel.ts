import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { LarderError } from "../errors.js";
import { Booster, type CellValue } from "../gbdt/index.js";
import { parseSignature, type ModelSignature } from "./signature.js";

export interface MLmodelFile {
  flavors: Record<string, Record<string, unknown>>;
  signature?: unknown;
  metadata?: Record<string, unknown> | null;
  run_id?: string;
  model_id?: string | null;
  [key: string]: unknown;
}

/**
 * A LightGBM model as MLflow packages it (an MLmodel folder with the `lightgbm` flavor), or a bare
 * LightGBM `model.txt`. Label names come from MLmodel `metadata.label_names` when present.
 */
export class LoadedModel {
  constructor(
    readonly source: string,
    readonly booster: Booster,
    readonly signature: ModelSignature | null,
    readonly labelNames: readonly string[] | null,
    readonly mlmodel: MLmodelFile | null,
  ) {}

  /** What the model predicts, from its objective: class probabilities or a number. */
  get task(): "binary" | "multiclass" | "regression" {
    const name = this.booster.objectiveName;
    if (name === "binary") return "binary";
    if (name === "multiclass" || name === "multiclassova") return "multiclass";
    return "regression";
  }

  /** Names of the classes, in class-index order: the saved label names, else "0", "1", …. */
  get classNames(): string[] {
    const count = this.task === "binary" ? 2 : this.task === "multiclass" ? this.booster.numClass : 0;
    return Array.from({ length: count }, (_, k) => this.labelNames?.[k] ?? String(k));
  }

  get featureNames(): readonly string[] {
    return this.booster.featureNames;
  }

  /** Values per row of `predict`: classes for multiclass, else 1. */
  get outputWidth(): number {
    return this.booster.outputWidth();
  }

  /**
   * Predicts rows whose cells are in `featureNames` order (strings allowed for pandas
   * categorical features); returns row-major outputs, `outputWidth` per row.
   */
  predictCells(rows: readonly (readonly CellValue[])[]): Float64Array {
    return this.booster.predict(this.booster.encodeRows(rows));
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Model not found: ${path}`, {
        hint: "Pass a folder with an MLmodel file, a LightGBM model.txt, or a runs:/ or models:/ URI.",
      });
    }
    throw err;
  }
}

function labelNamesOf(mlmodel: MLmodelFile | null): string[] | null {
  const names = mlmodel?.metadata?.label_names;
  return Array.isArray(names) ? names.map(String) : null;
}

/** Loads a model from an MLmodel folder or a LightGBM text model file. */
export async function loadModel(path: string): Promise<LoadedModel> {
  let mlmodel: MLmodelFile | null = null;
  let modelFile = path;
  if (await isDirectory(path)) {
    let text: string;
    try {
      text = await readFile(join(path, "MLmodel"), "utf8");
    } catch {
      throw new LarderError("RESOURCE_DOES_NOT_EXIST", `${path} has no MLmodel file`, {
        hint: "Point at the model folder of a run (…/artifacts/model) or at a LightGBM model.txt.",
      });
    }
    mlmodel = parse(text) as MLmodelFile;
    const flavor = mlmodel?.flavors?.lightgbm ?? mlmodel?.flavors?.python_function;
    if (!mlmodel?.flavors?.lightgbm) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `${path} is not a LightGBM model (flavors: ${Object.keys(mlmodel?.flavors ?? {}).join(", ") || "none"})`, {
        hint: "Larder serves models saved with MLflow's lightgbm flavor.",
      });
    }
    const data = String(flavor?.data ?? "model.lgb");
    if (data.endsWith(".pkl")) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `${path} holds a pickled scikit-learn LightGBM wrapper (${data})`, {
        hint: "Log the booster itself (model.booster_) with mlflow.lightgbm.log_model, which writes model.lgb in LightGBM's text format.",
      });
    }
    modelFile = join(path, data);
  }
  const text = await readFile(modelFile, "utf8").catch(() => {
    throw new LarderError("RESOURCE_DOES_NOT_EXIST", `Model file not found: ${modelFile}`);
  });
  const booster = Booster.fromString(text);
  return new LoadedModel(path, booster, parseSignature(mlmodel?.signature), labelNamesOf(mlmodel), mlmodel);
}
