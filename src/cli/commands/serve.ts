import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { handle, parseIntegerOption, type RunState } from "../action.js";
import { trackingUriFrom } from "../trackingOption.js";
import { larderVersion } from "../version.js";
import { untilStopSignal } from "../stopSignal.js";

interface ServingAnnouncement {
  type: "larder-serving";
  url: string;
  variants: Array<{ name: string; uri: string; weight: number; version: number | null }>;
}

/** Primary of `--workers N`: forks the workers, announces the URL once, and stops them on a signal. */
async function runPrimary(workers: number, announce: (a: ServingAnnouncement) => void, info: (m: string) => void): Promise<number> {
  const cluster = (await import("node:cluster")).default;
  const children = Array.from({ length: workers }, () => cluster.fork());
  const exited = children.map((w) => new Promise<number>((resolve) => w.once("exit", (code) => resolve(code ?? 0))));
  const firstExit = Promise.race(exited).then((code) => ({ kind: "exit" as const, code }));
  // Announcing when the first worker listens would send a client's first connections all to
  // it: the primary hands connections only to workers already listening.
  const ready = new Promise<ServingAnnouncement>((resolve) => {
    const listening = new Set<number>();
    for (const w of children) {
      w.on("message", (m: ServingAnnouncement) => {
        if (m?.type !== "larder-serving") return;
        listening.add(w.id);
        if (listening.size === children.length) resolve(m);
      });
    }
  });
  const started = await Promise.race([ready.then((a) => ({ kind: "ready" as const, a })), firstExit]);
  if (started.kind === "exit") {
    for (const w of children) w.kill("SIGTERM");
    await Promise.all(exited);
    return started.code === 0 ? 1 : started.code;
  }
  announce(started.a);
  const signal = await untilStopSignal();
  info(`${signal}: stopping ${workers} workers`);
  for (const w of children) w.kill("SIGTERM");
  const codes = await Promise.all(exited);
  return codes.every((c) => c === 0) ? 0 : 1;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerServe(program: Command, state: RunState): void {
  program
    .command("serve")
    .description("serve a model over HTTP with MLflow's scoring protocol (/ping, /health, /version, /invocations)")
    .option("-m, --model <uri>", "model folder or model.txt, runs:/RUN/model, models:/NAME/VERSION|STAGE or models:/NAME@ALIAS")
    .option("--variant <name=uri:weight>", "serve several models, split by weight (repeat); sticky per X-Larder-Entity-Key", collect)
    .option("-p, --port <port>", "port (0 picks a free one)", parseIntegerOption("--port", 0, 65535), 5000)
    .option("--host <host>", "address to bind; 127.0.0.1 keeps it on this machine", "127.0.0.1")
    .option("--feature-repo <dir>", "enable POST /predict: read the model's features for entity keys from this feature repo's online store")
    .option("--feature-service <name>", "feature service for /predict (default: the one recorded with the model)")
    .option("--log-predictions <dir>", "append every request's inputs, outputs, variant and latency to a log (JSON lines rotated into Parquet)")
    .option("--reload-interval <seconds>", "check the registry this often and serve a new version without restarting (0: only POST /reload)", parseIntegerOption("--reload-interval", 0), 0)
    .option("--workers <n>", "serve from N processes (Node cluster) sharing the port", parseIntegerOption("--workers", 1, 64), 1)
    .option("--body-limit <bytes>", "largest request body accepted", parseIntegerOption("--body-limit", 1), 10 * 1024 * 1024)
    .option("--timeout <ms>", "time allowed to receive a request", parseIntegerOption("--timeout", 100), 30_000)
    .option("--tracking-uri <uri>", "tracking store for runs:/ and models:/ URIs (default: MLFLOW_TRACKING_URI, else ./mlruns)")
    .action(
      handle(state, async (ctx, _args, opts) => {
        const variantTexts = (opts.variant as string[] | undefined) ?? [];
        if (!opts.model && variantTexts.length === 0) throw new UsageError("larder serve needs -m MODEL_URI or --variant NAME=URI:WEIGHT", { hint: "e.g. larder serve -m models:/activity/Production" });
        if (opts.model && variantTexts.length > 0) throw new UsageError("Give either -m or --variant, not both", { hint: "A single model is -m; a split is two or more --variant." });
        const render = (r: Omit<ServingAnnouncement, "type">) =>
          [`Serving on ${r.url} (POST ${r.url}/invocations)`, ...r.variants.map((v) => `  ${v.name}: ${v.uri}${v.version === null ? "" : ` (version ${v.version})`} weight ${v.weight}`)].join("\n");
        const cluster = (await import("node:cluster")).default;
        if ((opts.workers as number) > 1 && cluster.isPrimary) {
          return runPrimary(opts.workers as number, ({ type: _type, ...a }) => ctx.result(a, render), (m) => ctx.info(m));
        }
        try {
          const serving = await import("../../serving/index.js");
          const trackingUri = trackingUriFrom(ctx, opts.trackingUri);
          const specs = opts.model ? [{ name: "default", uri: opts.model as string, weight: 1 }] : variantTexts.map(serving.parseVariantSpec);
          const variants = [];
          for (const spec of specs) variants.push({ name: spec.name, weight: spec.weight, source: await serving.ModelSource.open(spec.uri, trackingUri) });
          const log = opts.logPredictions ? await serving.PredictionLog.open(ctx.resolvePath(opts.logPredictions as string)) : undefined;
          const featureStore = opts.featureRepo
            ? await (await import("../../featurestore/index.js")).FeatureStore.open(ctx.resolvePath(opts.featureRepo as string))
            : undefined;
          const scoring = serving.createScoringServer({
            model: variants,
            version: larderVersion(),
            bodyLimitBytes: opts.bodyLimit as number,
            requestTimeoutMs: opts.timeout as number,
            log,
            ...(featureStore ? { featureStore } : {}),
            ...(opts.featureService ? { featureService: opts.featureService as string } : {}),
          });
          const address = await scoring.listen(opts.port as number, opts.host as string);
          const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
          const description = variants.map((v) => ({ name: v.name, uri: v.source.uri, weight: v.weight, version: v.source.current.version }));
          if (cluster.isWorker) process.send?.({ type: "larder-serving", url, variants: description } satisfies ServingAnnouncement);
          else ctx.result({ url, variants: description }, render);
          const interval = (opts.reloadInterval as number) * 1000;
          const poller =
            interval > 0
              ? setInterval(() => {
                  scoring.reload().then(
                    (changes) => changes.filter((c) => c.changed).forEach((c) => ctx.info(`${c.variant}: now serving version ${c.version}`)),
                    (err: Error) => ctx.warn(`reload failed: ${err.message}`),
                  );
                }, interval)
              : null;
          const signal = await untilStopSignal();
          if (poller) clearInterval(poller);
          ctx.info(`${signal}: finishing in-flight requests`);
          await scoring.close();
          await featureStore?.close();
        } finally {
          // A cluster worker's channel to the primary would keep it running (and the primary
          // waiting for it) after it has stopped serving or failed to start.
          if (cluster.isWorker) cluster.worker?.disconnect();
        }
      }),
    );
}
