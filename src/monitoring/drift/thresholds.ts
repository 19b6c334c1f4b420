import { LarderError } from "../../errors.js";

/**
 * When a column counts as drifted: PSI above `psi`, or a test's p-value below `ks_pvalue`
 * (numeric columns) or `chi2_pvalue` (categorical ones). Only the thresholds given apply.
 */
export interface DriftThresholds {
  psi?: number;
  ks_pvalue?: number;
  chi2_pvalue?: number;
}

export const DEFAULT_THRESHOLDS: DriftThresholds = { psi: 0.2 };
const KEYS = ["psi", "ks_pvalue", "chi2_pvalue"] as const;

/** Parses `psi=0.2,ks_pvalue=0.01` (several flags may be given; they are joined). */
export function parseThresholds(specs: readonly string[]): DriftThresholds {
  const out: DriftThresholds = {};
  for (const part of specs.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z0-9_]+)\s*=\s*(.+)$/i.exec(part);
    const key = match?.[1]?.toLowerCase();
    const value = Number(match?.[2]);
    if (!match || !(KEYS as readonly string[]).includes(key!) || !Number.isFinite(value) || value < 0) {
      throw new LarderError("USAGE_ERROR", `Bad --threshold '${part}'`, { hint: `Use NAME=NUMBER with NAME one of ${KEYS.join(", ")}, e.g. psi=0.2 or ks_pvalue=0.01.` });
    }
    out[key as (typeof KEYS)[number]] = value;
  }
  return out;
}
