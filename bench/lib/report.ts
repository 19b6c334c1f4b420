import { availableParallelism } from "node:os";

/**
 * Benchmarks print their figures next to a reference measured in the same run: a table by
 * default, JSON with --json. They never assert on time.
 */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  reference?: { name: string; value: number };
  goal?: string;
}

export interface BenchReport {
  bench: string;
  machine: { node: string; cpus: number; platform: string };
  rows: BenchRow[];
}

export function machineInfo(): BenchReport["machine"] {
  return { node: process.version, cpus: availableParallelism(), platform: `${process.platform}-${process.arch}` };
}

const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4);

export function printReport(report: BenchReport, json = process.argv.includes("--json")): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const lines = [[`${report.bench}`, "larder", "reference", "", "ratio", "goal"]];
  for (const r of report.rows) {
    lines.push([
      r.name,
      `${fmt(r.value)} ${r.unit}`,
      r.reference ? `${fmt(r.reference.value)} ${r.unit}` : "",
      r.reference ? `(${r.reference.name})` : "",
      r.reference && r.reference.value !== 0 ? `${(r.value / r.reference.value).toFixed(2)}x` : "",
      r.goal ?? "",
    ]);
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  for (const l of lines) process.stdout.write(`${l.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()}\n`);
  process.stdout.write("\n");
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
