/** Child process: opens a store that may not exist yet and starts a run in the Default experiment. argv: <store root> */
import { FileTrackingStore } from "../../../src/tracking/FileTrackingStore.js";

const store = new FileTrackingStore(process.argv[2]!);
const run = await store.createRun({ experimentId: "0" });
process.stdout.write(run.info.runId);
