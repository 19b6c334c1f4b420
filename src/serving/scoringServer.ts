import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer, createHardenedServer, listenOn } from "../core/hardenedServer.js";
import { LarderError } from "../errors.js";
import type { LoadedModel } from "../models/index.js";
import { enforceSchema } from "./enforceSchema.js";
import { ModelSource } from "./modelSource.js";
import { parseInvocation } from "./parseInvocation.js";
import type { PredictionLog } from "./predictionLog.js";
import { predictionValues, predictionsBody, type OutputKind } from "./predictionResponse.js";
import { predictRows } from "./predictRows.js";
import { readBody } from "./readBody.js";
import { ScoringError } from "./scoringError.js";
import { chooseVariant, type Variant } from "./trafficSplit.js";
import type { FeatureStore } from "../featurestore/index.js";
import { featureServiceOf, onlineFeatureRows, parseFeaturePredictRequest } from "./featurePredict.js";

export interface ScoringServerOptions {
  /** What to serve: one model, one reloadable source, or weighted variants. */
  model: LoadedModel | ModelSource | Variant[];
  /** Answered by `GET /version`. */
  version: string;
  /** Largest accepted request body (default 10 MiB). */
  bodyLimitBytes?: number;
  /** Time allowed to receive a whole request, headers and body (default 30 s); slower clients get 408. */
  requestTimeoutMs?: number;
  /** Where each request's inputs, outputs, variant and latency are recorded. */
  log?: PredictionLog;
  /** Source of randomness for traffic splits without a sticky key (tests pass a seeded one). */
  random?: () => number;
  /** Enables `POST /predict`: entity keys in, the model's features read from this store's online store. */
  featureStore?: FeatureStore;
  /** The feature service for `/predict` (default: the one recorded with the model at training). */
  featureService?: string;
}

export interface ScoringServer {
  server: Server;
  variants: readonly Variant[];
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Re-resolves every variant's model URI; swaps in models whose URI now points elsewhere. */
  reload(): Promise<Array<{ variant: string; version: number | null; changed: boolean }>>;
  /** Stops accepting connections and resolves when in-flight requests have finished and the log is flushed. */
  close(): Promise<void>;
}

const JSON_TYPE = "application/json";
/** Header naming the variant that answered, and the header a client sets to stick to one. */
export const VARIANT_HEADER = "x-larder-variant";
export const STICKY_KEY_HEADER = "x-larder-entity-key";

function send(res: ServerResponse, status: number, contentType: string, body: string, variant?: string): void {
  if (res.headersSent) return;
  const length = Buffer.byteLength(body);
  if (variant === undefined) res.writeHead(status, { "content-type": contentType, "content-length": length });
  else res.writeHead(status, { "content-type": contentType, "content-length": length, [VARIANT_HEADER]: variant });
  res.end(body);
}

const ENDPOINTS = ["/ping", "/health", "/version", "/invocations", "/predict", "/reload"];

/**
 * The path and query of a request target. A target that is exactly an endpoint's path needs no
 * URL parsing; anything else (a query, dot segments, percent escapes) gets WHATWG URL's reading,
 * and one it cannot read (`//[`) names no endpoint, so it is answered 404.
 */
function requestTarget(target: string | undefined): { pathname: string; searchParams: URLSearchParams | null } {
  if (target !== undefined && ENDPOINTS.includes(target)) return { pathname: target, searchParams: null };
  let url: URL;
  try {
    url = new URL(target ?? "/", "http://localhost");
  } catch {
    return { pathname: "", searchParams: null };
  }
  return { pathname: url.pathname, searchParams: url.searchParams };
}

type RequestTarget = ReturnType<typeof requestTarget>;

function outputKind(url: RequestTarget): OutputKind {
  const output = url.searchParams?.get("output") ?? null;
  if (output === null || output === "probability" || output === "proba") return "probability";
  if (output === "label") return "label";
  throw ScoringError.badRequest(`Unknown output '${output}'. Use ?output=label or leave it out for probabilities.`);
}

