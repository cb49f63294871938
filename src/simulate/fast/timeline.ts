import type { SimulatedClock } from '../engine/clock.js';
import type { ContainerSpec } from '../engine/containers.js';
import { userForDay, type Simulation } from '../engine/simulation.js';
import { readySpan, readyWindow, type TaskRecord } from '../engine/tasks.js';
import { finishDay, type Day, type DayTasks, type TimelineOptions, type TimelineStats } from '../engine/timeline.js';
import { TracingEngine, type TracedEvaluation } from './trace-engine.js';
import { withTracing } from './tracer.js';

/**
 * The optimised timeline: it runs an instrumented copy of the rules that records every decision taken on a
 * clock-derived value (trace-runtime.ts), and reuses an evaluation on other days as long as those decisions
 * come out the same — which is checked by replaying them, not by running the rules. Task states are always
 * recomputed per day (engine/timeline.ts finishDay). Undefined: the rules modify `user` (stats.fallback).
 */
export function tracedTimeline(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats): Iterable<DayTasks> | undefined {
  const segments = withTracing(() => tracedSegments(sim, clock, days, options, stats));
  return segments ? daysFromSegments(sim, days, segments, options) : undefined;
}

/** An evaluation's records, to be listed on the days [from, to) (in container order, `index`). */
export interface Segment {
  index: number;
  from: number;
  to: number;
  records: TaskRecord[];
}

/**
 * Container by container: evaluate on a day, find the nearest days either side on which its decisions come out
 * differently (TracingEngine.validUntil / validSince), evaluate again there, and so on; each evaluation's
 * records go to the days it covers (without --all-states, only to those its tasks can be Ready). With --as-reported the containers change
 * on the days docs appear: the timeline is cut into spans with the same containers, and an evaluation still
 * valid at a span's start is carried over to the same container in the next span. `take` limits the work to
 * some containers (a share of a parallel run). Undefined: the rules modify `user` (see `stats.fallback`).
 */
export function tracedSegments(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats,
  take: (spec: ContainerSpec) => boolean = () => true,
): Segment[] | undefined {
  const engine = new TracingEngine(sim, clock, days.map((d) => d.timestamp));
  const segments: Segment[] = [];
  const untraced: Record<string, number> = {};
  // The rules see one user for the whole timeline (each day's copy would be equal): checked after each
  // evaluation, since rules that modify it make later containers see another user.
  clock.set(days[0]!.timestamp);
  const user = userForDay(sim);
  const before = user === null ? undefined : JSON.stringify(user);
  let carried = new Map<string, { entry: TracedEvaluation; until: number }>();
  const evaluate = (spec: ContainerSpec, day: number): TracedEvaluation | undefined => {
    clock.set(days[day]!.timestamp);
    const entry = engine.evaluate(spec, day, user);
    stats.evaluations++;
    if (before !== undefined && JSON.stringify(user) !== before) {
      stats.fallback = `the rules modify \`user\` (on ${days[day]!.date}); every day re-runs every contact`;
      return undefined;
    }
    if (entry.escaped) untraced[entry.escaped] = (untraced[entry.escaped] ?? 0) + 1;
    return entry;
  };
  for (const span of spans(sim, days)) {
    const next = new Map<string, { entry: TracedEvaluation; until: number }>();
    for (const spec of span.specs) {
      if (!take(spec)) continue;
      // The days [lo, hi) are covered; `last` is the evaluation covering hi - 1, with how long it holds.
      let lo: number;
      let hi: number;
      let last = carried.get(spec.json);
      if (last && last.until > span.from) {
        lo = span.from;
        hi = Math.min(last.until, span.to);
        stats.reused += hi - lo;
      } else {
        // The first evaluation is in the middle of the span, and its decisions are followed both ways: a day
        // whose calendar numbers are ordinary (not January's month 0, which equals every first index and
        // empty count) ties fewer values to the clock by coincidence, so it tends to hold longer.
        const anchor = span.from + ((span.to - span.from) >> 1);
        const entry = evaluate(spec, anchor);
        if (!entry) return undefined;
        last = { entry, until: engine.validUntil(entry, anchor, days.length) };
        lo = engine.validSince(entry, anchor, span.from);
        hi = Math.min(last.until, span.to);
        stats.reused += hi - lo - 1;
      }
      place(segments, spec.index, last.entry, lo, hi, days, options);
      while (lo > span.from) {
        const entry = evaluate(spec, lo - 1);
        if (!entry) return undefined;
        const since = engine.validSince(entry, lo - 1, span.from);
        stats.reused += lo - since - 1;
        place(segments, spec.index, entry, since, lo, days, options);
        lo = since;
      }
      while (hi < span.to) {
        const entry = evaluate(spec, hi);
        if (!entry) return undefined;
        last = { entry, until: engine.validUntil(entry, hi, days.length) };
        const to = Math.min(last.until, span.to);
        stats.reused += to - hi - 1;
        place(segments, spec.index, entry, hi, to, days, options);
        hi = to;
      }
      next.set(spec.json, last);
    }
    carried = next;
  }
  if (Object.keys(untraced).length) stats.untraced = { ...stats.untraced, ...untraced };
  return segments;
}

