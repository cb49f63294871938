/* eslint-disable @typescript-eslint/no-explicit-any -- task emissions are user-shaped objects */
import { UserError } from '../../errors.js';
import { addDays, formatDay, parseDay } from './moment-compat.js';
import {
  calculateState, isMoreReadyThan, isTimelyWithin, timelyBounds, timingFacts, todayOf,
  type TaskState, type TimingFacts,
} from './task-states.js';

/** What a task doc carries about its emission (cht-core's minified emission, as stored: JSON). */
export interface TaskEmissionDoc {
  _id: string;
  title?: unknown;
  icon?: unknown;
  deleted?: unknown;
  resolved?: unknown;
  actions?: unknown[];
  priority?: unknown;
  priorityLabel?: unknown;
  contact?: { name?: unknown };
  dueDate?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  forId?: unknown;
}

/** A state in dry-run output: cht-core's five, plus two for emissions that never become task docs. */
export type DryRunState = TaskState | 'NotTimely' | 'Duplicate';

export interface TaskResult {
  state: DryRunState;
  /** The name of the task definition that emitted it (definitionName): what summaries count by. Not in --json. */
  name: string;
  /** The contact the task is listed under; `_unassigned` for contactLabel tasks and contact-less containers. */
  owner: string;
  /** The contact whose rules emitted it (null for the contact-less container). */
  requester: string | null;
  emission: TaskEmissionDoc;
  /** Why it is not Ready (only with --all-states). */
  reason?: string;
}

/** One raw task emission with everything that does not depend on the day, computed once. */
export interface TaskRecord {
  raw: any;
  /** The emission `_id` as cht-core keys it (a string). */
  key: string;
  facts: TimingFacts;
  /** The name of the task definition that emitted it (definitionName). */
  name: string;
  owner: string;
  requester: string | null;
  /** Stored form, computed lazily (it is JSON). */
  doc?: TaskEmissionDoc;
  /** Index of the container that emitted it. */
  container: number;
  /** Cache of the days it is Ready (null: never). */
  ready?: { from: string; to: string } | null;
  /** Cache of its task doc id's sort key in the tasks_by_contact view (see viewOrder). */
  viewId?: string;
  /**
   * Its place in the tasks_by_contact view among all the records of a timeline (equal keys, equal ranks), when
   * the timeline ranked them (`rankInView`): a day's Ready tasks then sort by a number, not by two strings.
   */
  rank?: number;
  /** Its Ready result, made once: a record is listed on every day it is Ready, the same each day. */
  readyResult?: TaskResult;
}

export function taskRecord(raw: any, now: number, container: number): TaskRecord {
  const ownerId = raw.contact && raw.contact._id;
  const requesterId = raw.doc && raw.doc.contact && raw.doc.contact._id;
  return {
    raw,
    key: String(raw._id),
    facts: timingFacts(raw, now),
    name: definitionName(raw),
    owner: ownerId ? String(ownerId) : '_unassigned',
    requester: requesterId === undefined || requesterId === null ? null : String(requesterId),
    container,
  };
}

/**
 * The name of the task definition that emitted `raw`: the last `~` part of its `_id` (`<source>~<event>~<name>`),
 * without the `-<index>` that the emitter appends for a `scheduled_tasks` task — when the id starts with a report
 * of the container that has a scheduled task at that index. (A report task whose own name ends in `-<digits>`,
 * on a report with that many scheduled tasks, would be taken for one: nothing in the emission tells them apart.)
 */
export function definitionName(raw: any): string {
  const id = String(raw._id);
  const last = id.slice(id.lastIndexOf('~') + 1);
  const m = /^(.+)-(\d+)$/.exec(last);
  const reports = raw.doc && Array.isArray(raw.doc.reports) ? raw.doc.reports : undefined;
  if (!m || !reports) return last;
  const index = Number(m[2]);
  for (const r of reports) {
    if (r && typeof r._id === 'string' && Array.isArray(r.scheduled_tasks) && index < r.scheduled_tasks.length && id.startsWith(`${r._id}~`)) {
      return m[1]!;
    }
  }
  return last;
}

const MINIFIED_FIELDS = ['_id', 'title', 'icon', 'deleted', 'resolved', 'actions', 'priority', 'priorityLabel'];

