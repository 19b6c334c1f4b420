import { fileURLToPath } from "node:url";

/** The font shipped in the package: without one resvg draws no text at all, silently. */
export const BUNDLED_FONT = fileURLToPath(new URL("../../../assets/fonts/DejaVuSans.ttf", import.meta.url));

/** Renders SVG to PNG at `scale` times its size, with the bundled font only (same pixels everywhere). */
export async function renderPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { fontFiles: [BUNDLED_FONT], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
    background: "white",
  });
  return resvg.render().asPng();
}
