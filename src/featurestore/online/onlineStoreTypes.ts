import type { OnlineStoreConfig } from "../config.js";
import type { OnlineStore } from "./OnlineStore.js";

export interface OnlineStoreType {
  /** Keys `online_store:` may hold besides `type`. */
  configKeys: readonly string[];
  /** Opens the store; implementations are imported only when used. */
  open(project: string, config: OnlineStoreConfig): Promise<OnlineStore>;
}

/** `online_store.type` → implementation. A Redis store is one more entry here. */
export const ONLINE_STORE_TYPES: Readonly<Record<string, OnlineStoreType>> = {
  lmdb: {
    configKeys: ["path"],
    async open(project, config) {
      const { LmdbOnlineStore } = await import("./LmdbOnlineStore.js");
      return LmdbOnlineStore.open(project, config.path);
    },
  },
};