/**
 * The emission as a task doc stores it: the listed own fields, `contact: {name}`, the display window and
 * `forId` (the first action content's contact id; the contacts are then removed from the actions), through JSON.
 */
export function emissionDoc(record: TaskRecord): TaskEmissionDoc {
  if (record.doc) return record.doc;
  const emission = record.raw;
  const minified: any = {};
  for (const field of MINIFIED_FIELDS) {
    if (Object.prototype.hasOwnProperty.call(emission, field)) minified[field] = emission[field];
  }
  if (emission.contact) minified.contact = { name: emission.contact.name };
  if (emission.date || emission.dueDate) Object.assign(minified, record.facts.window);
  if (Array.isArray(minified.actions)) {
    // cht-core mutates the emission's own actions here; a copy keeps cached emissions intact.
    minified.actions = minified.actions.map((action: any) =>
      action && action.content ? { ...action, content: { ...action.content } } : action);
    for (const action of minified.actions) {
      if (!action || !action.content) continue;
      if (!minified.forId) minified.forId = action.content.contact && action.content.contact._id;
      delete action.content.contact;
    }
  }
  try {
    record.doc = JSON.parse(JSON.stringify(minified)) as TaskEmissionDoc;
  } catch (err) {
    throw new UserError(`Task emission ${record.key} cannot be stored as a task document: ${(err as Error).message}`, {
      code: 'CHT_E_TASK_NOT_JSON',
      hint: 'Everything a task carries (actions\' content, priority...) must be JSON: no cycles, no BigInt.',
    });
  }
  return record.doc;
}

export interface DayTasksOptions {
  allStates: boolean;
  /** Only tasks owned by this contact (the fixtures' ownedBySubject). */
  ownedBy?: string;
}

/** Facts recomputed for the rare emission whose window reads the clock. */
function factsAt(record: TaskRecord, now: number): TimingFacts {
  return record.facts.dependsOnNow ? timingFacts(record.raw, now) : record.facts;
}

/**
 * The tasks of one day from the day's task emissions (in emission order): the 60/180-day filter, duplicate ids
 * (first seen wins unless a later one is strictly more ready), states, and the displayed set — Ready docs in
 * the order of the tasks_by_contact view (owner, then task doc id). With `allStates`, the others follow, each
 * with a reason.
 */
export function tasksOfDay(records: readonly TaskRecord[], now: number, options: DayTasksOptions): TaskResult[] {
  if (!options.allStates) return readyTasksOfDay(records, now, options.ownedBy);
  const today = todayOf(now);
  const bounds = timelyBounds(now);
  const winners: Record<string, { record: TaskRecord; state: TaskState | false }> = {};
  const rejected: TaskResult[] = [];
  for (const record of records) {
    const facts = factsAt(record, now);
    if (!isTimelyWithin(facts, bounds)) {
      if (options.allStates) rejected.push(result(record, 'NotTimely', notTimelyReason(facts, now)));
      continue;
    }
    const state = calculateState(record.raw, facts, today);
    const current = winners[record.key];
    if (!current) winners[record.key] = { record, state };
    else if (isMoreReadyThan(state, current.state)) {
      if (options.allStates) rejected.push(duplicate(current.record, current.state, record));
      winners[record.key] = { record, state };
    } else if (options.allStates) rejected.push(duplicate(record, state, current.record));
  }
  const shown: TaskResult[] = [];
  const others: TaskResult[] = [];
  for (const key of Object.keys(winners)) {
    const { record, state } = winners[key]!;
    if (options.ownedBy !== undefined && record.owner !== options.ownedBy) continue;
    if (state === 'Ready') shown.push(result(record, 'Ready'));
    else if (options.allStates) {
      const facts = factsAt(record, now);
      others.push(result(record, state || 'Cancelled', stateReason(record, facts, state)));
    }
  }
  shown.sort(viewOrder);
  if (!options.allStates) return shown;
  others.sort(viewOrder);
  return [...shown, ...others, ...rejected.filter((r) => options.ownedBy === undefined || r.owner === options.ownedBy)];
}

/**
 * The Ready tasks alone, fast: a Ready emission is always timely (its window contains today), and among
 * emissions sharing an `_id` the first Ready one always wins (Ready is the most ready state), so no other
 * emission needs a state.
 */
