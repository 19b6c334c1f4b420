// The client half of HTTP/1.1 framing that a benchmark needs: where each response on a
// keep-alive socket ends (Content-Length, chunked, or the socket closing), its status, its body,
// and whether the server will close the socket after it.

export interface HttpResponse {
  status: number;
  body: Buffer;
  /** The server closes the socket after this response (`connection: close`, or HTTP/1.0 without keep-alive). */
  closes: boolean;
}

const enum Part {
  Head,
  FixedBody,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  BodyUntilClose,
}

// Far beyond any header block the servers under test send; a runaway is a protocol error.
const MAX_HEAD_BYTES = 64 * 1024;

export class HttpProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HttpProtocolError";
  }
}

export class HttpResponseReader {
  private part = Part.Head;
  private pending: Buffer | null = null;
  private status = 0;
  private closes = false;
  private remaining = 0;
  private bodyParts: Buffer[] = [];

  constructor(private readonly onResponse: (response: HttpResponse) => void) {}

  /** True while a response has begun but not ended; a socket closing then has cut it short. */
  get midResponse(): boolean {
    return this.part !== Part.Head || this.pending !== null;
  }

  /** Feeds bytes from the socket; calls `onResponse` for every response they complete. */
  push(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let at = 0;
    while (at < data.length) {
      switch (this.part) {
        case Part.Head: {
          const end = data.indexOf("\r\n\r\n", at, "latin1");
          if (end < 0) return this.keep(data, at, MAX_HEAD_BYTES, "response head");
          this.readHead(data.toString("latin1", at, end));
          at = end + 4;
          break;
        }
        case Part.FixedBody:
        case Part.ChunkData: {
          const take = Math.min(this.remaining, data.length - at);
          this.bodyParts.push(data.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            if (this.part === Part.FixedBody) this.complete();
            else this.part = Part.ChunkEnd;
          }
          break;
        }
        case Part.ChunkSize: {
          const eol = data.indexOf("\r\n", at, "latin1");
          if (eol < 0) return this.keep(data, at, 1024, "chunk size line");
          const text = data.toString("latin1", at, eol).split(";")[0]!.trim();
          if (!/^[0-9a-fA-F]+$/.test(text)) throw new HttpProtocolError(`bad chunk size '${text}'`);
          const size = parseInt(text, 16);
          at = eol + 2;
          if (size === 0) this.part = Part.Trailers;
          else {
            this.remaining = size;
            this.part = Part.ChunkData;
          }
          break;
        }
        case Part.ChunkEnd: {
          if (data.length - at < 2) return this.keep(data, at, 2, "chunk end");
          if (data[at] !== 13 || data[at + 1] !== 10) throw new HttpProtocolError("chunk data not followed by CRLF");
          at += 2;
          this.part = Part.ChunkSize;
          break;
        }
        case Part.Trailers: {
          const eol = data.indexOf("\r\n", at, "latin1");
          if (eol < 0) return this.keep(data, at, MAX_HEAD_BYTES, "trailers");
          // An empty line ends the trailers, and with them the response.
          const emptyLine = eol === at;
          at = eol + 2;
          if (emptyLine) this.complete();
          break;
        }
        case Part.BodyUntilClose:
          this.bodyParts.push(data.subarray(at));
          at = data.length;
          break;
      }
    }
  }

  /** The socket ended: completes a response whose body runs until close, else reports a cut-off one. */
  end(): void {
    if (this.part === Part.BodyUntilClose) this.complete();
    else if (this.midResponse) throw new HttpProtocolError("connection closed in the middle of a response");
  }

  private keep(data: Buffer, at: number, limit: number, what: string): void {
    if (data.length - at > limit) throw new HttpProtocolError(`${what} longer than ${limit} bytes`);
    this.pending = Buffer.from(data.subarray(at));
  }

  private readHead(head: string): void {
    const lines = head.split("\r\n");
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
    if (!statusLine) throw new HttpProtocolError(`bad status line '${lines[0]}'`);
    const minor = statusLine[1]!;
    const status = Number(statusLine[2]);
    let contentLength = -1;
    let chunked = false;
    let connection = "";
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) throw new HttpProtocolError(`bad header line '${line}'`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") {
        if (!/^\d+$/.test(value)) throw new HttpProtocolError(`bad content-length '${value}'`);
        contentLength = Number(value);
      } else if (name === "transfer-encoding") chunked = value.toLowerCase().split(",").pop()!.trim() === "chunked";
      else if (name === "connection") connection = value.toLowerCase();
    }
    // Interim responses (100 Continue) precede the real one and have no body.
    if (status >= 100 && status < 200) return;
    this.status = status;
    const tokens = connection.split(",").map((t) => t.trim());
    this.closes = tokens.includes("close") || (minor === "0" && !tokens.includes("keep-alive"));
    this.bodyParts = [];
    if (status === 204 || status === 304) this.complete();
    else if (chunked) this.part = Part.ChunkSize;
    else if (contentLength > 0) {
      this.remaining = contentLength;
      this.part = Part.FixedBody;
    } else if (contentLength === 0) this.complete();
    else {
      this.closes = true;
      this.part = Part.BodyUntilClose;
    }
  }

  private complete(): void {
    const body = this.bodyParts.length === 1 ? this.bodyParts[0]! : Buffer.concat(this.bodyParts);
    this.bodyParts = [];
    this.part = Part.Head;
    this.onResponse({ status: this.status, body, closes: this.closes });
  }
}
