// The public API: `import { … } from "larder"`. Each domain's index.ts is its public face.
export { LarderError, UsageError, isLarderError, type ErrorCode } from "./errors.js";
export * from "./datagen/index.js";
export * from "./project/index.js";
export * from "./featurestore/index.js";
export * from "./gbdt/index.js";
export * from "./tracking/index.js";
export * from "./registry/index.js";
export * from "./models/index.js";
export * from "./serving/index.js";
export { main, memoryIO, type CliIO } from "./cli/index.js";
