import { Agent, request } from "node:http";

export interface LoadResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** Sends `total` POSTs with `concurrency` in flight over keep-alive sockets; latencies in ms. */
export async function postLoad(url: string, body: string, total: number, concurrency: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latencies: number[] = [];
  let sent = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname + target.search, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
            latencies.push(performance.now() - t);
            resolve();
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const started = performance.now();
  const worker = async () => {
    while (sent < total) {
      sent++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds, p50: latencies[Math.floor(latencies.length * 0.5)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}
