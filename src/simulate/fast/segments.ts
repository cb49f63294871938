import type { Simulation } from '../engine/simulation.js';
import { portableRecord, rankInView, readySpan, readyWindow, type TaskRecord } from '../engine/tasks.js';
import type { TracedEvaluation } from './trace-engine.js';
import { finishDay, type Day, type DayTasks, type TimelineOptions } from '../engine/timeline.js';

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
  const buckets: (TaskRecord[] | undefined)[] = Array.from({ length: to - from }, () => []);
  const ordered = segments.length > 1 && segments.some((x, i) => i > 0 && x.index < segments[i - 1]!.index)
    ? [...segments].sort((a, b) => a.index - b.index)
    : segments;
  for (const segment of ordered) {
    for (let i = Math.max(segment.from, from); i < Math.min(segment.to, to); i++) {
      const bucket = buckets[i - from]!;
      for (const r of segment.records) bucket.push(r);
    }
  }
  // Each record is listed on many days: sorted in the view's order once here rather than on each of them. (All
  // of a block's records are ranked again: a record listed in an earlier block holds a rank among that block's.)
  if (!options.allStates && days.length > 1) rankInView(ordered.flatMap((s) => s.records));
  for (let i = from; i < to; i++) {
    const records = buckets[i - from]!;
    buckets[i - from] = undefined;
    yield finishDay(sim, days[i]!, records, options);
  }
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
