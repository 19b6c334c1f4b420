export { confusionMatrixSvg } from "./confusionMatrixSvg.js";
export { barChartSvg } from "./barChartSvg.js";
export { renderPng, BUNDLED_FONT } from "./renderPng.js";
