import { join } from "node:path";
import { REPO_ROOT } from "./paths.js";

/**
 * What `import … from "larder"` should resolve to in test repos. The real entry point is `src/index.ts`;
 * until it re-exports the feature store, tests point at the feature store's own index instead.
 */
export async function larderModuleForTests(): Promise<string | undefined> {
  const main = (await import("../../../src/index.js")) as Record<string, unknown>;
  return "FeatureView" in main ? undefined : join(REPO_ROOT, "src/featurestore/index.ts");
}
