import { describe, expect, it } from "vitest";
import { createProgressBar, createSpinner, isInteractive } from "../../src/cli/progress.js";

function recorder(isTTY: boolean, columns: number) {
  const lines: string[] = [];
  return { stream: { write: (t: string) => lines.push(t), isTTY, columns }, lines };
}

describe("progress output", () => {
  it("animates only on a TTY that reports a non-zero width", () => {
    expect(isInteractive({ write() {}, isTTY: true, columns: 80 })).toBe(true);
    expect(isInteractive({ write() {}, isTTY: true, columns: 0 })).toBe(false);
    expect(isInteractive({ write() {}, isTTY: true })).toBe(false);
    expect(isInteractive({ write() {}, isTTY: false, columns: 80 })).toBe(false);
  });

  it("falls back to plain log lines on a zero-width TTY (where ora would loop forever)", async () => {
    const { stream, lines } = recorder(true, 0);
    const spinner = await createSpinner(stream, "Working", { quiet: false, color: false });
    spinner.succeed("Worked");
    expect(lines).toEqual(["Working...\n", "done: Worked\n"]);
  });

  it("prints at most one progress line per tenth of the work when not interactive", async () => {
    const { stream, lines } = recorder(false, 0);
    const bar = await createProgressBar(stream, "trees", 1000, { quiet: false });
    for (let i = 0; i <= 1000; i++) bar.update(i);
    bar.stop();
    expect(lines.length).toBe(11);
    expect(lines[0]).toBe("trees: 0/1000\n");
    expect(lines[10]).toBe("trees: 1000/1000\n");
  });

  it("prints nothing when quiet", async () => {
    const { stream, lines } = recorder(false, 0);
    const spinner = await createSpinner(stream, "Working", { quiet: true, color: false });
    spinner.succeed();
    const bar = await createProgressBar(stream, "x", 10, { quiet: true });
    bar.update(5);
    expect(lines).toEqual([]);
  });
});