/**
 * The tasks of each day from segments (any order of containers: they are listed in container order), a day at
 * a time as they are read; a day's records are let go once its tasks are listed.
 */
export function* daysFromSegments(sim: Simulation, days: readonly Day[], segments: readonly Segment[], options: TimelineOptions): Generator<DayTasks> {
  const buckets: (TaskRecord[] | undefined)[] = days.map(() => []);
  const ordered = segments.length > 1 && segments.some((x, i) => i > 0 && x.index < segments[i - 1]!.index)
    ? [...segments].sort((a, b) => a.index - b.index)
    : segments;
  for (const segment of ordered) {
    for (let i = segment.from; i < segment.to; i++) {
      const bucket = buckets[i]!;
      for (const r of segment.records) bucket.push(r);
    }
  }
  for (let i = 0; i < days.length; i++) {
    const records = buckets[i]!;
    buckets[i] = undefined;
    yield finishDay(sim, days[i]!, records, options);
  }
}

/** Runs of days with the same containers (one run unless --as-reported). */
function spans(sim: Simulation, days: readonly Day[]): { from: number; to: number; specs: ContainerSpec[] }[] {
  const out: { from: number; to: number; specs: ContainerSpec[] }[] = [];
  days.forEach((day, i) => {
    const specs = sim.containersAt(day.timestamp);
    const last = out[out.length - 1];
    if (last && last.specs === specs) last.to = i + 1;
    else out.push({ from: i, to: i + 1, specs });
  });
  return out;
}

/**
 * Adds an evaluation's segment over [from, to). Without --all-states each record gets its own, trimmed to the
 * days it can be Ready (a window that reads the clock: all of them), so a day lists only what it may show.
 */
function place(segments: Segment[], index: number, entry: TracedEvaluation, from: number, to: number, days: readonly Day[], options: TimelineOptions): void {
  if (entry.records.length === 0) return;
  if (options.allStates) {
    segments.push({ index, from, to, records: entry.records });
    return;
  }
  entry.ready ??= readySpan(entry.records);
  if (entry.ready === null) return;
  for (const record of entry.records) {
    let first = from;
    let last = to;
    const window = record.facts.dependsOnNow ? undefined : readyWindow(record);
    if (!record.facts.dependsOnNow && !window) continue;
    // (A window of other values than day strings is left whole: each day checks it anyway.)
    if (window && typeof window.from === 'string' && typeof window.to === 'string') {
      first = dayAtOrAfter(days, window.from, from, to);
      last = dayAtOrAfter(days, `${window.to}\uffff`, first, to);
    }
    if (first < last) segments.push({ index, from: first, to: last, records: [record] });
  }
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

