export { ACTIVITIES, DEVICES, PROTOCOL, type Activity, type Device } from "./activities.js";
export {
  simulateWearable,
  DEFAULT_START,
  type WearableOptions,
  type WearableTables,
  type ParticipantsTable,
  type EventsTable,
  type LabelsTable,
} from "./simulateWearable.js";
export { generateWearable, type GenerateWearableOptions, type DatasetSummary } from "./generateWearable.js";
export { importAwFb, type ImportAwFbOptions } from "./importAwFb.js";
export type { TableFormat } from "./writeTables.js";
export { importAdult, ADULT_ATTRIBUTES, ADULT_EVENT_TIMESTAMP, type ImportAdultOptions, type AdultSummary } from "./importAdult.js";
