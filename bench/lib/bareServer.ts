// Reference server for bench/serving.ts: bare node:http that parses the JSON body and answers a
// fixed prediction, i.e. the cost of HTTP and JSON alone.
import { createServer } from "node:http";

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
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
