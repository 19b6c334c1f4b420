import type { IncomingMessage } from "node:http";
import { ScoringError } from "./scoringError.js";

/** Reads a request body up to `limit` bytes; a larger body is refused before it is all read. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new ScoringError(413, "BAD_REQUEST", `Request body of ${declared} bytes exceeds the limit of ${limit} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new ScoringError(413, "BAD_REQUEST", `Request body exceeds the limit of ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      const body = Buffer.concat(chunks);
      // Python decodes bodies strictly; invalid UTF-8 is a client error, not a server crash.
      try {
        resolve(new TextDecoder("utf-8", { fatal: true }).decode(body));
      } catch {
        reject(ScoringError.badRequest("Invalid input. The request body is not valid UTF-8."));
      }
    });
    req.on("aborted", () => {
      if (!done) {
        done = true;
        reject(new ScoringError(400, "BAD_REQUEST", "The request was aborted before its body was complete."));
      }
    });
    req.on("error", (err) => {
      if (!done) {
        done = true;
        reject(new ScoringError(400, "BAD_REQUEST", `Could not read the request body: ${err.message}`));
      }
    });
  });
}
