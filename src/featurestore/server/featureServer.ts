import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer, createHardenedServer, listenOn } from "../../core/hardenedServer.js";
import { LarderError } from "../../errors.js";
import { readBody } from "../../serving/readBody.js";
import { ScoringError } from "../../serving/scoringError.js";
import type { FeatureStore, OnlineFeaturesOptions } from "../FeatureStore.js";
import { viewsToMaterialize } from "../materialize.js";
import { stringifyOnlineResponse } from "../online/onlineResponse.js";
import { toEpochMicros } from "../time.js";
import { asyncConflictMessage, BackgroundMaterializations } from "./backgroundMaterializations.js";
import { materializeBody, materializeIncrementalBody, onlineFeaturesBody, parseJsonObject, pushBody } from "./requestBodies.js";
import { RequestError } from "./requestError.js";

export interface FeatureServerOptions {
  /** Largest accepted request body (default 10 MiB); larger ones get 413. */
  bodyLimitBytes?: number;
  /** Time allowed to receive a whole request (default 30 s); slower clients get 408. */
  requestTimeoutMs?: number;
  /** Idle time before a keep-alive connection is closed (default 30 s, Feast's `--keep-alive-timeout`). */
  keepAliveTimeoutMs?: number;
  /** The time for OUTSIDE_MAX_AGE and `disable_event_timestamp` (tests pin it; default: the clock). */
  now?: () => Date;
  /** Where failures of `?async=true` materializations are reported (default: stderr). */
  log?: (message: string) => void;
}

export interface FeatureServer {
  server: Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting connections; resolves when in-flight requests and background materializations have finished. The store stays open. */
  close(): Promise<void>;
}

const JSON_TYPE = "application/json";
const ROUTES: Readonly<Record<string, string>> = {
  "/get-online-features": "POST",
  "/push": "POST",
  "/materialize": "POST",
  "/materialize-incremental": "POST",
  "/health": "GET",
};

