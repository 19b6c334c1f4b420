/** Child process: registers `count` versions of one model while siblings do the same. argv: <store root> <run id> <count> */
import { FileModelRegistry } from "../../../src/registry/FileModelRegistry.js";
import { FileTrackingStore } from "../../../src/tracking/FileTrackingStore.js";

const [root, runId, countText] = process.argv.slice(2) as [string, string, string];
const registry = new FileModelRegistry(new FileTrackingStore(root));
const versions: number[] = [];
for (let i = 0; i < Number(countText); i++) {
  versions.push((await registry.registerModel(`runs:/${runId}/model`, "raced-model")).version);
}
process.stdout.write(JSON.stringify(versions));
