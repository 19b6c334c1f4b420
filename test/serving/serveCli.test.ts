import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasShared, REPO_ROOT, sharedPath } from "../helpers/paths.js";

const bin = join(REPO_ROOT, "bin", "larder.js");
const built = existsSync(join(REPO_ROOT, "dist", "cli", "main.js"));

describe.runIf(built && hasShared("mlflow", "mlruns-sample"))("larder serve (subprocess)", () => {
  it("serves models:/NAME@ALIAS, answers /invocations, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [bin, "serve", "-m", "models:/activity_classifier@champion", "-p", "0", "--json"], {
      env: { ...process.env, MLFLOW_TRACKING_URI: sharedPath("mlflow", "mlruns-sample") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        stdout += d;
        try {
          resolve((JSON.parse(stdout) as { url: string }).url);
        } catch {
          /* not complete yet */
        }
      });
      child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    expect((JSON.parse(stdout) as { variants: { version: number }[] }).variants[0]!.version).toBe(1);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inputs: { accel_x: [0.1], accel_y: [0.2], accel_z: [9.8], heart_rate: [70.0] } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { predictions: number[][] }).predictions[0]).toHaveLength(3);
    const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(stderr).toContain("SIGTERM: finishing in-flight requests");
  });
});
