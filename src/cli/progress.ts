import type { CliStream } from "./io.js";

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
}

export interface ProgressBar {
  update(done: number): void;
  /** For work whose size is known only once it starts. */
  setTotal(total: number): void;
  stop(): void;
}

/**
 * Animated output only on a terminal that reports a width: ora divides by the column count and
 * never stops redrawing when it is 0 (as under `script` or some CI runners).
 */
export function isInteractive(stream: CliStream): boolean {
  return stream.isTTY === true && typeof stream.columns === "number" && stream.columns > 0;
}

const silentSpinner: Spinner = { update() {}, succeed() {}, fail() {} };

export async function createSpinner(stream: CliStream, text: string, options: { quiet: boolean; color: boolean }): Promise<Spinner> {
  if (options.quiet) return silentSpinner;
  if (!isInteractive(stream)) {
    stream.write(`${text}...\n`);
    let current = text;
    return {
      update(t) {
        current = t;
      },
      succeed(t) {
        stream.write(`done: ${t ?? current}\n`);
      },
      fail(t) {
        stream.write(`failed: ${t ?? current}\n`);
      },
    };
  }
  const { default: ora } = await import("ora");
  const spinner = ora({
    text,
    stream: stream as NodeJS.WritableStream,
    isEnabled: true,
    color: options.color ? "cyan" : false,
  }).start();
  return {
    update(t) {
      spinner.text = t;
    },
    succeed(t) {
      spinner.succeed(t);
    },
    fail(t) {
      spinner.fail(t);
    },
  };
}

/** Non-interactive progress prints at most one line per tenth of the work. */
export async function createProgressBar(
  stream: CliStream,
  label: string,
  initialTotal: number,
  options: { quiet: boolean; unit?: string },
): Promise<ProgressBar> {
  if (options.quiet) return { update() {}, setTotal() {}, stop() {} };
  const unit = options.unit ?? "";
  let total = initialTotal;
  if (!isInteractive(stream)) {
    let lastTenth = -1;
    return {
      setTotal(t) {
        total = t;
      },
      update(done) {
        const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          stream.write(`${label}: ${done}/${total}${unit ? ` ${unit}` : ""}\n`);
        }
      },
      stop() {},
    };
  }
  const { default: cliProgress } = await import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total}${unit ? ` ${unit}` : ""} | ETA {eta_formatted}`,
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    setTotal(t) {
      bar.setTotal(t);
    },
    update(done) {
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}
