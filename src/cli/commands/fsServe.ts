import type { Command } from "commander";
import { handle, parseIntegerOption, type RunState } from "../action.js";
import { untilStopSignal } from "../stopSignal.js";

/** `larder fs serve`: Feast's HTTP feature server over the repo given by `larder fs -c DIR`. */
export function registerFsServe(fs: Command, state: RunState): void {
  const command = fs
    .command("serve")
    .description("serve Feast's feature-server HTTP API (/get-online-features, /push, /materialize, /materialize-incremental, /health)")
    .option("-p, --port <port>", "port (0 picks a free one)", parseIntegerOption("--port", 0, 65535), 6566)
    .option("--host <host>", "address to bind; 127.0.0.1 keeps it on this machine", "127.0.0.1")
    .option("--body-limit <bytes>", "largest request body accepted", parseIntegerOption("--body-limit", 1), 10 * 1024 * 1024);
  command.action(
    handle(state, async (ctx, _args, opts) => {
      const globals = command.optsWithGlobals() as { chdir?: string; featureStoreYaml?: string };
      const { FeatureStore, createFeatureServer } = await import("../../featurestore/index.js");
      const store = await FeatureStore.open(ctx.resolvePath(globals.chdir ?? "."), {
        ...(globals.featureStoreYaml ? { configPath: ctx.resolvePath(globals.featureStoreYaml) } : {}),
      });
      try {
        const featureServer = createFeatureServer(store, { bodyLimitBytes: opts.bodyLimit as number, log: (message) => ctx.warn(message) });
        const address = await featureServer.listen(opts.port as number, opts.host as string);
        const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
        ctx.result({ url }, () => `Feature server on ${url} (POST ${url}/get-online-features)`);
        const signal = await untilStopSignal();
        ctx.info(`${signal}: finishing in-flight requests`);
        await featureServer.close();
      } finally {
        await store.close();
      }
    }),
  );
}
