import { LarderError } from "../errors.js";

const ALIAS = /^[\w-]*$/;

/** Model names become folder names: no separators, no `%`, no leading dot (lock files use it). */
export function validateModelName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.trim() === "") {
    throw new LarderError("INVALID_PARAMETER_VALUE", "Registered model name must be a non-empty string");
  }
  if (/[/\\%\0]/.test(name) || name.startsWith(".")) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid registered model name '${name}': it may not contain '/', '\\', '%' or NUL, nor start with '.'`);
  }
}

export function validateVersion(version: unknown): number {
  const n = typeof version === "string" && /^\d+$/.test(version) ? Number(version) : version;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid model version '${String(version)}': a positive integer is expected`);
  }
  return n;
}

export function validateAlias(alias: unknown): asserts alias is string {
  if (typeof alias !== "string" || alias === "" || alias.length > 255 || !ALIAS.test(alias)) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid alias '${String(alias)}': use 1-255 letters, digits, '_' or '-'`);
  }
  // `latest` and `v<N>` would be ambiguous in models:/ URIs.
  if (alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Alias '${alias}' is reserved`, { hint: "Pick a name such as 'champion' or 'challenger'." });
  }
}
