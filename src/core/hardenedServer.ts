import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LarderError } from "../errors.js";

export interface HardenedServerOptions {
  /** Time allowed to receive a whole request, headers and body; slower clients get 408. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/**
 * An HTTP server that a misbehaving client cannot wedge: request deadlines enforced, and a
 * malformed request line or header answered with 400/408/431 and the socket closed.
 */
export function createHardenedServer(options: HardenedServerOptions, listener: RequestListener): Server {
  // Node checks request deadlines every connectionsCheckingInterval (30 s by default), which
  // would let a slow client hold a socket long past requestTimeout.
  const server = createServer({ connectionsCheckingInterval: Math.max(100, Math.min(1000, options.requestTimeoutMs / 4)) }, listener);
  server.requestTimeout = options.requestTimeoutMs;
  server.headersTimeout = Math.min(options.requestTimeoutMs, 60_000);
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    const status =
      err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}

/** Listens on `host:port` (127.0.0.1 by default); a port in use is a LarderError with a hint. */
export function listenOn(server: Server, port: number, host = "127.0.0.1"): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "EADDRINUSE" ? new LarderError("IO_ERROR", `Port ${port} on ${host} is already in use`, { hint: "Pick another port with -p." }) : err);
    });
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/** Stops accepting connections and resolves when in-flight requests have finished. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
