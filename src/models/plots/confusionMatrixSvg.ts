import { blue, svgDocument, text } from "./svg.js";

/** A confusion-matrix heatmap: rows are true classes, columns predicted, counts in the cells. */
export function confusionMatrixSvg(labels: readonly string[], confusion: readonly (readonly number[])[], title = "Confusion matrix"): string {
  const k = labels.length;
  const cell = Math.max(48, Math.min(90, Math.floor(540 / Math.max(1, k))));
  const labelWidth = Math.min(220, 16 + 8 * Math.max(...labels.map((l) => l.length), 4));
  const left = labelWidth + 40;
  const top = 70;
  const bottom = labelWidth + 40;
  const width = left + k * cell + 30;
  const height = top + k * cell + bottom;
  const max = Math.max(1, ...confusion.flat());
  const parts: string[] = [text(width / 2, 32, title, { "font-size": 20, "text-anchor": "middle", "font-weight": "bold" })];
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const v = confusion[r]![c]!;
      const share = v / max;
      const x = left + c * cell;
      const y = top + r * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${blue(share)}" stroke="#ccc"/>`);
      parts.push(text(x + cell / 2, y + cell / 2 + 5, String(v), { "font-size": 14, "text-anchor": "middle", fill: share > 0.5 ? "white" : "#111" }));
    }
    parts.push(text(left - 8, top + r * cell + cell / 2 + 5, labels[r]!, { "font-size": 13, "text-anchor": "end" }));
  }
  for (let c = 0; c < k; c++) {
    const x = left + c * cell + cell / 2;
    const y = top + k * cell + 10;
    parts.push(text(x, y, labels[c]!, { "font-size": 13, "text-anchor": "end", transform: `rotate(-45 ${x} ${y})` }));
  }
  parts.push(text(left + (k * cell) / 2, height - 12, "Predicted", { "font-size": 15, "text-anchor": "middle" }));
  parts.push(text(18, top + (k * cell) / 2, "Actual", { "font-size": 15, "text-anchor": "middle", transform: `rotate(-90 18 ${top + (k * cell) / 2})` }));
  return svgDocument(width, height, parts.join(""));
}
