export { initProject, type InitProjectOptions, type InitProjectResult } from "./initProject.js";
