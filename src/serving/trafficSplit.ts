import { LarderError } from "../errors.js";
import type { ModelSource } from "./modelSource.js";

export interface Variant {
  name: string;
  weight: number;
  source: ModelSource;
}

export interface VariantSpec {
  name: string;
  uri: string;
  weight: number;
}

/** Parses `NAME=URI:WEIGHT` (the weight after the last colon, so URIs may hold colons). */
export function parseVariantSpec(text: string): VariantSpec {
  const eq = text.indexOf("=");
  const colon = text.lastIndexOf(":");
  const weightText = text.slice(colon + 1);
  if (eq <= 0 || colon <= eq + 1 || !/^\d+(\.\d+)?$/.test(weightText)) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid --variant '${text}'`, {
      hint: "Use NAME=MODEL_URI:WEIGHT, e.g. champion=models:/activity/Production:90.",
    });
  }
  const weight = Number(weightText);
  if (weight <= 0) throw new LarderError("INVALID_PARAMETER_VALUE", `Variant '${text.slice(0, eq)}' needs a positive weight`);
  return { name: text.slice(0, eq), uri: text.slice(eq + 1, colon), weight };
}

/** FNV-1a: a stable 32-bit hash, so one entity always lands in the same bucket. */
export function stableHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Picks a variant in proportion to the weights: by the hash of `stickyKey` when given (the same
 * entity keeps its variant), else by `random()`.
 */
export function chooseVariant(variants: readonly Variant[], stickyKey: string | null, random: () => number = Math.random): Variant {
  if (variants.length === 1) return variants[0]!;
  const total = variants.reduce((s, v) => s + v.weight, 0);
  const u = stickyKey === null ? random() : stableHash(stickyKey) / 4294967296;
  let point = u * total;
  for (const v of variants) {
    if (point < v.weight) return v;
    point -= v.weight;
  }
  return variants[variants.length - 1]!;
}
