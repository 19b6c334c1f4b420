import { readFileSync } from "node:fs";

/** The package version; both src/cli and dist/cli sit two folders below package.json. */
export function larderVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
