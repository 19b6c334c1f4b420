import { LarderError } from "../errors.js";

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An instant as microseconds since the Unix epoch: the resolution of DuckDB timestamps. */
export type EpochMicros = number;

/**
 * Microseconds since the epoch of a `Date`, an epoch-microsecond number, or an ISO-8601 string
 * (`2026-03-01`, `2026-03-01T12:00:00.000001+05:30`); a string without an offset means UTC, as in Feast.
 */
export function toEpochMicros(value: Date | string | number, what = "timestamp"): EpochMicros {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new LarderError("INVALID_PARAMETER_VALUE", `${what} is an invalid date`);
    return value.getTime() * 1000;
  }
  if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === "string") {
    const m = ISO.exec(value.trim());
    if (m) {
      const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = m;
      const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
      // Date.UTC rolls impossible fields over (month 13 becomes next January); refuse them instead.
      const check = new Date(ms);
      const fieldsHold =
        check.getUTCFullYear() === Number(y) && check.getUTCMonth() === Number(mo) - 1 && check.getUTCDate() === Number(d) &&
        check.getUTCHours() === Number(h) && check.getUTCMinutes() === Number(mi) && check.getUTCSeconds() === Number(s);
      if (!fieldsHold) {
        throw new LarderError("INVALID_PARAMETER_VALUE", `${what} ${JSON.stringify(value)} is not a real date and time`, {
          hint: "Check the month (1-12), the day of the month, and hours, minutes and seconds.",
        });
      }
      let micros = ms * 1000 + Number(fraction.padEnd(6, "0").slice(0, 6));
      if (zone !== undefined && zone.toUpperCase() !== "Z") {
        const sign = zone.startsWith("-") ? -1 : 1;
        const digits = zone.slice(1).replace(":", "");
        const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
        micros -= sign * offsetMinutes * 60_000_000;
      }
      if (Number.isFinite(micros)) return micros;
    }
  }
  throw new LarderError(
    "INVALID_PARAMETER_VALUE",
    `${what} ${JSON.stringify(value)} is not a timestamp; use ISO 8601 such as 2026-03-01T12:00:00Z`,
  );
}

const MICROS_PER_DAY = 86_400_000_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));
// Online responses format one timestamp per value, and the values of a response mostly share a day.
let cachedDay = Number.NaN;
let cachedDayPrefix = "";

/** RFC 3339 in UTC with Feast's adaptive fraction: none, 3 or 6 digits. */
export function formatEpochMicros(micros: EpochMicros): string {
  // Safe integers (years 1684 to 2255) keep the arithmetic below exact.
  if (!Number.isSafeInteger(micros)) return formatWithDate(micros);
  const day = Math.floor(micros / MICROS_PER_DAY);
  if (day !== cachedDay) {
    const iso = new Date(day * 86_400_000).toISOString();
    cachedDayPrefix = iso.slice(0, iso.indexOf("T") + 1);
    cachedDay = day;
  }
  const inDay = micros - day * MICROS_PER_DAY;
  const seconds = Math.floor(inDay / 1_000_000);
  const fraction = inDay - seconds * 1_000_000;
  const time = `${cachedDayPrefix}${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
  if (fraction === 0) return `${time}Z`;
  if (fraction % 1000 === 0) return `${time}.${String(fraction / 1000).padStart(3, "0")}Z`;
  return `${time}.${String(fraction).padStart(6, "0")}Z`;
}

/** The general form, for instants far from now (and `Date`'s RangeError beyond what it holds). */
function formatWithDate(micros: EpochMicros): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  const base = new Date(ms).toISOString(); // 2026-03-01T12:00:00.123Z
  const seconds = base.slice(0, 19);
  const millis = base.slice(20, 23);
  if (rest !== 0) return `${seconds}.${millis}${String(rest).padStart(3, "0")}Z`;
  if (millis !== "000") return `${seconds}.${millis}Z`;
  return `${seconds}Z`;
}

/** Feast's materialization log form: `2021-07-16 19:20:01+00:00` (seconds, UTC). */
export function formatLogTimestamp(micros: EpochMicros): string {
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19).replace("T", " ")}+00:00`;
}
