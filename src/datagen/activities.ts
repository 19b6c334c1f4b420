/** The six activity classes of the Apple Watch / Fitbit study, in order of intensity. */
export const ACTIVITIES = [
  "Lying",
  "Sitting",
  "Self Pace walk",
  "Running 3 METs",
  "Running 5 METs",
  "Running 7 METs",
] as const;

export type Activity = (typeof ACTIVITIES)[number];

/** The study's protocol order (as activity indexes), which the synthetic schedule repeats. */
export const PROTOCOL: readonly number[] = [0, 1, 2, 0, 3, 0, 4, 1, 5];

export const DEVICES = ["apple watch", "fitbit"] as const;
export type Device = (typeof DEVICES)[number];
