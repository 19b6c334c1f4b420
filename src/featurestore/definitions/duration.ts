import { LarderError } from "../../errors.js";

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

/**
 * Seconds in a duration given as a number of seconds or a string such as `"1h"`, `"15m"`,
 * `"1h30m"`, `"90s"`, `"2d"`. Throws with `what` (e.g. `Feature view hr: ttl`) naming the field.
 */
export function durationSeconds(value: number | string, what: string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `${what} must be a non-negative number of seconds, got ${value}`);
    }
    return value;
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
    let seconds = 0;
    PART.lastIndex = 0;
    let consumed = 0;
    let match: RegExpExecArray | null;
    while ((match = PART.exec(text)) !== null) {
      seconds += Number(match[1]) * UNIT_SECONDS[match[2]!]!;
      consumed = PART.lastIndex;
    }
    if (text.length > 0 && consumed === text.length) return seconds;
  }
  throw new LarderError(
    "INVALID_PARAMETER_VALUE",
    `${what} must be seconds or a duration such as "1h", "15m", "1h30m", got ${JSON.stringify(value)}`,
  );
}

/** Microseconds, the resolution of DuckDB timestamps, in which all time arithmetic is done. */
export function durationMicros(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1_000_000));
}
