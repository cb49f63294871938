import type { SimulatedClock } from '../engine/clock.js';
import type { ContainerSpec } from '../engine/containers.js';
import { evaluateContainer, userForDay, type Simulation } from '../engine/simulation.js';
import { portableRecord, readySpan, readyWindow, taskRecord, type TaskRecord } from '../engine/tasks.js';
import type { Day, DayTasks, TimelineOptions, TimelineStats } from '../engine/timeline.js';
import { daysFromSegments, type Segment } from './segments.js';
import { ContactCost, CostModel, NAIVE_REASONS, PlainRuns, wallClockMeter, type Meter, type NaiveReason } from './contact-cost.js';
import { TracingEngine, type TracedEvaluation } from './trace-engine.js';
import { withTracing, type Untraced } from './tracer.js';

export { daysFromSegments, type Segment } from './segments.js';

/**
 * The optimised timeline: it runs an instrumented copy of the rules that records every decision taken on a
 * clock-derived value (trace-runtime.ts), and reuses an evaluation on other days as long as those decisions
 * come out the same — which is checked by replaying them, not by running the rules. Task states are always
 * recomputed per day (engine/timeline.ts finishDay). Undefined: the rules modify `user` (stats.fallback).
 */
export function tracedTimeline(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats, meter: Meter = wallClockMeter,
): Iterable<DayTasks> | undefined {
  const segments = tracedSegments(sim, clock, days, options, stats, undefined, meter);
  return segments ? daysFromSegments(sim, days, segments, options) : undefined;
}

/**
 * Container by container: evaluate on a day, find the nearest days either side on which its decisions come out
 * differently (TracingEngine.validUntil / validSince), evaluate again there, and so on; each evaluation's
 * records go to the days it covers (without --all-states, only to those its tasks can be Ready). With --as-reported the containers change
 * on the days docs appear: the timeline is cut into spans with the same containers, and an evaluation still
 * valid at a span's start is carried over to the same container in the next span. A contact whose tracing costs
 * more than its reuse saves (contact-cost.ts, timed by `meter`) runs the plain rules once a day from then on, as
 * the naive timeline does, for the rest of the timeline (those days are run together at the end of each span,
 * without the tracing hooks). `take` limits the work to some containers (a share of a parallel run). Undefined:
 * the rules modify `user` (see `stats.fallback`).
 */
export function tracedSegments(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats,
  take: (spec: ContainerSpec) => boolean = () => true, meter: Meter = wallClockMeter,
): Segment[] | undefined {
  return withTracing((untraced) => segmentsOf(sim, clock, days, options, stats, take, meter, untraced));
}