function send(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": JSON_TYPE, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** FastAPI's reading of a boolean query parameter. */
const queryFlag = (query: URLSearchParams, name: string): boolean => ["true", "1", "yes", "on"].includes((query.get(name) ?? "").toLowerCase());

/** Status and JSON body for a failure; anything not recognised is the server's fault (500), never a crash. */
function errorAnswer(err: unknown): { status: number; body: string } {
  if (err instanceof RequestError || err instanceof ScoringError) {
    const code = err instanceof RequestError ? err.errorCode : (err.errorCode ?? "BAD_REQUEST");
    return { status: err.status, body: JSON.stringify({ error_code: code, message: err.message }) };
  }
  if (err instanceof LarderError) return { status: err.httpStatus, body: JSON.stringify(err.toJSON()) };
  return { status: 500, body: JSON.stringify({ error_code: "INTERNAL_ERROR", message: (err as Error)?.message ?? String(err) }) };
}

/**
 * Feast's HTTP feature server (`feast serve`) over a Larder feature store: `POST /get-online-features`,
 * `/push`, `/materialize`, `/materialize-incremental` and `GET /health`, with Feast's request and
 * response JSON. Errors are `{error_code, message}` with a 4xx status for the client's mistakes.
 */
export function createFeatureServer(store: FeatureStore, options: FeatureServerOptions = {}): FeatureServer {
  const opts = { bodyLimitBytes: 10 * 1024 * 1024, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 30_000, ...options };
  const log = opts.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const background = new BackgroundMaterializations();
  const jsonBody = async (req: IncomingMessage) => parseJsonObject(await readBody(req, opts.bodyLimitBytes));

  async function getOnlineFeatures(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = onlineFeaturesBody(parseJsonObject(await readBody(req, opts.bodyLimitBytes)));
    // Built field by field rather than by rest and spread, which copy generically on every request.
    const options: OnlineFeaturesOptions =
      body.featureService !== undefined
        ? { featureService: body.featureService, entityRows: body.entities, fullFeatureNames: body.fullFeatureNames }
        : { features: body.features, entityRows: body.entities, fullFeatureNames: body.fullFeatureNames };
    if (opts.now !== undefined) options.now = opts.now();
    send(res, 200, stringifyOnlineResponse(await store.getOnlineFeatures(options)));
  }

  async function push(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = pushBody(await jsonBody(req));
    await store.push(body.pushSourceName, body.df, body.to);
    send(res, 200, "");
  }

  async function materialize(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const body = materializeBody(await jsonBody(req), opts.now ?? (() => new Date()));
    // Checked here so that an async request with a bad window is refused rather than accepted and failed later.
    if (toEpochMicros(body.startTs, "start_ts") > toEpochMicros(body.endTs, "end_ts")) {
      throw new LarderError("INVALID_PARAMETER_VALUE", "The start of the materialization window is after its end");
    }
    const views = body.featureViews ? { views: body.featureViews } : {};
    await materializeAnswer(res, query, body.featureViews, () => store.materialize(body.startTs, body.endTs, views));
  }

  async function materializeIncremental(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const body = materializeIncrementalBody(await jsonBody(req));
    toEpochMicros(body.endTs, "end_ts"); // refused now rather than after a 202
    const views = body.featureViews ? { views: body.featureViews } : {};
    await materializeAnswer(res, query, body.featureViews, () => store.materializeIncremental(body.endTs, views));
  }

  /** Sync: 200 `null` when done. `?async=true`: 202 at once, or 409 while one of the views is still being materialized (unless `force=true`). */
  async function materializeAnswer(res: ServerResponse, query: URLSearchParams, requested: string[] | undefined, run: () => Promise<unknown>): Promise<void> {
    if (!queryFlag(query, "async")) {
      await run();
      return send(res, 200, "null");
    }
    const views = viewsToMaterialize(await store.specs(), requested, store.project).map((v) => v.name);
    const conflicts = background.conflicts(views);
    if (conflicts.length > 0 && !queryFlag(query, "force")) {
      return send(res, 409, JSON.stringify({ error: asyncConflictMessage(conflicts), feature_views: views }));
    }
    background.start(views, run, (err) => log(`async materialization of ${views.join(", ")} failed: ${(err as Error)?.message ?? String(err)}`));
    send(res, 202, JSON.stringify({ status: "accepted", feature_views: views }));
  }

  /** 200 when the registry can be read and holds applied definitions, else 503. */
  async function health(res: ServerResponse): Promise<void> {
    const document = await store.registryDocument().catch(() => undefined);
    if (document === undefined) return send(res, 503, JSON.stringify({ error_code: "INVALID_STATE", message: `Registry at ${store.registry.path} cannot be read` }));
    send(res, 200, "");
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? "/";
    const query = target.indexOf("?");
    const path = query < 0 ? target : target.slice(0, query);
    const method = ROUTES[path];
    if (method === undefined) return send(res, 404, JSON.stringify({ detail: "Not Found" }));
    if (req.method !== method) {
      res.setHeader("allow", method);
      return send(res, 405, JSON.stringify({ detail: "Method Not Allowed" }));
    }
    switch (path) {
      case "/get-online-features":
        return getOnlineFeatures(req, res);
      case "/push":
        return push(req, res);
      case "/materialize":
        return materialize(req, res, new URLSearchParams(query < 0 ? "" : target.slice(query + 1)));
      case "/materialize-incremental":
        return materializeIncremental(req, res, new URLSearchParams(query < 0 ? "" : target.slice(query + 1)));
      default:
        return health(res);
    }
  }

  const server = createHardenedServer({ requestTimeoutMs: opts.requestTimeoutMs, keepAliveTimeoutMs: opts.keepAliveTimeoutMs }, (req, res) => {
    route(req, res).catch((err: unknown) => {
      const { status, body } = errorAnswer(err);
      // The rest of an oversize body is not read, so the connection cannot carry another request.
      if (status === 413) res.setHeader("connection", "close");
      send(res, status, body);
    });
  });

  return {
    server,
    listen: (port, host) => listenOn(server, port, host),
    async close() {
      await closeServer(server);
      await background.settled();
    },
  };
}
