/** Formats epoch microseconds as `YYYY-MM-DD HH:MM:SS.ffffff` at `offsetMinutes` (with the offset unless naive). */
export function formatMicros(micros: bigint, offsetMinutes: number, naive = false): string {
  const local = micros + BigInt(offsetMinutes) * 60_000_000n;
  const ms = local / 1000n;
  const rest = local % 1000n;
  const iso = new Date(Number(ms)).toISOString();
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(rest).padStart(3, "0")}`;
  if (naive) return text;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${text}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
