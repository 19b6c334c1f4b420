import type { Histogram } from "./featureStats.js";
import type { DriftReport, FeatureDrift } from "./monitorDrift.js";

const REFERENCE_COLOR = "#4c78a8";
const CURRENT_COLOR = "#f58518";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const fixed = (value: number | undefined, digits = 4): string => (value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits));
const pValue = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? "–" : value === 0 ? "0" : value < 1e-4 ? value.toExponential(2) : value.toFixed(4));

/** Side-by-side bars of the reference and current share per bin, as an inline SVG. */
export function histogramSvg(histogram: Histogram, title: string): string {
  const width = 640;
  const height = 220;
  const left = 44;
  const bottom = 46;
  const top = 12;
  const plotWidth = width - left - 10;
  const plotHeight = height - top - bottom;
  const bins = histogram.labels.length;
  const peak = Math.max(1e-9, ...histogram.reference, ...histogram.current);
  const slot = bins === 0 ? plotWidth : plotWidth / bins;
  const bar = Math.max(1, slot * 0.4);
  const y = (share: number) => top + plotHeight - (share / peak) * plotHeight;
  const parts: string[] = [];
  for (let b = 0; b < bins; b++) {
    const x = left + b * slot + slot * 0.1;
    const r = histogram.reference[b]!;
    const c = histogram.current[b]!;
    const label = escapeHtml(histogram.labels[b]!);
    parts.push(`<rect x="${x.toFixed(1)}" y="${y(r).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plotHeight - y(r)).toFixed(1)}" fill="${REFERENCE_COLOR}"><title>${label}: reference ${(100 * r).toFixed(1)}%</title></rect>`);
    parts.push(`<rect x="${(x + bar).toFixed(1)}" y="${y(c).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plotHeight - y(c)).toFixed(1)}" fill="${CURRENT_COLOR}"><title>${label}: current ${(100 * c).toFixed(1)}%</title></rect>`);
    // Every label on few bins; on many, every fourth, so they do not overlap.
    if (bins <= 10 || b % 4 === 0) {
      const tx = left + b * slot + slot / 2;
      parts.push(`<text x="${tx.toFixed(1)}" y="${height - bottom + 14}" font-size="10" text-anchor="end" transform="rotate(-30 ${tx.toFixed(1)} ${height - bottom + 14})">${label.length > 14 ? `${label.slice(0, 13)}…` : label}</text>`);
    }
  }
  const axis = `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="#888"/>`;
  const yLabels = [0, peak / 2, peak].map((s) => `<text x="${left - 4}" y="${(y(s) + 3).toFixed(1)}" font-size="10" text-anchor="end">${(100 * s).toFixed(0)}%</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">${axis}${yLabels.join("")}${parts.join("")}</svg>`;
}

function featureSection(row: FeatureDrift): string {
  const stats =
    row.kind === "numeric"
      ? `KS ${fixed(row.ks?.statistic)} (p ${pValue(row.ks?.pValue)})`
      : `χ² ${fixed(row.chiSquare?.statistic, 2)}, df ${row.chiSquare?.df ?? "–"} (p ${pValue(row.chiSquare?.pValue)})`;
  const status = row.drifted ? `<span class="drift">DRIFT: ${escapeHtml(row.reasons.join("; "))}</span>` : `<span class="ok">no drift</span>`;
  return `<section>
<h2>${escapeHtml(row.feature)} <small>${row.kind}</small></h2>
<p>${status} · PSI ${fixed(row.psi)} · ${stats} · nulls ${(100 * row.referenceNullShare).toFixed(1)}% → ${(100 * row.currentNullShare).toFixed(1)}% · rows ${row.referenceRows} → ${row.currentRows}</p>
${histogramSvg(row.histogram, `${row.feature}: reference vs current`)}
</section>`;
}

/** The drift report as one self-contained HTML page (inline CSS and SVG, no scripts, no fetches). */
export function driftReportHtml(report: DriftReport, generatedAt = new Date()): string {
  const summaryRows = report.features
    .map(
      (r) =>
        `<tr class="${r.drifted ? "drift-row" : ""}"><td>${escapeHtml(r.feature)}</td><td>${r.kind}</td><td>${fixed(r.psi)}</td><td>${r.kind === "numeric" ? `${fixed(r.ks?.statistic)} / ${pValue(r.ks?.pValue)}` : `${fixed(r.chiSquare?.statistic, 2)} / ${pValue(r.chiSquare?.pValue)}`}</td><td>${(100 * r.referenceNullShare).toFixed(1)}% → ${(100 * r.currentNullShare).toFixed(1)}%</td><td>${r.drifted ? "DRIFT" : "ok"}</td></tr>`,
    )
    .join("\n");
  const thresholds = Object.entries(report.thresholds).map(([k, v]) => `${k}=${v}`).join(", ");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Larder drift report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
.drift{color:#b00020;font-weight:bold}.ok{color:#2e7d32}.drift-row{background:#fdecea}
.legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}
small{color:#666;font-weight:normal}
</style></head><body>
<h1>Drift report</h1>
<p>Reference: <code>${escapeHtml(report.reference)}</code><br>Current: <code>${escapeHtml(report.current)}</code><br>
Thresholds: ${escapeHtml(thresholds || "none")} · generated ${generatedAt.toISOString()}</p>
<p class="${report.drifted ? "drift" : "ok"}">${report.drifted ? `Drift in ${escapeHtml(report.driftedFeatures.join(", "))}` : "No drift past the thresholds"}</p>
${report.notes.map((n) => `<p><em>${escapeHtml(n)}</em></p>`).join("\n")}
<table><thead><tr><th>feature</th><th>kind</th><th>PSI</th><th>KS or χ² / p</th><th>nulls</th><th>status</th></tr></thead><tbody>
${summaryRows}
</tbody></table>
<p class="legend"><span style="background:${REFERENCE_COLOR}"></span>reference<span style="background:${CURRENT_COLOR}"></span>current (share of non-null rows per bin)</p>
${report.features.map(featureSection).join("\n")}
</body></html>
`;
}
