export type { RegisteredModel, ModelVersion, ModelVersionStage, StageTransition } from "./entities.js";
export type { ModelRegistry, RegisterModelOptions, TransitionOptions, RollbackResult } from "./ModelRegistry.js";
export { FileModelRegistry, STAGE_HISTORY_TAG } from "./FileModelRegistry.js";
export { getModelRegistry } from "./getModelRegistry.js";
export { parseModelUri, resolveModelUri, type ParsedModelUri, type ResolveModelUriOptions } from "./modelUri.js";
export { evaluatePromotionGate, type GateResult, type GateCheck } from "./promotionGate.js";
export { STAGES, parseStage } from "./stages.js";
