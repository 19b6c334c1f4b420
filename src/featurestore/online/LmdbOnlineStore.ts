import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Database, RootDatabase } from "lmdb";
import type { FeatureViewSpec } from "../definitions/specs.js";
import type { OnlineRecord, OnlineStore } from "./OnlineStore.js";

/** What is stored per entity key: short field names keep the records small. */
interface StoredRecord {
  t: number;
  c: number | null;
  v: Record<string, unknown>;
}

/** Keys per write transaction: large enough to amortise commits, small enough to keep readers current. */
const WRITE_TRANSACTION_SIZE = 10_000;
const ENCODER = { int64AsType: "auto", useRecords: false } as const;

/**
 * The embedded online store: one LMDB environment (a directory), one named database per feature view
 * (`<project>_<view>`, like Feast's sqlite tables). LMDB gives many concurrent reader processes beside one
 * writer and atomic transactions, so a killed materialization leaves every key old or new.
 */
export class LmdbOnlineStore implements OnlineStore {
  private readonly databases = new Map<string, Database<StoredRecord, Uint8Array>>();

  private constructor(
    private readonly project: string,
    private readonly path: string,
    private readonly env: RootDatabase,
  ) {}

  static async open(project: string, path: string): Promise<LmdbOnlineStore> {
    await mkdir(dirname(path), { recursive: true });
    const { open } = await import("lmdb");
    const env = open({ path, maxDbs: 4096, encoder: ENCODER });
    return new LmdbOnlineStore(project, path, env);
  }

  private database(view: FeatureViewSpec | string): Database<StoredRecord, Uint8Array> {
    const name = `${this.project}_${typeof view === "string" ? view : view.name}`;
    let db = this.databases.get(name);
    if (db === undefined) {
      db = this.env.openDB<StoredRecord, Uint8Array>({ name, keyEncoding: "binary", encoder: ENCODER } as never);
      this.databases.set(name, db);
    }
    return db;
  }

  async onlineWriteBatch(view: FeatureViewSpec, records: readonly OnlineRecord[]): Promise<number> {
    const db = this.database(view);
    let written = 0;
    for (let start = 0; start < records.length; start += WRITE_TRANSACTION_SIZE) {
      const batch = records.slice(start, start + WRITE_TRANSACTION_SIZE);
      // Synchronous so the read of the stored record and the put happen in one write transaction.
      db.transactionSync(() => {
        for (const record of batch) {
          const stored = db.get(record.entityKey);
          if (stored !== undefined && stored.t > record.eventTimestampMicros) continue;
          db.put(record.entityKey, { t: record.eventTimestampMicros, c: record.createdTimestampMicros, v: record.values });
          written++;
        }
      });
    }
    return written;
  }

  async onlineRead(view: FeatureViewSpec, entityKeys: readonly Uint8Array[]): Promise<(OnlineRecord | undefined)[]> {
    return this.onlineReadSync(view, entityKeys);
  }

  /** Synchronous reads: LMDB reads are memory-mapped, and skipping promises keeps serving latency in microseconds. */
  onlineReadSync(view: FeatureViewSpec, entityKeys: readonly Uint8Array[]): (OnlineRecord | undefined)[] {
    const db = this.database(view);
    // lmdb-js keeps a read snapshot across calls; another process's writes are only visible after a reset.
    this.env.resetReadTxn();
    return entityKeys.map((entityKey) => {
      const stored = db.get(entityKey);
      return stored === undefined
        ? undefined
        : { entityKey, values: stored.v, eventTimestampMicros: stored.t, createdTimestampMicros: stored.c };
    });
  }

  async update(toKeep: readonly FeatureViewSpec[], toDelete: readonly FeatureViewSpec[]): Promise<void> {
    for (const view of toKeep) this.database(view);
    for (const view of toDelete) {
      await this.database(view).drop();
      this.databases.delete(`${this.project}_${view.name}`);
    }
  }

  async teardown(views: readonly FeatureViewSpec[]): Promise<void> {
    await this.update([], views);
    await this.close();
    await rm(this.path, { recursive: true, force: true });
    await rm(`${this.path}-lock`, { force: true });
  }

  async close(): Promise<void> {
    this.databases.clear();
    await this.env.close();
  }
}
