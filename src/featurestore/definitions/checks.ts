import { LarderError } from "../../errors.js";

/** Feast's name rule: word characters and hyphens, not starting with `_` or `-`. */
const NAME = /^[A-Za-z0-9][\w-]*$/;

export function invalid(message: string, hint?: string): LarderError {
  return new LarderError("INVALID_PARAMETER_VALUE", message, hint === undefined ? {} : { hint });
}

export function requireName(what: string, name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw invalid(
      `${what} name ${JSON.stringify(name)} is invalid`,
      "Names are letters, digits, underscores and hyphens, and do not start with an underscore or hyphen",
    );
  }
  return name;
}

export function requireString(what: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw invalid(`${what} must be a non-empty string`);
  return value;
}

export function optionalString(what: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(`${what} must be a string`);
  return value;
}

export function stringRecord(what: string, value: unknown): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return Object.freeze({});
  if (typeof value !== "object" || Array.isArray(value)) throw invalid(`${what} must be an object of strings`);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw invalid(`${what}.${key} must be a string`);
  }
  return Object.freeze({ ...(value as Record<string, string>) });
}

export function requireArray<T>(what: string, value: unknown): readonly T[] {
  if (!Array.isArray(value)) throw invalid(`${what} must be an array`);
  return value as T[];
}
