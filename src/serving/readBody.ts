import type { IncomingMessage } from "node:http";
import { ScoringError } from "./scoringError.js";

// Python decodes bodies strictly; invalid UTF-8 is a client error, not a server crash. One
// decoder serves every request: without `stream` a decode keeps no state between calls, and
// building a TextDecoder (label lookup, ICU converter) costs more than decoding a small body.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decode(chunks: Buffer[]): string {
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return strictUtf8.decode(body);
}

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
      let text: string;
      try {
        text = chunks.length === 0 ? "" : decode(chunks);
      } catch {
        reject(ScoringError.badRequest("Invalid input. The request body is not valid UTF-8."));
        return;
      }
      resolve(text);
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
