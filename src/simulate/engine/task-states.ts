/* eslint-disable @typescript-eslint/no-explicit-any -- task emissions are user-shaped objects */
import { addDays, formatDay, momentValue } from './moment-compat.js';

/** cht-core's task states (cht-core 4.11.0 shared-libs/rules-engine/src/task-states.js, `calculateState`). */
export type TaskState = 'Draft' | 'Ready' | 'Cancelled' | 'Completed' | 'Failed';

export const TIMELY_WINDOW = { start: 60, end: 180 } as const;

/**
 * The display window of an emission: dueDate/startDate/endDate as `YYYY-MM-DD` in local time, or NaN for all
 * three when the due date is not a valid date (cht-core stores NaN, which JSON turns into null).
 */
export interface DisplayWindow {
  dueDate: unknown;
  startDate: unknown;
  endDate: unknown;
}

export function displayWindow(emission: any, now: number): DisplayWindow {
  if (emission.startDate || emission.endDate) {
    return { dueDate: emission.dueDate, startDate: emission.startDate, endDate: emission.endDate };
  }
  const due = momentValue(emission.date, now);
  if (Number.isNaN(due)) return { dueDate: NaN, startDate: NaN, endDate: NaN };
  return {
    dueDate: formatDay(due),
    startDate: formatDay(addDays(due, -durationOr0(emission.readyStart))),
    endDate: formatDay(addDays(due, durationOr0(emission.readyEnd))),
  };
}

/** `x || 0`, then negated for subtract: moment receives the raw value; addDays applies moment's rounding. */
function durationOr0(value: unknown): any {
  return value || 0;
}

/**
 * Everything about an emission's timing that does not depend on "now", computed once so that a timeline only
 * compares strings and numbers per day. `dependsOnNow` is true in the rare shapes where the window itself
 * reads the clock (a falsy `date` with an own `dueDate`, which moment reads as "now").
 */
export interface TimingFacts {
  window: DisplayWindow;
  /** moment(startDate).valueOf() / moment(endDate).valueOf(): local midnights, NaN when invalid. */
  startMs: number;
  endMs: number;
  dependsOnNow: boolean;
}

export function timingFacts(emission: any, now: number): TimingFacts {
  const cache = windows;
  if (!cache || emission.startDate || emission.endDate) return computeFacts(emission, now);
  const { date, readyStart, readyEnd } = emission;
  if (!(date instanceof Date || typeof date === 'number') || !isOffset(readyStart) || !isOffset(readyEnd)) {
    return computeFacts(emission, now);
  }
  // The window is a function of the due instant and the two offsets alone (and of the zone, fixed meanwhile).
  const due = momentValue(date, now);
  let same = cache.get(due);
  if (!same) {
    if (cache.size >= WINDOWS_LIMIT) cache.clear();
    cache.set(due, (same = []));
  }
  for (const entry of same) {
    if (Object.is(entry.readyStart, readyStart) && Object.is(entry.readyEnd, readyEnd)) return entry.facts;
  }
  const facts = computeFacts(emission, now);
  same.push({ readyStart, readyEnd, facts });
  return facts;
}

/**
 * While a simulated clock runs (one time zone), facts are shared between the emissions whose window comes from
 * the same due instant and offsets: a timeline evaluates a contact again each time one of its decisions
 * changes, and a population's tasks fall due on the same days, so most windows were worked out before (formatting
 * and parsing them again took a tenth of a 10,000-patient year). Facts are never modified once made. Keyed by
 * numbers: a string key, or reading process.env.TZ, would cost as much as the work it saves.
 */
let windows: Map<number, { readyStart: unknown; readyEnd: unknown; facts: TimingFacts }[]> | undefined;

/** Due instants remembered at most (about 40 MB): a run with more starts over, losing only time. */
const WINDOWS_LIMIT = 250_000;

/** Called by the simulated clock (clock.ts) as it sets and restores the time zone: shared facts hold within one zone. */
export function shareWindows(on: boolean): void {
  windows = on ? new Map() : undefined;
}

/** An offset the cache can compare: a number or none. */
function isOffset(value: unknown): boolean {
  return value === undefined || typeof value === 'number';
}

function computeFacts(emission: any, now: number): TimingFacts {
  const window = displayWindow(emission, now);
  const dependsOnNow = !(emission.startDate || emission.endDate) && emission.date === undefined;
  return { window, startMs: momentValue(window.startDate, now), endMs: momentValue(window.endDate, now), dependsOnNow };
}

/**
 * The 60/180-day rule, on the display window: `now − 60 days` strictly before the end date (local midnight) and
 * `now + 180 days` strictly after the start date. Invalid windows are never timely.
 */
export function isTimely(facts: TimingFacts, now: number): boolean {
  if (Number.isNaN(facts.startMs) || Number.isNaN(facts.endMs)) return false;
  return addDays(now, -TIMELY_WINDOW.start) < facts.endMs && addDays(now, TIMELY_WINDOW.end) > facts.startMs;
}

/** The bounds isTimely compares against, for many emissions on one day. */
export interface TimelyBounds {
  earliest: number;
  latest: number;
}

export function timelyBounds(now: number): TimelyBounds {
  return { earliest: addDays(now, -TIMELY_WINDOW.start), latest: addDays(now, TIMELY_WINDOW.end) };
}

export function isTimelyWithin(facts: TimingFacts, bounds: TimelyBounds): boolean {
  if (Number.isNaN(facts.startMs) || Number.isNaN(facts.endMs)) return false;
  return bounds.earliest < facts.endMs && bounds.latest > facts.startMs;
}

/**
 * cht-core's calculateState: Completed (resolved) wins over Cancelled (deleted); then an invalid or inverted
 * window gives `false` (stored as Cancelled, reason "invalid"); then Draft / Failed / Ready by plain string
 * comparison of `YYYY-MM-DD` values against today (local time). The window is inclusive on both ends.
 */
export function calculateState(emission: any, facts: TimingFacts, today: string): TaskState | false {
  if (!emission) return false;
  if (emission.resolved) return 'Completed';
  if (emission.deleted) return 'Cancelled';
  if (!emission.date && !emission.dueDate) return false;
  const { startDate, endDate } = facts.window as { startDate: any; endDate: any };
  if (!startDate || !endDate || startDate > endDate || endDate < startDate) return false;
  if (startDate > today) return 'Draft';
  if (endDate < today) return 'Failed';
  return 'Ready';
}

export function todayOf(now: number): string {
  return formatDay(now);
}

const MOST_READY: readonly (TaskState | false)[] = ['Ready', 'Draft', 'Completed', 'Failed', 'Cancelled'];

function orderOf(state: TaskState | false): number {
  const i = MOST_READY.indexOf(state);
  return i >= 0 ? i : MOST_READY.length;
}

/** Readiness order Ready > Draft > Completed > Failed > Cancelled; an invalid state counts as Cancelled. */
export function isMoreReadyThan(a: TaskState | false, b: TaskState | false): boolean {
  return orderOf(a || 'Cancelled') < orderOf(b || 'Cancelled');
}

export function isTerminal(state: TaskState | false): boolean {
  return state === 'Cancelled' || state === 'Completed' || state === 'Failed';
}
