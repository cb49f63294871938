import type { Simulation } from '../engine/simulation.js';
import { isReadyOn, portableRecord, rankInView, readyResult, readySpan, readyWindow, type TaskRecord, type TaskResult } from '../engine/tasks.js';
import { todayOf } from '../engine/task-states.js';
import type { TracedEvaluation } from './trace-engine.js';
import { finishDay, ownedBy, type Day, type DayTasks, type TimelineOptions } from '../engine/timeline.js';

/*
 * Segments: the records an evaluation gave and the days they are listed on — what a share of a traced timeline
 * (on this thread or a worker) hands back a block at a time — how an evaluation's records become segments
 * (`place`), and how the days are listed from them.
 */

/** An evaluation's records, to be listed on the days [from, to) (in container order, `index`). */
export interface Segment {
  index: number;
  from: number;
  to: number;
  records: TaskRecord[];
}

/**
 * The tasks of each day of [from, to) from segments (any order of containers: they are listed in container
 * order), a day at a time as they are read; a day's records are let go once its tasks are listed.
 */
export function* daysFromSegments(
  sim: Simulation, days: readonly Day[], segments: readonly Segment[], options: TimelineOptions, from = 0, to = days.length,
): Generator<DayTasks> {
  const ordered = segments.length > 1 && segments.some((x, i) => i > 0 && x.index < segments[i - 1]!.index)
    ? [...segments].sort((a, b) => a.index - b.index)
    : segments;
  // Each record is listed on many days: sorted in the view's order once here rather than on each of them. (All
  // of a block's records are ranked again: a record listed in an earlier block holds a rank among that block's.)
  if (!options.allStates && days.length > 1) {
    rankInView(ordered.flatMap((s) => s.records));
    const readyOn = inViewOrder(days, ordered, from, to, ownedBy(sim).ownedBy);
    if (readyOn) {
      for (let i = from; i < to; i++) yield { ...days[i]!, tasks: readyOn(i) };
      return;
    }
  }
  const buckets: (TaskRecord[] | undefined)[] = Array.from({ length: to - from }, () => []);
  for (const segment of ordered) {
    for (let i = Math.max(segment.from, from); i < Math.min(segment.to, to); i++) {
      const bucket = buckets[i - from]!;
      for (const r of segment.records) bucket.push(r);
    }
  }
  for (let i = from; i < to; i++) {
    const records = buckets[i - from]!;
    buckets[i - from] = undefined;
    yield finishDay(sim, days[i]!, records, options);
  }
}

/**
 * inViewOrder's sort keys are `rank * ITEMS_MAX + position`, exact in a double while the rank stays below
 * RANKS_MAX and a block has fewer than ITEMS_MAX items (beyond either, each day is sorted instead).
 */
const ITEMS_MAX = 2 ** 22;
const RANKS_MAX = 2 ** 30;

/**
 * The Ready-only days of a block without a sort per day: every (record, days) item of the block sorted once by
 * its record's rank in the view, ties in emission order (container order, then the evaluation's), which is the
 * order a day's stable sort by rank gives its records (readyTasksOfDay). Each item's days are narrowed to those
 * its record is Ready on (its window's, found once; a window that reads the clock, or is not made of day
 * strings, is checked on each day), and each day takes its items in that order. Undefined — the caller sorts
 * each day — when two items with the same `_id` can be Ready on a same day (the first Ready one in emission order
 * is shown: a choice this order cannot make) or the block has too many items for the sort keys.
 */