function segmentsOf(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats,
  take: (spec: ContainerSpec) => boolean, meter: Meter, untraced: Untraced,
): Segment[] | undefined {
  const engine = new TracingEngine(sim, clock, days.map((d) => d.timestamp));
  const segments: Segment[] = [];
  const escapes: Record<string, number> = {};
  // The rules see one user for the whole timeline (each day's copy would be equal): checked after each
  // evaluation, since rules that modify it make later containers see another user.
  clock.set(days[0]!.timestamp);
  const user = userForDay(sim);
  const before = user === null ? undefined : JSON.stringify(user);
  const userModified = (day: number): boolean => {
    if (before === undefined || JSON.stringify(user) === before) return false;
    stats.fallback = `the rules modify \`user\` (on ${days[day]!.date}); every day re-runs every contact`;
    return true;
  };
  const costs = new Map<string, ContactCost>();
  const plainRuns = new PlainRuns();
  const naive: NonNullable<TimelineStats['wentNaive']> = { contacts: 0, reasons: {}, plainEvaluations: 0 };
  let carried = new Map<string, { entry: TracedEvaluation; until: number }>();

  /**
   * A traced evaluation on `day`, the days [since, until) it holds (since within the span), and what it cost
   * (the rules and the search for those days) — charged to its contact with the days it is listed on.
   */
  const trace = (spec: ContainerSpec, day: number, span: Span, witness?: TracedEvaluation, logging = true) => {
    const { value, ms } = meter('traced', () => {
      clock.set(days[day]!.timestamp);
      const entry = engine.evaluate(spec, day, user, logging);
      stats.evaluations++;
      if (userModified(day)) return undefined;
      if (entry.escaped) escapes[entry.escaped] = (escapes[entry.escaped] ?? 0) + 1;
      let until = engine.validUntil(entry, day, days.length);
      let since = engine.validSince(entry, day, span.from);
      // An evaluation that does not hold for the span may owe it to coincidences, which the neighbouring
      // evaluation refutes (trace-witness.ts; not tried on the others: it costs a replay of every decision).
      if ((since > span.from || until < span.to) && engine.refute(entry, witness)) {
        until = engine.validUntil(entry, day, days.length);
        since = engine.validSince(entry, day, span.from);
      }
      return { entry, until, since };
    });
    return value && { ...value, ms };
  };
  /**
   * The plain rules on `day`, listed on that day (unless `unlisted`: a measure whose records the caller lists
   * or not); false: the rules modify `user`.
   */
  const plain = (spec: ContainerSpec, day: number, unlisted = false): { ok: boolean; ms: number; records: TaskRecord[] } => {
    const { value: emissions, ms } = meter('plain', () => {
      clock.set(days[day]!.timestamp);
      return evaluateContainer(sim, spec, clock, user);
    });
    stats.evaluations++;
    naive.plainEvaluations++;
    if (userModified(day)) return { ok: false, ms, records: [] };
    const records = emissions.tasks.map((raw) => taskRecord(raw, days[day]!.timestamp, spec.index));
    if (!unlisted) listPlain(spec, day, records);
    return { ok: true, ms, records };
  };
  const listPlain = (spec: ContainerSpec, day: number, records: TaskRecord[]) => {
    place(segments, spec.index, { records, escaped: 'plain', predicates: [] }, day, day + 1, days, options);
  };
  const model = new CostModel();
  /** Charges a traced evaluation to its contact and to the model of what tracing costs. */
  const charge = (spec: ContainerSpec, cost: ContactCost, ms: number, covered: number) => {
    cost.addTraced(ms, covered);
    model.addTraced(spec.key, ms, covered);
  };
  const goNaive = (cost: ContactCost, reason: NaiveReason) => {
    cost.naive = reason;
    model.wentNaive();
    naive.contacts++;
    naive.reasons[reason] = (naive.reasons[reason] ?? 0) + 1;
  };
  // Days of naive contacts, run at the end of each span (in any order: segments are listed in container order).
  let naiveDays: { spec: ContainerSpec; from: number; to: number }[] = [];
  const runNaiveDays = (): boolean => untraced(() => {
    for (const { spec, from, to } of naiveDays) {
      for (let day = from; day < to; day++) if (!plain(spec, day).ok) return false;
    }
    naiveDays = [];
    return true;
  });

  for (const span of spans(sim, days)) {
    const carry = new Map<string, { entry: TracedEvaluation; until: number }>();
    for (const spec of span.specs) {
      if (!take(spec)) continue;
      let cost = costs.get(spec.key);
      if (!cost) costs.set(spec.key, (cost = new ContactCost()));
      if (cost.naive) {
        naiveDays.push({ spec, from: span.from, to: span.to });
        continue;
      }
      // The days [lo, hi) are covered; `last` is the traced evaluation covering hi - 1 (if one does), with how
      // long it holds.
      let lo: number;
      let hi: number;
      let last = carried.get(spec.json);
      if (last && last.until > span.from) {
        lo = span.from;
        hi = Math.min(last.until, span.to);
        stats.reused += hi - lo;
        cost.addCarried(hi - lo);
      } else {
        // The first evaluation is in the middle of the span, and its decisions are followed both ways: a day
        // whose calendar numbers are ordinary (not January's month 0, which equals every first index and
        // empty count) ties fewer values to the clock by coincidence, so it tends to hold longer.
        const anchor = span.from + ((span.to - span.from) >> 1);
        if (cost.traced === 0 && model.probeFirst()) {
          const probe = plain(spec, anchor, true);
          if (!probe.ok) return undefined;
          cost.addProbe(probe.ms);
          plainRuns.add(probe.ms);
          if (model.naive(probe.ms)) {
            goNaive(cost, NAIVE_REASONS.predicted);
            listPlain(spec, anchor, probe.records);
            naiveDays.push({ spec, from: span.from, to: anchor }, { spec, from: anchor + 1, to: span.to });
            continue;
          }
        }
        // (Unlogged: most first evaluations hold for the span, and the others are refuted by the next ones.)
        const first = trace(spec, anchor, span, undefined, false);
        if (!first) return undefined;
        last = { entry: first.entry, until: first.until };
        lo = first.since;
        hi = Math.min(first.until, span.to);
        charge(spec, cost, first.ms, hi - lo);
        stats.reused += hi - lo - 1;
      }
      place(segments, spec.index, last.entry, lo, hi, days, options);
      // The latest traced evaluations of the walk each way: witnesses for the next (trace-witness.ts; any
      // evaluation of the container on another day is one, the nearest takes the likeliest path).
      let low: TracedEvaluation = last.entry;
      let high: TracedEvaluation = last.entry;
      const evaluated: TracedEvaluation[] = [last.entry];
      // Each further day to compute is traced, or probed (run plainly, timed), or — once the contact went
      // naive — left with every day not covered yet to the plain rules.
      const next = (day: number): 'trace' | 'probed' | 'naive' | undefined => {
        const verdict = cost.verdict(plainRuns.typical());
        if (verdict === 'trace') return 'trace';
        if (verdict === 'probe') {
          const probe = plain(spec, day);
          if (!probe.ok) return undefined;
          cost.addProbe(probe.ms);
          plainRuns.add(probe.ms);
          return 'probed';
        }
        goNaive(cost, verdict);
        return 'naive';
      };
      while (lo > span.from) {
        const how = next(lo - 1);
        if (how === undefined) return undefined;
        if (how === 'naive') break;
        if (how === 'probed') {
          lo--;
          continue;
        }
        const earlier = trace(spec, lo - 1, span, low);
        if (!earlier) return undefined;
        low = earlier.entry;
        evaluated.push(earlier.entry);
        charge(spec, cost, earlier.ms, lo - earlier.since);
        stats.reused += lo - earlier.since - 1;
        place(segments, spec.index, earlier.entry, earlier.since, lo, days, options);
        lo = earlier.since;
      }
      while (!cost.naive && hi < span.to) {
        const how = next(hi);
        if (how === undefined) return undefined;
        if (how === 'naive') break;
        if (how === 'probed') {
          hi++;
          last = undefined;
          continue;
        }
        // (The first evaluation is not logged: the last one before it is then the nearest witness.)
        const later = trace(spec, hi, span, high.witness ? high : low);
        if (!later) return undefined;
        high = later.entry;
        evaluated.push(later.entry);
        last = { entry: later.entry, until: later.until };
        const to = Math.min(later.until, span.to);
        charge(spec, cost, later.ms, to - hi);
        stats.reused += to - hi - 1;
        place(segments, spec.index, later.entry, hi, to, days, options);
        hi = to;
      }
      // (What witnesses need is dropped once the container is done: it is the bulk of an evaluation's memory.)
      for (const entry of evaluated) entry.witness = undefined;
      if (cost.naive) {
        naiveDays.push({ spec, from: span.from, to: lo }, { spec, from: hi, to: span.to });
        continue;
      }
      if (last) carry.set(spec.json, last);
    }
    carried = carry;
    if (naiveDays.length && !runNaiveDays()) return undefined;
  }
  if (Object.keys(escapes).length) stats.untraced = { ...stats.untraced, ...escapes };
  if (naive.plainEvaluations) stats.wentNaive = naive;
  return segments;
}

type Span = { from: number; to: number; specs: ContainerSpec[] };

/** Runs of days with the same containers (one run unless --as-reported). */
function spans(sim: Simulation, days: readonly Day[]): Span[] {
  const out: Span[] = [];
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
    if (first < last) segments.push({ index, from: first, to: last, records: [(listed[i] ??= slim(record))] });
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
    return portableRecord(record) ?? record;
  } catch {
    return record;
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
