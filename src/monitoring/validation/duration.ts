const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `30m`, `24h`, `7d`, `2w`, or a bare number of seconds; null when unreadable. */
export function parseDuration(text: string | number): number | null {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text * 1000 : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!;
}

/** A duration in the largest unit that keeps it readable: `3.5d`, `12h`, `40s`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  for (const [unit, size] of [["d", UNIT_MS.d!], ["h", UNIT_MS.h!], ["m", UNIT_MS.m!]] as const) {
    if (abs >= size) return `${sign}${Number((abs / size).toFixed(1))}${unit}`;
  }
  return `${sign}${Number((abs / 1000).toFixed(1))}s`;
}