function readyTasksOfDay(records: readonly TaskRecord[], now: number, ownedBy: string | undefined): TaskResult[] {
  const today = todayOf(now);
  const shown: TaskRecord[] = [];
  const seen = new Set<string>();
  let ranked = true;
  for (const record of records) {
    if (!isReadyOn(record, now, today) || seen.has(record.key)) continue;
    seen.add(record.key);
    if (ownedBy === undefined || record.owner === ownedBy) {
      shown.push(record);
      if (record.rank === undefined) ranked = false;
    }
  }
  // (Records sorted, then made results: a long timeline lists a million task-days, and the sort keys of a
  // record are computed once, not at every comparison.)
  shown.sort(ranked ? byRank : recordViewOrder);
  const out: TaskResult[] = [];
  for (const record of shown) out.push(readyResult(record));
  return out;
}

/**
 * Whether a record is Ready on the day of `now` (`today`: todayOf(now)). Among the records of a day, the first
 * Ready one of each `_id` is shown (readyTasksOfDay).
 */
export function isReadyOn(record: TaskRecord, now: number, today: string): boolean {
  return record.facts.dependsOnNow ? calculateState(record.raw, factsAt(record, now), today) === 'Ready' : readyOn(record, today);
}

/** A record's Ready result, made once: it is listed the same on every day it is Ready. */
export function readyResult(record: TaskRecord): TaskResult {
  return (record.readyResult ??= result(record, 'Ready'));
}

/**
 * Ranks records in the tasks_by_contact view order (recordViewOrder), equal keys sharing a rank, so that sorting
 * any subset by rank — stably, as Array.prototype.sort does — gives the order sorting it by the view would.
 */
export function rankInView(records: Iterable<TaskRecord>): void {
  const all = [...new Set(records)].sort(recordViewOrder);
  let rank = 0;
  for (let i = 0; i < all.length; i++) {
    if (i > 0 && recordViewOrder(all[i - 1]!, all[i]!) !== 0) rank++;
    all[i]!.rank = rank;
  }
}

function byRank(a: TaskRecord, b: TaskRecord): number {
  return a.rank! - b.rank!;
}

/**
 * The days on which any of these records can be Ready (`YYYY-MM-DD` bounds), or null when none ever is; a
 * record whose window depends on the day makes it unbounded. Lets a timeline skip contacts with nothing to show.
 */
export function readySpan(records: readonly TaskRecord[]): { from: string; to: string } | null {
  let from: string | undefined;
  let to: string | undefined;
  for (const record of records) {
    if (record.facts.dependsOnNow) return { from: '', to: '\uffff' };
    const window = readyWindow(record);
    if (!window) continue;
    if (from === undefined || window.from < from) from = window.from;
    if (to === undefined || window.to > to) to = window.to;
  }
  return from === undefined || to === undefined ? null : { from, to };
}

/**
 * A copy of a record that another thread can receive (structured clone) and that lists as Ready or not
 * exactly as the original does (Ready-only days, `tasksOfDay` without allStates): its stored doc and Ready
 * window computed, and of the emission only the fields such a day reads — the timing fields, whose objects
 * other than Dates only count by their truthiness there once the window is computed. Undefined when the
 * record cannot be copied so (an emission whose window reads the clock and holds such objects).
 */
export function portableRecord(record: TaskRecord): TaskRecord | undefined {
  const raw = record.raw;
  const copyable = (v: unknown) => v === null || v instanceof Date || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol');
  if (!Object.values(record.facts.window).every(copyable)) return undefined;
  const slim: Record<string, unknown> = { _id: raw._id, resolved: !!raw.resolved, deleted: !!raw.deleted };
  for (const field of ['date', 'dueDate', 'startDate', 'endDate', 'readyStart', 'readyEnd']) {
    const value = raw[field];
    if (copyable(value)) slim[field] = value;
    else if (record.facts.dependsOnNow) return undefined;
    else slim[field] = true;
  }
  return {
    raw: slim, key: record.key, facts: record.facts, name: record.name, owner: record.owner, requester: record.requester,
    container: record.container, doc: emissionDoc(record), ready: readyWindow(record) ?? null,
  };
}

