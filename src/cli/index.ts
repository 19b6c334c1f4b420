export { main } from "./main.js";
export { memoryIO, processIO, type CliIO, type CliStream, type MemoryIO } from "./io.js";
