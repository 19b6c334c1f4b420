// wrk, when installed, as a second opinion on throughput: a C load generator costs the shared
// CPU less than any Node client, so its figure is closer to what the server alone can do.
import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export function wrkInstalled(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (err) {
    // wrk --version prints its banner and exits 1; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/** Requests per second wrk reaches POSTing `body` over `connections` keep-alive connections for `seconds`. */
export async function wrkPost(url: string, body: string, connections: number, seconds: number): Promise<{ requests: number; seconds: number }> {
  const dir = await mkdtemp(join(tmpdir(), "larder-wrk-"));
  try {
    const script = join(dir, "post.lua");
    await writeFile(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`);
    const { stdout } = await promisify(execFile)("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, url]);
    const failed = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
    const socketErrors = /Socket errors: ([^\n]+)/.exec(stdout);
    if (failed || socketErrors) throw new Error(`wrk against ${url}: ${failed?.[0] ?? ""} ${socketErrors?.[0] ?? ""}`.trim());
    const total = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(stdout);
    if (!total) throw new Error(`unreadable wrk output:\n${stdout}`);
    const elapsed = Number(total[2]) * (total[3] === "ms" ? 1e-3 : total[3] === "m" ? 60 : 1);
    return { requests: Number(total[1]), seconds: elapsed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
