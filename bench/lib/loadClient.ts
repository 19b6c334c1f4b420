// A load generator cheap enough to leave the CPU to the server it measures: raw keep-alive
// sockets, one prebuilt request per connection, one request in flight per connection, and a
// response parser that reads only what it needs (status, Content-Length or chunked framing).
// node:http's client costs about as much per request as node:http's server, so on a small
// machine it capped every figure at the client's own speed.
import { connect, type Socket } from "node:net";
import { HttpProtocolError, HttpResponseReader } from "./httpResponseReader.js";

export interface LoadResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** Raised when any response was not 200: the figures of such a run would not mean anything. */
export class LoadError extends Error {
  constructor(
    readonly failed: number,
    readonly total: number,
    readonly statuses: ReadonlyMap<number, number>,
    readonly firstFailureBody: string,
  ) {
    const counts = [...statuses].map(([status, n]) => `${n} x ${status}`).join(", ");
    super(`${failed} of ${total} responses were not 200 (${counts}); first: ${firstFailureBody.slice(0, 300)}`);
    this.name = "LoadError";
  }
}

const STALL_MS = 30_000;

function requestBytes(target: URL, body: string): Buffer {
  const payload = Buffer.from(body, "utf8");
  const head =
    `POST ${target.pathname}${target.search} HTTP/1.1\r\n` +
    `host: ${target.host}\r\n` +
    "content-type: application/json\r\n" +
    `content-length: ${payload.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), payload]);
}

/** Sends `total` POSTs with `concurrency` in flight over keep-alive sockets; latencies in ms. */
export async function postLoad(url: string, body: string, total: number, concurrency: number): Promise<LoadResult> {
  const target = new URL(url);
  if (target.protocol !== "http:") throw new Error(`postLoad speaks plain HTTP only, not ${target.protocol}`);
  const port = Number(target.port || 80);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const request = requestBytes(target, body);
  const latencies = new Float64Array(total);
  const statuses = new Map<number, number>();
  let firstFailureBody = "";
  let issued = 0;
  let completed = 0;
  let failed = 0;

  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const sockets = new Set<Socket>();
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      for (const s of sockets) s.destroy();
      if (err) reject(err);
      else resolve();
    };

    // Each connection owns one request at a time; `sentAt` is when that request was written.
    const open = (): void => {
      const socket = connect({ host, port, noDelay: true });
      let sentAt = 0;
      let inFlight = false;
      let closing = false;
      const send = () => {
        if (issued >= total) {
          closing = true;
          socket.end();
          if (completed === total) finish();
          return;
        }
        issued++;
        inFlight = true;
        sentAt = performance.now();
        socket.write(request);
      };
      const reader = new HttpResponseReader((response) => {
        if (!inFlight) throw new HttpProtocolError(`${url} sent a response nobody asked for`);
        inFlight = false;
        latencies[completed++] = performance.now() - sentAt;
        if (response.status !== 200) {
          failed++;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (firstFailureBody === "") firstFailureBody = `${response.status} ${response.body.toString("utf8")}`;
        }
        if (response.closes) {
          // The server is closing this socket; carry on over a fresh one.
          closing = true;
          socket.destroy();
          if (issued < total) open();
          else if (completed === total) finish();
          return;
        }
        send();
      });
      sockets.add(socket);
      socket.setTimeout(STALL_MS, () => finish(new Error(`no response from ${url} for ${STALL_MS} ms`)));
      socket.on("connect", send);
      socket.on("data", (chunk: Buffer) => {
        try {
          reader.push(chunk);
        } catch (err) {
          finish(err as Error);
        }
      });
      socket.on("end", () => {
        try {
          reader.end();
        } catch (err) {
          finish(err as Error);
        }
      });
      socket.on("error", (err) => finish(err));
      socket.on("close", () => {
        sockets.delete(socket);
        if (!closing && !finished) finish(new Error(`${url} closed the connection ${inFlight ? "before answering" : "unasked"}`));
      });
    };
    for (let i = 0; i < Math.min(concurrency, total); i++) open();
    if (total === 0) finish();
  });
  const seconds = (performance.now() - started) / 1000;
  if (failed > 0) throw new LoadError(failed, total, statuses, firstFailureBody);
  latencies.sort();
  return { requests: completed, seconds, p50: latencies[Math.floor(completed * 0.5)]!, p99: latencies[Math.floor(completed * 0.99)]! };
}
