import { LarderError } from "../errors.js";
import { SeededRandom } from "../core/random.js";
import { PROTOCOL } from "./activities.js";

export interface WearableOptions {
  participants: number;
  days: number;
  seed: number;
  /** First minute of the recording (UTC). */
  start?: Date | string;
}

export const DEFAULT_START = "2025-01-06T00:00:00Z";

/** Timestamps are epoch seconds (UTC) throughout; the writer turns them into TIMESTAMPTZ. */
export interface ParticipantsTable {
  length: number;
  participantId: Int32Array;
  age: Int32Array;
  /** 0 = female, 1 = male, as the real study's encoding is read. */
  gender: Int32Array;
  height: Float64Array;
  weight: Float64Array;
  restingHeart: Float64Array;
  /** Index into DEVICES. */
  device: Uint8Array;
  signupTimestamp: Float64Array;
}

export interface EventsTable {
  length: number;
  participantId: Int32Array;
  eventTimestamp: Float64Array;
  created: Float64Array;
  heartRate: Float64Array;
  steps: Float64Array;
  calories: Float64Array;
  distance: Float64Array;
  accelX: Float64Array;
  accelY: Float64Array;
  accelZ: Float64Array;
}

export interface LabelsTable {
  length: number;
  participantId: Int32Array;
  eventTimestamp: Float64Array;
  /** Index into ACTIVITIES. */
  activity: Uint8Array;
}

export interface WearableTables {
  participants: ParticipantsTable;
  events: EventsTable;
  labels: LabelsTable;
  /** How many rows of each quirk went in, so tests and summaries need not re-derive them. */
  quirks: { duplicates: number; corrections: number; gapMinutes: number };
}

// Per activity (see ACTIVITIES): share of heart-rate reserve, steps per minute, METs, and
// acceleration amplitude in g. Values follow the study protocol's intended intensities.
const HR_RESERVE = [0.0, 0.07, 0.3, 0.45, 0.62, 0.8];
const STEPS = [0.3, 1.5, 95, 125, 148, 168];
const METS = [1.0, 1.3, 3.3, 3.0, 5.0, 7.0];
const ACCEL_AMPLITUDE = [0.02, 0.05, 0.35, 0.6, 0.9, 1.25];

const DUPLICATE_RATE = 0.002;
const CORRECTION_RATE = 0.005;
const GAP_START_RATE = 0.004;
const LATE_UPLOAD_RATE = 0.01;

