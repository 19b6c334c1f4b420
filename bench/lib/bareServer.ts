// Reference server for bench/serving.ts: bare node:http that parses the JSON body and answers a
// fixed prediction, i.e. the cost of HTTP and JSON alone. `--workers N` serves it from a Node
// cluster of N processes, the ceiling for `larder serve --workers N` on the same machine.
import cluster from "node:cluster";
import { createServer } from "node:http";

const workersArg = process.argv.indexOf("--workers");
const workers = workersArg >= 0 ? Number(process.argv[workersArg + 1]) : 1;
if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers needs a positive integer, got ${process.argv[workersArg + 1]}`);

const announce = (url: string) => process.stdout.write(`${JSON.stringify({ url })}\n`);

if (workers > 1 && cluster.isPrimary) {
  const children = Array.from({ length: workers }, () => cluster.fork());
  // Only workers already listening are handed connections, so the URL goes out once all listen.
  const listening = new Set<number>();
  for (const child of children) {
    child.on("message", (m: { url?: string }) => {
      if (typeof m?.url !== "string") return;
      listening.add(child.id);
      if (listening.size === workers) announce(m.url);
    });
  }
  process.on("SIGTERM", () => {
    for (const child of children) child.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const body = '{"predictions": [[0.7880743514080307, 0.09822248771165579, 0.11370316088031357]]}';
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  // Port 0 in cluster workers is one port shared by all of them, picked by the primary.
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    if (cluster.isWorker) process.send?.({ url });
    else announce(url);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