/** The window of days a record is Ready, computed once: [from, to], or undefined when it never is. */
export function readyWindow(record: TaskRecord): { from: string; to: string } | undefined {
  if (record.ready === undefined) {
    const raw = record.raw;
    const { startDate, endDate } = record.facts.window as { startDate: any; endDate: any };
    const never = !raw || raw.resolved || raw.deleted || (!raw.date && !raw.dueDate) ||
      !startDate || !endDate || startDate > endDate || endDate < startDate;
    record.ready = never ? null : { from: startDate, to: endDate };
  }
  return record.ready ?? undefined;
}

/**
 * Whether a record can be among the Ready tasks of `today` (todayOf the day's instant): its Ready window holds
 * it, or its window depends on the day (the day decides then). A Ready-only day reads no other record, so the
 * others can be let go as soon as they are made — with the container their emission holds (see timeline.ts).
 */
export function mayBeReady(record: TaskRecord, today: string): boolean {
  return record.facts.dependsOnNow || readyOn(record, today);
}

function readyOn(record: TaskRecord, today: string): boolean {
  const window = readyWindow(record);
  return !!window && !(window.from > today) && !(window.to < today);
}

function result(record: TaskRecord, state: DryRunState, reason?: string): TaskResult {
  return {
    state,
    name: record.name,
    owner: record.owner,
    requester: record.requester,
    emission: emissionDoc(record),
    ...(reason !== undefined ? { reason } : {}),
  };
}

function duplicate(loser: TaskRecord, state: TaskState | false, winner: TaskRecord): TaskResult {
  const winnerFrom = winner.requester ?? 'the contact-less container';
  return result(loser, 'Duplicate', `another emission with the same _id (from ${winnerFrom}) is at least as ready (this one: ${state || 'invalid'}); cht-core keeps one task per _id`);
}

/** Sort key of the tasks_by_contact view: `owner-<owner>`, then the task doc id (`task~<user>~<emission id>~<time>`). */
function viewOrder(a: TaskResult, b: TaskResult): number {
  const ka = `owner-${a.owner}`;
  const kb = `owner-${b.owner}`;
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ia = `${a.emission._id}~`;
  const ib = `${b.emission._id}~`;
  return ia === ib ? 0 : ia < ib ? -1 : 1;
}

/**
 * viewOrder on records: `owner-<owner>` strings compare as the owners do (a common prefix), the id keys are
 * kept on the record.
 */
function recordViewOrder(a: TaskRecord, b: TaskRecord): number {
  const oa = `${a.owner}`;
  const ob = `${b.owner}`;
  if (oa !== ob) return oa < ob ? -1 : 1;
  const ia = (a.viewId ??= `${emissionDoc(a)._id}~`);
  const ib = (b.viewId ??= `${emissionDoc(b)._id}~`);
  return ia === ib ? 0 : ia < ib ? -1 : 1;
}

function dayAfter(day: string): string {
  return formatDay(addDays(parseDay(day), 1));
}

export function stateReason(record: TaskRecord, facts: TimingFacts, state: TaskState | false): string {
  const raw = record.raw;
  const { startDate, endDate } = facts.window;
  switch (state) {
    case 'Draft':
      return `Draft until ${String(startDate)}: the window opens on ${String(startDate)} (due ${String(facts.window.dueDate)})`;
    case 'Failed':
      return `Failed since ${typeof endDate === 'string' ? dayAfter(endDate) : String(endDate)}: the window closed on ${String(endDate)} and it was not resolved`;
    case 'Completed':
      return `Completed: resolvedIf returned ${JSON.stringify(raw.resolved) ?? String(raw.resolved)}`;
    case 'Cancelled':
      return 'Cancelled: the report is deleted';
    case false:
      return `Cancelled (invalid): the due date ${describeDate(raw.date)} gives no valid window`;
    default:
      return '';
  }
}

function describeDate(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return JSON.stringify(value) ?? String(value);
}

export function notTimelyReason(facts: TimingFacts, now: number): string {
  const { startDate, endDate } = facts.window;
  if (Number.isNaN(facts.startMs) || Number.isNaN(facts.endMs)) {
    return 'not timely: the due date is not a valid date, so cht-core drops the emission';
  }
  if (facts.endMs <= addDays(now, -60)) {
    return `not timely: the window closed on ${String(endDate)}, more than 60 days ago (cht-core drops it)`;
  }
  return `not timely: the window opens on ${String(startDate)}, more than 180 days ahead (cht-core drops it until then)`;
}