export function parseStart(start: Date | string | undefined): number {
  const date = start instanceof Date ? start : new Date(start ?? DEFAULT_START);
  const ms = date.getTime();
  if (Number.isNaN(ms)) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid start time '${String(start)}'`, {
      hint: "Use an ISO 8601 time such as 2025-01-06T00:00:00Z.",
    });
  }
  return Math.floor(ms / 60_000) * 60;
}

function checkOptions(opts: WearableOptions): void {
  const positiveInt = (name: string, v: number, max: number): void => {
    if (!Number.isInteger(v) || v < 1 || v > max) {
      throw new LarderError("INVALID_PARAMETER_VALUE", `--${name} must be an integer from 1 to ${max}, got ${v}`);
    }
  };
  positiveInt("participants", opts.participants, 100_000);
  positiveInt("days", opts.days, 3650);
  if (!Number.isInteger(opts.seed)) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `--seed must be an integer, got ${opts.seed}`);
  }
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

function simulateParticipants(n: number, start: number, rng: SeededRandom): ParticipantsTable {
  const t: ParticipantsTable = {
    length: n,
    participantId: new Int32Array(n),
    age: new Int32Array(n),
    gender: new Int32Array(n),
    height: new Float64Array(n),
    weight: new Float64Array(n),
    restingHeart: new Float64Array(n),
    device: new Uint8Array(n),
    signupTimestamp: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const male = rng.chance(0.47) ? 1 : 0;
    const height = round(male ? rng.normal(177, 7) : rng.normal(164, 6.5), 1);
    const bmi = Math.min(38, Math.max(17, rng.normal(24, 3.5)));
    t.participantId[i] = i + 1;
    t.age[i] = rng.int(18, 60);
    t.gender[i] = male;
    t.height[i] = height;
    t.weight[i] = round((bmi * height * height) / 10_000, 1);
    t.restingHeart[i] = round(Math.min(90, Math.max(45, rng.normal(66, 7))), 1);
    t.device[i] = rng.chance(0.55) ? 0 : 1;
    t.signupTimestamp[i] = start - rng.int(86_400, 365 * 86_400);
  }
  return t;
}

function allocEvents(capacity: number): EventsTable {
  return {
    length: 0,
    participantId: new Int32Array(capacity),
    eventTimestamp: new Float64Array(capacity),
    created: new Float64Array(capacity),
    heartRate: new Float64Array(capacity),
    steps: new Float64Array(capacity),
    calories: new Float64Array(capacity),
    distance: new Float64Array(capacity),
    accelX: new Float64Array(capacity),
    accelY: new Float64Array(capacity),
    accelZ: new Float64Array(capacity),
  };
}

function copyEventRow(t: EventsTable, from: number, to: number): void {
  t.participantId[to] = t.participantId[from]!;
  t.eventTimestamp[to] = t.eventTimestamp[from]!;
  t.created[to] = t.created[from]!;
  t.heartRate[to] = t.heartRate[from]!;
  t.steps[to] = t.steps[from]!;
  t.calories[to] = t.calories[from]!;
  t.distance[to] = t.distance[from]!;
  t.accelX[to] = t.accelX[from]!;
  t.accelY[to] = t.accelY[from]!;
  t.accelZ[to] = t.accelZ[from]!;
}

/**
 * Simulates minute-level wearable recordings: each participant repeats the study protocol in
 * blocks of several minutes; heart rate moves toward an activity-dependent target with inertia
 * (so rolling windows carry signal); devices differ in noise and units; and the raw log has the
 * faults a feature store must handle: missing minutes, exact duplicates, and late corrections
 * (a second row for the same minute with a later `created` and the true value).
 */
export function simulateWearable(opts: WearableOptions): WearableTables {
  checkOptions(opts);
  const start = parseStart(opts.start);
  const rng = new SeededRandom(opts.seed);
  const participants = simulateParticipants(opts.participants, start, rng);
  const minutes = opts.days * 1440;
  const capacity = Math.ceil(opts.participants * minutes * (1 + 2 * (DUPLICATE_RATE + CORRECTION_RATE))) + 64;
  const ev = allocEvents(capacity);
  const labels: LabelsTable = {
    length: opts.participants * minutes,
    participantId: new Int32Array(opts.participants * minutes),
    eventTimestamp: new Float64Array(opts.participants * minutes),
    activity: new Uint8Array(opts.participants * minutes),
  };
  const quirks = { duplicates: 0, corrections: 0, gapMinutes: 0 };
  let n = 0;
  let li = 0;

  for (let p = 0; p < participants.length; p++) {
    const pid = participants.participantId[p]!;
    const rest = participants.restingHeart[p]!;
    const hrMax = 208 - 0.7 * participants.age[p]!;
    const weight = participants.weight[p]!;
    const stride = (participants.height[p]! * 0.414) / 100;
    const fitbit = participants.device[p] === 1;
    let hr = rest + rng.normal(0, 2);
    let protocolStep = rng.int(0, PROTOCOL.length - 1);
    let blockLeft = rng.int(1, 12);
    let gapLeft = 0;
    let ux = 0;
    let uy = 0;
    let uz = 1;

    for (let m = 0; m < minutes; m++) {
      if (blockLeft === 0) {
        protocolStep = (protocolStep + 1) % PROTOCOL.length;
        blockLeft = rng.int(4, 15);
        // A new block means a new wrist orientation.
        const a = rng.uniform(0, 2 * Math.PI);
        const c = rng.uniform(-1, 1);
        const s = Math.sqrt(1 - c * c);
        ux = s * Math.cos(a);
        uy = s * Math.sin(a);
        uz = c;
      }
      blockLeft--;
      const act = PROTOCOL[protocolStep]!;
      const ts = start + m * 60;
      labels.participantId[li] = pid;
      labels.eventTimestamp[li] = ts;
      labels.activity[li] = act;
      li++;

      const target = rest + HR_RESERVE[act]! * (hrMax - rest);
      hr += (target - hr) * 0.3 + rng.normal(0, 1.5);

      if (gapLeft === 0 && rng.chance(GAP_START_RATE)) gapLeft = rng.int(1, 10);
      if (gapLeft > 0) {
        gapLeft--;
        quirks.gapMinutes++;
        continue;
      }

      const noise = fitbit ? rng.normal(-0.04 * (hr - rest), 4) : rng.normal(0, 2);
      const measuredHr = round(Math.max(35, hr + noise), 1);
      const stepMean = STEPS[act]!;
      const steps =
        stepMean < 5
          ? Math.max(0, Math.round(rng.normal(stepMean, stepMean + 1)))
          : Math.max(0, Math.round(stepMean * (1 + rng.normal(0, fitbit ? 0.12 : 0.07))));
      const kcal = (METS[act]! * 3.5 * weight) / 200;
      const calories = fitbit ? round(kcal * 10 * (1 + rng.normal(0, 0.1)), 2) : round(kcal * (1 + rng.normal(0, 0.05)), 3);
      const meters = steps * stride;
      const distance = fitbit ? round(meters, 1) : round(meters / 1000, 4);
      const magnitude = 1 + ACCEL_AMPLITUDE[act]! * Math.abs(rng.normal(1, 0.3));
      let lag = 5 + Math.floor(-Math.log(1 - rng.next()) * 20);
      if (rng.chance(LATE_UPLOAD_RATE)) lag += rng.int(3600, 6 * 3600);

      if (n + 3 > capacity) throw new LarderError("INTERNAL_ERROR", "Event buffer overflow in the wearable simulator");
      ev.participantId[n] = pid;
      ev.eventTimestamp[n] = ts;
      ev.created[n] = ts + lag;
      ev.heartRate[n] = measuredHr;
      ev.steps[n] = steps;
      ev.calories[n] = calories;
      ev.distance[n] = distance;
      ev.accelX[n] = round(magnitude * ux + rng.normal(0, 0.02), 3);
      ev.accelY[n] = round(magnitude * uy + rng.normal(0, 0.02), 3);
      ev.accelZ[n] = round(magnitude * uz + rng.normal(0, 0.02), 3);
      n++;

      if (rng.chance(CORRECTION_RATE)) {
        // The first upload carried a sensor glitch; the correction arrives hours later.
        copyEventRow(ev, n - 1, n);
        ev.heartRate[n - 1] = round(measuredHr * (rng.chance(0.5) ? 1.7 : 0.45), 1);
        ev.created[n] = ev.created[n - 1]! + rng.int(3600, 24 * 3600);
        n++;
        quirks.corrections++;
      } else if (rng.chance(DUPLICATE_RATE)) {
        copyEventRow(ev, n - 1, n);
        n++;
        quirks.duplicates++;
      }
    }
  }
  ev.length = n;
  return { participants, events: ev, labels, quirks };
}
