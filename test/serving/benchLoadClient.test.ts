// The serving benchmark's load generator: its HTTP response framing, and that it refuses to turn
// failed responses into throughput figures.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpResponseReader, type HttpResponse } from "../../bench/lib/httpResponseReader.js";
import { LoadError, postLoad } from "../../bench/lib/loadClient.js";

function readAll(bytes: string, cuts: number[]): HttpResponse[] {
  const seen: HttpResponse[] = [];
  const reader = new HttpResponseReader((r) => seen.push({ ...r, body: Buffer.from(r.body) }));
  const data = Buffer.from(bytes, "latin1");
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    reader.push(data.subarray(at, cut));
    at = cut;
  }
  return seen;
}

const RESPONSES =
  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello" +
  "HTTP/1.1 100 Continue\r\n\r\n" +
  "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0A\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n" +
  "HTTP/1.1 204 No Content\r\n\r\n" +
  "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nConnection: close\r\n\r\n";

describe("HttpResponseReader", () => {
  it("frames Content-Length, chunked, interim and empty responses however the bytes are cut", () => {
    const expected = [
      { status: 200, body: "hello", closes: false },
      { status: 400, body: "abc0123456789", closes: false },
      { status: 204, body: "", closes: false },
      { status: 200, body: "", closes: true },
    ];
    const asText = (rs: HttpResponse[]) => rs.map((r) => ({ status: r.status, body: r.body.toString("latin1"), closes: r.closes }));
    expect(asText(readAll(RESPONSES, []))).toEqual(expected);
    for (let cut = 1; cut < RESPONSES.length; cut++) expect(asText(readAll(RESPONSES, [cut])), `cut at ${cut}`).toEqual(expected);
    const everyByte = Array.from({ length: RESPONSES.length - 1 }, (_, i) => i + 1);
    expect(asText(readAll(RESPONSES, everyByte))).toEqual(expected);
  });

  it("reads a body that runs until the connection closes, and reports a response cut short", () => {
    const seen: HttpResponse[] = [];
    const untilClose = new HttpResponseReader((r) => seen.push(r));
    untilClose.push(Buffer.from("HTTP/1.0 200 OK\r\n\r\npart one, "));
    untilClose.push(Buffer.from("part two"));
    untilClose.end();
    expect(seen.map((r) => [r.status, r.body.toString(), r.closes])).toEqual([[200, "part one, part two", true]]);
    const cut = new HttpResponseReader(() => undefined);
    cut.push(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    expect(() => cut.end()).toThrow(/middle of a response/);
  });

  it("refuses what is not HTTP/1.x framing", () => {
    const reader = () => new HttpResponseReader(() => undefined);
    expect(() => reader().push(Buffer.from("SSH-2.0-OpenSSH\r\n\r\n"))).toThrow(/bad status line/);
    expect(() => reader().push(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n"))).toThrow(/bad content-length/);
    expect(() => reader().push(Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))).toThrow(/bad chunk size/);
  });
});

describe("postLoad", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler!);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/invocations`;
  }

  it("sends the body to the path and counts every response, whatever the framing and connection reuse", async () => {
    let served = 0;
    const bodies = new Set<string>();
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        served++;
        bodies.add(`${req.method} ${req.url} ${req.headers["content-type"]} ${body}`);
        // Some answers chunked, some closing the connection: the client must follow both.
        if (served % 7 === 0) res.setHeader("connection", "close");
        if (served % 3 === 0) res.write("chunk");
        res.end("done");
      });
    });
    const result = await postLoad(url, '{"x": "é"}', 300, 8);
    expect(result.requests).toBe(300);
    expect(served).toBe(300);
    expect([...bodies]).toEqual(['POST /invocations application/json {"x": "é"}']);
    expect(result.p50).toBeGreaterThan(0);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
  });

  it("throws a LoadError counting the responses that were not 200", async () => {
    let served = 0;
    const url = await serve((req, res) => {
      req.resume();
      req.on("end", () => {
        served++;
        res.statusCode = served % 4 === 0 ? 503 : 200;
        res.end(res.statusCode === 200 ? "ok" : "busy");
      });
    });
    const failure = await postLoad(url, "{}", 100, 4).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(LoadError);
    expect((failure as LoadError).failed).toBe(25);
    expect([...(failure as LoadError).statuses]).toEqual([[503, 25]]);
    expect((failure as LoadError).message).toContain("503 busy");
  });

  it("fails rather than hangs when the server drops a request", async () => {
    const url = await serve((req) => req.socket.destroy());
    await expect(postLoad(url, "{}", 10, 2)).rejects.toThrow(/closed the connection/);
  });
});
