import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasShared, REPO_ROOT, sharedPath } from "../helpers/paths.js";
import { spawnLarderServer } from "../helpers/spawnServer.js";

const built = existsSync(join(REPO_ROOT, "dist", "cli", "main.js"));

describe.runIf(built && hasShared("mlflow", "mlruns-sample"))("larder serve (subprocess)", () => {
  it("serves models:/NAME@ALIAS, answers /invocations, and exits 0 on SIGTERM", async () => {
    const server = await spawnLarderServer(["serve", "-m", "models:/activity_classifier@champion", "-p", "0"], {
      MLFLOW_TRACKING_URI: sharedPath("mlflow", "mlruns-sample"),
    });
    const url = server.url;
    expect((server.announcement as { variants: { version: number }[] }).variants[0]!.version).toBe(1);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inputs: { accel_x: [0.1], accel_y: [0.2], accel_z: [9.8], heart_rate: [70.0] } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { predictions: number[][] }).predictions[0]).toHaveLength(3);
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).toContain("SIGTERM: finishing in-flight requests");
  });

  it("serves from --workers 2 and stops the primary and both workers on SIGTERM", async () => {
    const server = await spawnLarderServer(["serve", "-m", "models:/activity_classifier@champion", "-p", "0", "--workers", "2"], {
      MLFLOW_TRACKING_URI: sharedPath("mlflow", "mlruns-sample"),
    });
    const body = JSON.stringify({ inputs: { accel_x: [0.1], accel_y: [0.2], accel_z: [9.8], heart_rate: [70.0] } });
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/invocations`, { method: "POST", headers: { "content-type": "application/json", connection: "close" }, body });
      expect(res.status).toBe(200);
      await res.text();
    }
    const workers = execFileSync("ps", ["-o", "pid=", "--ppid", String(server.child.pid)], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
    expect(workers).toHaveLength(2);
    expect(await server.stop()).toBe(0);
    const running = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(workers.filter(running)).toEqual([]);
  });

  it("exits non-zero, not hangs, when --workers 2 cannot load the model", () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "bin", "larder.js"), "serve", "-m", join(REPO_ROOT, "no-such-model"), "-p", "0", "--workers", "2", "-q"], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("does not exist");
  });
});
