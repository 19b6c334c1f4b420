import { svgDocument, text } from "./svg.js";

/** A horizontal bar chart, largest first (feature importance). */
export function barChartSvg(names: readonly string[], values: readonly number[], title: string, valueLabel: string): string {
  const order = names.map((_, i) => i).sort((a, b) => values[b]! - values[a]! || names[a]!.localeCompare(names[b]!));
  const shown = order.slice(0, 30);
  const labelWidth = Math.min(280, 16 + 8 * Math.max(...shown.map((i) => names[i]!.length), 4));
  const barArea = 460;
  const row = 26;
  const top = 60;
  const width = labelWidth + barArea + 110;
  const height = top + shown.length * row + 50;
  const max = Math.max(...shown.map((i) => values[i]!), 1e-12);
  const parts = [text(width / 2, 32, title, { "font-size": 20, "text-anchor": "middle", "font-weight": "bold" })];
  shown.forEach((i, r) => {
    const y = top + r * row;
    const w = Math.max(0, (values[i]! / max) * barArea);
    parts.push(text(labelWidth, y + 17, names[i]!, { "font-size": 13, "text-anchor": "end" }));
    parts.push(`<rect x="${labelWidth + 8}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" fill="#3a78b5"/>`);
    const v = values[i]!;
    parts.push(text(labelWidth + 14 + w, y + 17, Number.isInteger(v) ? String(v) : v.toPrecision(4), { "font-size": 12 }));
  });
  parts.push(text(labelWidth + 8 + barArea / 2, height - 14, valueLabel, { "font-size": 14, "text-anchor": "middle" }));
  return svgDocument(width, height, parts.join(""));
}
