import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.js";

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  /** The JSON document the server printed on stdout (`--json`). */
  announcement: Record<string, unknown>;
  stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the compiled `larder ARGS… --json` server and waits for the URL it prints. */
export async function spawnLarderServer(args: string[], env: Record<string, string> = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "larder.js"), ...args, "--json"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const announcement = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      stdout += d;
      try {
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        /* not complete yet */
      }
    });
    void exit.then((code) => reject(new Error(`larder ${args.join(" ")} exited ${code}: ${stderr}`)));
  });
  return {
    child,
    url: announcement.url as string,
    announcement,
    stderr: () => stderr,
    stop: () => {
      child.kill("SIGTERM");
      return exit;
    },
  };
}