function toVariants(model: ScoringServerOptions["model"]): Variant[] {
  if (Array.isArray(model)) {
    if (model.length === 0) throw new LarderError("INVALID_PARAMETER_VALUE", "No model to serve");
    const names = new Set<string>();
    for (const v of model) {
      if (names.has(v.name)) throw new LarderError("INVALID_PARAMETER_VALUE", `Variant '${v.name}' is given twice`);
      names.add(v.name);
    }
    return model;
  }
  return [{ name: "default", weight: 1, source: model instanceof ModelSource ? model : ModelSource.fixed(model) }];
}

/**
 * An HTTP server speaking MLflow's scoring protocol (`/ping`, `/health`, `/version`,
 * `/invocations`), with weighted variants, `POST /reload`, and an optional prediction log.
 * Every failure becomes a 4xx/5xx answer; nothing a client sends stops it.
 */
export function createScoringServer(options: ScoringServerOptions): ScoringServer {
  const opts = { bodyLimitBytes: 10 * 1024 * 1024, requestTimeoutMs: 30_000, random: Math.random, ...options };
  const variants = toVariants(options.model);

  async function invocations(req: IncomingMessage, res: ServerResponse, url: RequestTarget): Promise<void> {
    const started = performance.now();
    const output = outputKind(url);
    const stickyHeader = req.headers[STICKY_KEY_HEADER];
    const stickyKey = typeof stickyHeader === "string" && stickyHeader !== "" ? stickyHeader : null;
    const variant = chooseVariant(variants, stickyKey, opts.random);
    const served = variant.source.current;
    const body = await readBody(req, opts.bodyLimitBytes);
    const { input } = parseInvocation(req.headers["content-type"], body);
    if (output === "label" && served.model.task === "regression") {
      throw ScoringError.badRequest("?output=label needs a classifier; this model predicts numbers.");
    }
    const rows = enforceSchema(served.model, input);
    let values: Float64Array;
    try {
      values = predictRows(served.model, rows);
    } catch (err) {
      throw ScoringError.badRequest(
        `Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference. Error: ${(err as Error).message}`,
      );
    }
    const predictions = predictionValues(values, served.model.outputWidth, output, served.model.labelNames);
    send(res, 200, JSON_TYPE, predictionsBody(predictions), variant.name);
    opts.log?.append({
      timestamp: new Date().toISOString(),
      request_id: randomUUID(),
      endpoint: "invocations",
      variant: variant.name,
      model_uri: served.uri,
      model_version: served.version,
      latency_ms: performance.now() - started,
      status: 200,
      entity_key: stickyKey,
      inputs: { columns: served.model.featureNames, data: rows },
      outputs: predictions,
    });
  }

  /**
   * `POST /predict`: each entity row goes to a variant (sticky by its key), its features are read
   * online, and it is predicted; an unknown entity gets status NOT_FOUND and no prediction.
   */
  async function predictEntities(req: IncomingMessage, res: ServerResponse, url: RequestTarget): Promise<void> {
    const store = opts.featureStore;
    if (!store) throw new ScoringError(404, "RESOURCE_DOES_NOT_EXIST", "/predict needs the server to be started with --feature-repo DIR.");
    const started = performance.now();
    const output = outputKind(url);
    const input = parseFeaturePredictRequest(await readBody(req, opts.bodyLimitBytes));
    const keys = Object.keys(input.entities);
    const numRows = input.entities[keys[0]!]!.length;
    const rowKey = (r: number) => keys.map((k) => `${k}=${String(input.entities[k]![r])}`).join("&");
    const groups = new Map<Variant, number[]>();
    for (let r = 0; r < numRows; r++) {
      const v = chooseVariant(variants, rowKey(r), opts.random);
      groups.set(v, [...(groups.get(v) ?? []), r]);
    }
    const predictions: unknown[] = new Array(numRows).fill(null);
    const rowVariant: string[] = new Array(numRows);
    const rowVersion: (number | null)[] = new Array(numRows);
    const statuses: unknown[] = new Array(numRows);
    const features: Record<string, unknown[]> = {};
    for (const [variant, rows] of groups) {
      const served = variant.source.current;
      if (output === "label" && served.model.task === "regression") throw ScoringError.badRequest("?output=label needs a classifier; this model predicts numbers.");
      const pick = (cols: Record<string, unknown[]>) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, rows.map((r) => v[r])]));
      const read = await onlineFeatureRows(store, served.model, featureServiceOf(served.model, opts.featureService), { entities: pick(input.entities), request: pick(input.request) });
      const known = read.statuses.map((s, i) => (s.status === "NOT_FOUND" ? -1 : i)).filter((i) => i >= 0);
      const values = known.length > 0 ? served.model.predictCells(known.map((i) => read.rows[i]!)) : new Float64Array(0);
      const predicted = predictionValues(values, served.model.outputWidth, output, served.model.labelNames);
      known.forEach((i, j) => (predictions[rows[i]!] = predicted[j]));
      rows.forEach((r, i) => {
        rowVariant[r] = variant.name;
        rowVersion[r] = served.version;
        statuses[r] = read.statuses[i];
        served.model.featureNames.forEach((f, j) => ((features[f] ??= new Array(numRows).fill(null))[r] = read.rows[i]![j] ?? null));
      });
    }
    const body = { predictions, variants: rowVariant, model_versions: rowVersion, statuses, features };
    send(res, 200, JSON_TYPE, JSON.stringify(body), [...new Set(rowVariant)].join(","));
    for (let r = 0; r < numRows; r++) {
      opts.log?.append({
        timestamp: new Date().toISOString(),
        request_id: randomUUID(),
        endpoint: "predict",
        variant: rowVariant[r]!,
        model_uri: variants.find((v) => v.name === rowVariant[r])!.source.current.uri,
        model_version: rowVersion[r]!,
        latency_ms: performance.now() - started,
        status: 200,
        entity_key: rowKey(r),
        inputs: { columns: Object.keys(features), data: [Object.keys(features).map((f) => features[f]![r])] },
        outputs: [predictions[r]],
      });
    }
  }

  async function reload() {
    const results = [];
    for (const v of variants) {
      const r = await v.source.reload();
      results.push({ variant: v.name, version: r.version, changed: r.changed });
    }
    return results;
  }

  const server = createHardenedServer({ requestTimeoutMs: opts.requestTimeoutMs, keepAliveTimeoutMs: 5_000 }, async (req, res) => {
    try {
      const url = requestTarget(req.url);
      const { pathname } = url;
      if (req.method === "POST") {
        if (pathname === "/invocations") return await invocations(req, res, url);
        if (pathname === "/predict") return await predictEntities(req, res, url);
        if (pathname === "/reload") return send(res, 200, JSON_TYPE, JSON.stringify({ variants: await reload() }));
      } else if (req.method === "GET") {
        if (pathname === "/ping" || pathname === "/health") return send(res, 200, JSON_TYPE, "\n");
        if (pathname === "/version") return send(res, 200, JSON_TYPE, opts.version);
      }
      if (ENDPOINTS.includes(pathname)) {
        return send(res, 405, JSON_TYPE, JSON.stringify({ detail: "Method Not Allowed" }));
      }
      return send(res, 404, JSON_TYPE, JSON.stringify({ detail: "Not Found" }));
    } catch (err) {
      if (err instanceof ScoringError) {
        if (err.status === 413) res.setHeader("connection", "close");
        return send(res, err.status, err.contentType, err.body);
      }
      const status = err instanceof LarderError ? err.httpStatus : 500;
      const code = err instanceof LarderError ? err.code : "INTERNAL_ERROR";
      return send(res, status, JSON_TYPE, JSON.stringify({ error_code: code, message: (err as Error).message }));
    }
  });

  return {
    server,
    variants,
    reload,
    listen: (port, host) => listenOn(server, port, host),
    async close() {
      await closeServer(server);
      await opts.log?.close();
    },
  };
}