function inViewOrder(days: readonly Day[], ordered: readonly Segment[], from: number, to: number, owner: string | undefined):
  ((index: number) => TaskResult[]) | undefined {
  const records: TaskRecord[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const segment of ordered) {
    for (const record of segment.records) {
      let first = Math.max(segment.from, from);
      let last = Math.min(segment.to, to);
      if (!record.facts.dependsOnNow) {
        const window = readyWindow(record);
        if (!window) continue;
        if (typeof window.from === 'string' && typeof window.to === 'string') {
          first = dayAtOrAfter(days, window.from, first, last);
          last = dayAtOrAfter(days, `${window.to}\uffff`, first, last);
        }
      }
      if (first >= last) continue;
      if (record.rank === undefined || record.rank >= RANKS_MAX) return undefined;
      records.push(record);
      starts.push(first);
      ends.push(last);
    }
  }
  const n = records.length;
  if (n >= ITEMS_MAX) return undefined;
  if (sameIdOnOneDay(records, starts, ends)) return undefined;
  // (A typed array sorts numbers natively, without a comparator: a block has tens of thousands of items.)
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = records[i]!.rank! * ITEMS_MAX + i;
  keys.sort();
  // Each day's items, in that order: the item numbers of day d are slots[offsets[d] .. offsets[d + 1]).
  const length = to - from;
  const offsets = new Int32Array(length + 1);
  for (let i = 0; i < n; i++) for (let d = starts[i]!; d < ends[i]!; d++) offsets[d - from + 1]!++;
  for (let d = 0; d < length; d++) offsets[d + 1]! += offsets[d]!;
  const slots = new Int32Array(offsets[length]!);
  const cursors = offsets.slice(0, length);
  for (let j = 0; j < n; j++) {
    const i = keys[j]! % ITEMS_MAX;
    for (let d = starts[i]!; d < ends[i]!; d++) slots[cursors[d - from]!++] = i;
  }
  // Per item, what a day needs: whether it is shown at all (its owner), whether its window is checked on the
  // day (one that reads the clock or is made of other values than day strings), and its result. A day then
  // reads no record: a year lists a million task-days.
  const SKIP = 0;
  const SHOW = 1;
  const CHECK = 2;
  const how = new Uint8Array(n);
  const results: (TaskResult | undefined)[] = new Array<TaskResult | undefined>(n);
  for (let i = 0; i < n; i++) {
    const record = records[i]!;
    if (owner !== undefined && record.owner !== owner) continue;
    const window = record.ready;
    how[i] = record.facts.dependsOnNow || typeof window?.from !== 'string' || typeof window.to !== 'string' ? CHECK : SHOW;
    if (how[i] === SHOW) results[i] = readyResult(record);
  }
  return (index) => {
    const { timestamp } = days[index]!;
    let today: string | undefined;
    const out: TaskResult[] = [];
    for (let k = offsets[index - from]!, end = offsets[index - from + 1]!; k < end; k++) {
      const i = slots[k]!;
      const shown = how[i];
      if (shown === SKIP) continue;
      if (shown === SHOW) {
        out.push(results[i]!);
        continue;
      }
      const record = records[i]!;
      if (isReadyOn(record, timestamp, (today ??= todayOf(timestamp)))) out.push(readyResult(record));
    }
    return out;
  };
}

/** Whether two items with the same `_id` cover a same day. */
function sameIdOnOneDay(records: readonly TaskRecord[], starts: readonly number[], ends: readonly number[]): boolean {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const key = records[i]!.key;
    const list = byKey.get(key);
    if (!list) {
      byKey.set(key, [i]);
      continue;
    }
    for (const j of list) if (starts[i]! < ends[j]! && starts[j]! < ends[i]!) return true;
    list.push(i);
  }
  return false;
}

/**
 * Adds an evaluation's segment over [from, to). Without --all-states each record gets its own, trimmed to the
 * days it can be Ready (a window that reads the clock: all of them), so a day lists only what it may show.
 */
export function place(put: (segment: Segment) => void, index: number, entry: TracedEvaluation, from: number, to: number, days: readonly Day[], options: TimelineOptions): void {
  if (entry.records.length === 0) return;
  if (options.allStates) {
    put({ index, from, to, records: entry.records });
    return;
  }
  entry.ready ??= readySpan(entry.records);
  if (entry.ready === null) return;
  const listed = (entry.listed ??= []);
  entry.records.forEach((record, i) => {
    let first = from;
    let last = to;
    const window = record.facts.dependsOnNow ? undefined : readyWindow(record);
    if (!record.facts.dependsOnNow && !window) return;
    // (A window of other values than day strings is left whole: each day checks it anyway.)
    if (window && typeof window.from === 'string' && typeof window.to === 'string') {
      first = dayAtOrAfter(days, window.from, from, to);
      last = dayAtOrAfter(days, `${window.to}\uffff`, first, to);
    }
    if (first < last) put({ index, from: first, to: last, records: [(listed[i] ??= slim(record))] });
  });
}

/**
 * The record as a Ready-only day lists it, without the emission it came from (engine/tasks.ts portableRecord):
 * an emission holds its container (`doc`: the contact and all its reports, parsed for that evaluation), which
 * a year's records would otherwise keep alive until the days are listed — hundreds of megabytes for 10,000
 * contacts, copied by every young-generation collection. Its task doc is computed here, on the thread that
 * traced it. A record whose task doc cannot be made (not JSON: listing it reports the error, as the naive
 * timeline does on the day it is listed) or cannot be copied is kept whole.
 */
function slim(record: TaskRecord): TaskRecord {
  try {
    const copy = portableRecord(record);
    if (!copy) return record;
    portable.add(copy);
    return copy;
  } catch {
    return record;
  }
}

/** The records `slim` made: another thread can receive them as they are. */
const portable = new WeakSet<TaskRecord>();

/**
 * A record another thread can receive (structured clone): itself when `slim` made it, else a portable copy;
 * undefined when it cannot be copied. (A worker sends each block's records: a record listed in several blocks
 * was copied once per block before.)
 */
export function portableOf(record: TaskRecord): TaskRecord | undefined {
  return portable.has(record) ? record : portableRecord(record);
}

/** The first index in [lo, hi) whose date is at or after `date` (hi if none). */
function dayAtOrAfter(days: readonly Day[], date: string, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]!.date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
