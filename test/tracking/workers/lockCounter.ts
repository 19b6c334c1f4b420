/** Child process: increments a counter file `times` times, each under the cross-process lock. argv: <lock> <counter> <times> */
import { readFile, writeFile } from "node:fs/promises";
import { withFileLock } from "../../../src/core/fileLock.js";

const [lockPath, counterPath, timesText] = process.argv.slice(2) as [string, string, string];
for (let i = 0; i < Number(timesText); i++) {
  await withFileLock(lockPath, async () => {
    // Read-modify-write with a yield in between: without the lock, increments get lost.
    const value = Number(await readFile(counterPath, "utf8"));
    await new Promise((resolve) => setImmediate(resolve));
    await writeFile(counterPath, String(value + 1));
  });
}
