import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FeatureViewSpec } from "../../src/featurestore/definitions/specs.js";
import { serializeEntityKey } from "../../src/featurestore/online/entityKey.js";
import { LmdbOnlineStore } from "../../src/featurestore/online/LmdbOnlineStore.js";
import { REPO_ROOT, withTempDir } from "./helpers/paths.js";

const COUNT = 20_000;
const view = { name: "crash", joinKeys: ["id"] } as FeatureViewSpec;
const keys = Array.from({ length: COUNT }, (_, id) => serializeEntityKey({ id }, { id: "Int64" }));

/**
 * Runs the writer child, letting it continue after each batch once `onBatch` is done; kills it with
 * SIGKILL after `killAfterBatches` batches instead. Resolves when it exits.
 */
function runWriter(path: string, generation: number, killAfterBatches?: number, onBatch?: () => Promise<unknown>): Promise<{ batches: number; done: boolean }> {
  return new Promise((resolve, reject) => {
    // `node --import tsx` rather than the tsx CLI, which would run the script in a grandchild that SIGKILL misses.
    const script = join(REPO_ROOT, "test/featurestore/fixtures/writeOnlineRecords.ts");
    const child = spawn(process.execPath, ["--import", "tsx", script, path, String(COUNT), String(generation)], {
      cwd: REPO_ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    });
    let batches = 0;
    let done = false;
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) {
        if (line === "batch") {
          batches++;
          if (killAfterBatches !== undefined && batches === killAfterBatches) child.kill("SIGKILL");
          else void Promise.resolve(onBatch?.()).then(() => child.stdin.write("next\n"), reject);
        } else if (line === "done") done = true;
      }
    });
    child.on("error", reject);
    child.on("exit", () => resolve({ batches, done }));
  });
}

/** Every stored record is whole: its two values agree. Returns the generations seen. */
async function checkRecords(store: LmdbOnlineStore): Promise<Map<number, number>> {
  const generations = new Map<number, number>();
  for (const record of await store.onlineRead(view, keys)) {
    if (record === undefined) continue;
    expect(record.values.double).toBe(2 * (record.values.n as number));
    generations.set(record.eventTimestampMicros, (generations.get(record.eventTimestampMicros) ?? 0) + 1);
  }
  return generations;
}

describe("LmdbOnlineStore across processes", () => {
  it("a writer killed mid-way leaves every key whole, readers in another process see consistent records, and a re-run completes", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "online_store.lmdb");
      const first = await runWriter(path, 1);
      expect(first.done).toBe(true);

      const reader = await LmdbOnlineStore.open("p", path);
      try {
        let readsDuringWrites = 0;
        const killed = await runWriter(path, 2, 4, async () => {
          const seen = await checkRecords(reader);
          // The reader sees the writer's committed batches as they land.
          expect(seen.get(2)).toBe((readsDuringWrites + 1) * 2_000);
          readsDuringWrites++;
        });
        expect(readsDuringWrites).toBe(3);
        expect(killed.done).toBe(false);
        expect(killed.batches).toBe(4);
        const afterCrash = await checkRecords(reader);
        expect(afterCrash.get(2)).toBe(8_000); // the four committed batches are new,
        expect(afterCrash.get(1)).toBe(COUNT - 8_000); // the rest still old,
        expect((afterCrash.get(1) ?? 0) + (afterCrash.get(2) ?? 0)).toBe(COUNT); // and none is lost or torn.

        const rerun = await runWriter(path, 2);
        expect(rerun.done).toBe(true);
        expect(await checkRecords(reader)).toEqual(new Map([[2, COUNT]]));
      } finally {
        await reader.close();
      }
    });
  }, 120_000);
});
