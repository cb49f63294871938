import type { SimulatedClock } from '../engine/clock.js';
import type { ContainerSpec } from '../engine/containers.js';
import { evaluateContainer, RulesThrew, userForDay, type Simulation } from '../engine/simulation.js';
import { taskRecord, type TaskRecord } from '../engine/tasks.js';
import { naiveTimeline, type Day, type DayTasks, type TimelineOptions, type TimelineStats } from '../engine/timeline.js';
import { daysFromSegments, place, type Segment } from './segments.js';
import { ContactCost, CostModel, NAIVE_REASONS, PlainRuns, wallClockMeter, type Meter, type NaiveReason } from './contact-cost.js';
import { TracingEngine, type TracedEvaluation } from './trace-engine.js';
import { startTracing, type Untraced } from './tracer.js';

export { daysFromSegments, type Segment } from './segments.js';

/** The segments of the days [from, to) of a timeline, complete: no later block adds to those days. */
export interface SegmentBlock {
  from: number;
  to: number;
  segments: Segment[];
}

/**
 * Days per block. The timeline is computed a block at a time, so the first days are listed (and piped on) while
 * the rest is being computed, and a block's segments are let go once its days are listed. Each container's
 * walk goes on where it stopped: blocks change no evaluation, except that an evaluation's witness
 * (trace-witness.ts) is dropped at the end of its block, to keep memory flat. Measured on a year of 1,000
 * patients: 2.3% more traced evaluations than one block (3.8% with blocks of 28 days, 1.6% with 91); keeping
 * the latest witnesses instead cost 35% more memory on 10,000.
 */
export const BLOCK_DAYS = 56;

/**
 * The optimised timeline: it runs an instrumented copy of the rules that records every decision taken on a
 * clock-derived value (trace-runtime.ts), and reuses an evaluation on other days as long as those decisions
 * come out the same — which is checked by replaying them, not by running the rules. Task states are always
 * recomputed per day (engine/timeline.ts finishDay). Days are computed a block at a time as they are read.
 * When the rules turn out to modify `user` (stats.fallback), the days from that block on run naively.
 */
export function* tracedTimeline(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats, meter: Meter = wallClockMeter,
): Generator<DayTasks> {
  const blocks = tracedSegments(sim, clock, days, options, stats, undefined, meter);
  let next = 0;
  try {
    for (;;) {
      let step: IteratorResult<SegmentBlock, boolean>;
      try {
        step = blocks.next();
      } catch (err) {
        if (!(err instanceof RulesThrew)) throw err;
        // The rules threw, on the day a walk reached first: a contact's first evaluation is in the middle of its
        // span, and contacts are walked one after the other. The naive timeline stops at the first day any
        // contact throws, at the first contact that does: run from the first day not yet listed, it stops
        // there with that error (this one's day, at the latest).
        yield* naiveTimeline(sim, clock, days.slice(next), options, stats).days;
        return;
      }
      if (step.done) {
        // Rules that modify `user` make each container's answer depend on the ones before it that day.
        if (!step.value) yield* naiveTimeline(sim, clock, days.slice(next), options, stats).days;
        return;
      }
      yield* daysFromSegments(sim, days, step.value.segments, options, step.value.from, step.value.to);
      next = step.value.to;
    }
  } finally {
    // A reader that stops early (a closed pipe, an error) must not leave the tracing hooks on.
    blocks.return(true);
  }
}

/**
 * Container by container: evaluate on a day, find the nearest days either side on which its decisions come out
 * differently (TracingEngine.holds), evaluate again there, and so on; each evaluation's
 * records go to the days it covers (without --all-states, only to those its tasks can be Ready). With
 * --as-reported the containers change on the days docs appear: the timeline is cut into spans with the same
 * containers, and an evaluation still valid at a span's start is carried over to the same container in the
 * next span. A span is walked a block (BLOCK_DAYS) at a time: each container's first evaluation, in the middle
 * of the span, is followed back to the span's start in the first block; then each block takes every walk on
 * forward to the block's end, and its days are complete. A contact
 * whose tracing costs more than its reuse saves (contact-cost.ts, timed by `meter`) runs the plain rules once a
 * day from then on, as the naive timeline does, for the rest of the timeline (those days are run together at
 * the end of each block, without the tracing hooks). `take` limits the work to some containers (a share of a
 * parallel run). Yields each block once done; returns true at the end, or false when the rules modify `user`
 * (see `stats.fallback`): the block not yielded and the rest are then left to the caller.
 */
export function tracedSegments(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats,
  take: (spec: ContainerSpec) => boolean = () => true, meter: Meter = wallClockMeter,
): Generator<SegmentBlock, boolean> {
  return segmentsOf(sim, clock, days, options, stats, take, meter);
}

function* segmentsOf(
  sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats,
  take: (spec: ContainerSpec) => boolean, meter: Meter,
): Generator<SegmentBlock, boolean> {
  const engine = new TracingEngine(sim, clock, days.map((d) => d.timestamp));
  let block: Block | undefined;
  const escapes: Record<string, number> = {};
  // The rules see one user for the whole timeline (each day's copy would be equal): checked after each
  // evaluation, since rules that modify it make later containers see another user.
  clock.set(days[0]!.timestamp);
  const user = userForDay(sim);
  const before = user === null ? undefined : JSON.stringify(user);
  const userModified = (day: number): boolean => {
    if (before === undefined || JSON.stringify(user) === before) return false;
    stats.fallback = `the rules modify \`user\` (on ${days[day]!.date}); from ${days[block?.from ?? 0]!.date} on, every day re-runs every contact`;
    return true;
  };
  const costs = new Map<string, ContactCost>();
  const plainRuns = new PlainRuns();
  const naive: NonNullable<TimelineStats['wentNaive']> = { contacts: 0, reasons: {}, plainEvaluations: 0 };

  /**
   * A traced evaluation on `day`, the days [since, until) it holds (since within the span), and what it cost
   * (the rules and the search for those days) — charged to its contact with the days it is listed on.
   */
  const trace = (spec: ContainerSpec, day: number, span: Block, witness?: TracedEvaluation, logging = true) => {
    const { value, ms } = meter('traced', () => {
      clock.set(days[day]!.timestamp);
      const entry = engine.evaluate(spec, day, user, logging);
      stats.evaluations++;
      if (userModified(day)) return undefined;
      if (entry.escaped) escapes[entry.escaped] = (escapes[entry.escaped] ?? 0) + 1;
      const { since, until, runs } = engine.holds(entry, witness, spec, user, day, span.start, span.end, days.length);
      stats.targetsAlone = (stats.targetsAlone ?? 0) + runs;
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
    place(put, spec.index, { records, escaped: 'plain', predicates: [] }, day, day + 1, days, options);
  };
  const model = new CostModel();
  /** Charges a traced evaluation to its contact and to the model of what tracing costs. */
  const charge = (spec: ContainerSpec, cost: ContactCost, ms: number, covered: number) => {
    cost.addTraced(ms, covered);
    model.addTraced(spec.key, ms, covered);
  };
  const goNaive = (walk: Walk, reason: NaiveReason) => {
    walk.cost.naive = reason;
    model.wentNaive();
    naive.contacts++;
    naive.reasons[reason] = (naive.reasons[reason] ?? 0) + 1;
  };

  /*
   * Segments wait in the bucket of every block they reach (a walk may cover days of later blocks: an evaluation
   * holds on, the first one is in the middle of the span); a block's days read only its own days of them.
   */
  const buckets = new Map<number, Segment[]>();
  const put = (segment: Segment) => {
    const { start } = block!;
    for (let b = start + Math.floor((segment.from - start) / BLOCK_DAYS) * BLOCK_DAYS; b < segment.to; b += BLOCK_DAYS) {
      let bucket = buckets.get(b);
      if (!bucket) buckets.set(b, (bucket = []));
      bucket.push(segment);
    }
  };

  /**
   * Where a container's walk over its span stands: the days [lo, hi) are covered; `last` is the traced
   * evaluation covering hi - 1 (if one does), with how long it holds; `low` and `high` are the latest traced
   * evaluations of the walk each way (witnesses for the next: trace-witness.ts; any evaluation of the container
   * on another day is one, the nearest takes the likeliest path). A contact gone naive has days left to run
   * plainly (`plainDays`), a block at a time.
   */
  interface Walk {
    spec: ContainerSpec;
    cost: ContactCost;
    lo: number;
    hi: number;
    last: { entry: TracedEvaluation; until: number } | undefined;
    low: TracedEvaluation;
    high: TracedEvaluation;
    /** Its evaluations in this block, whose witnesses are dropped at the block's end. */
    evaluated: TracedEvaluation[];
    plainDays?: { from: number; to: number }[];
  }
  let walks = new Map<ContainerSpec, Walk>();
  let carried = new Map<string, { entry: TracedEvaluation; until: number }>();

  /**
   * Each further day to compute is traced, or probed (run plainly, timed), or — once the contact went naive —
   * left with every day not covered yet to the plain rules.
   */
  const next = (walk: Walk, day: number): 'trace' | 'probed' | 'naive' | undefined => {
    const verdict = walk.cost.verdict(plainRuns.typical());
    if (verdict === 'trace') return 'trace';
    if (verdict === 'probe') {
      const probe = plain(walk.spec, day);
      if (!probe.ok) return undefined;
      walk.cost.addProbe(probe.ms);
      plainRuns.add(probe.ms);
      return 'probed';
    }
    goNaive(walk, verdict);
    return 'naive';
  };

  /** A contact gone naive runs plainly on every day of its span its walk has not covered. */
  const uncovered = (walk: Walk, span: Block) => [{ from: span.start, to: walk.lo }, { from: walk.hi, to: span.end }];

  /**
   * A container's walk, started on the first block of its span: carried from the span before, or a first
   * evaluation in the middle of the span with its decisions followed back to the span's start (for a contact
   * gone naive, the days it runs plainly). False: the rules modify `user`.
   */
  const startWalk = (spec: ContainerSpec, span: Block): Walk | false => {
    let cost = costs.get(spec.key);
    if (!cost) costs.set(spec.key, (cost = new ContactCost()));
    const naiveWalk = (plainDays: { from: number; to: number }[]): Walk => ({
      spec, cost: cost!, lo: span.start, hi: span.end, last: undefined, low: undefined!, high: undefined!, evaluated: [], plainDays,
    });
    if (cost.naive) return naiveWalk([{ from: span.start, to: span.end }]);
    let lo: number;
    let hi: number;
    let last = carried.get(spec.json);
    if (last && last.until > span.start) {
      lo = span.start;
      hi = Math.min(last.until, span.end);
      stats.reused += hi - lo;
      cost.addCarried(hi - lo);
    } else {
      // The first evaluation is in the middle of the span, and its decisions are followed both ways: a day
      // whose calendar numbers are ordinary (not January's month 0, which equals every first index and
      // empty count) ties fewer values to the clock by coincidence, so it tends to hold longer.
      const anchor = span.start + ((span.end - span.start) >> 1);
      if (cost.traced === 0 && model.probeFirst()) {
        const probe = plain(spec, anchor, true);
        if (!probe.ok) return false;
        cost.addProbe(probe.ms);
        plainRuns.add(probe.ms);
        if (model.naive(probe.ms)) {
          const walk = naiveWalk([{ from: span.start, to: anchor }, { from: anchor + 1, to: span.end }]);
          goNaive(walk, NAIVE_REASONS.predicted);
          listPlain(spec, anchor, probe.records);
          return walk;
        }
      }
      // (Unlogged: most first evaluations hold for the span, and the others are refuted by the next ones.)
      const first = trace(spec, anchor, span, undefined, false);
      if (!first) return false;
      last = { entry: first.entry, until: first.until };
      lo = first.since;
      hi = Math.min(first.until, span.end);
      charge(spec, cost, first.ms, hi - lo);
      stats.reused += hi - lo - 1;
    }
    place(put, spec.index, last.entry, lo, hi, days, options);
    const walk: Walk = { spec, cost, lo, hi, last, low: last.entry, high: last.entry, evaluated: [last.entry] };
    while (walk.lo > span.start) {
      const how = next(walk, walk.lo - 1);
      if (how === undefined) return false;
      if (how === 'naive') break;
      if (how === 'probed') {
        walk.lo--;
        continue;
      }
      const earlier = trace(spec, walk.lo - 1, span, walk.low);
      if (!earlier) return false;
      walk.low = earlier.entry;
      walk.evaluated.push(earlier.entry);
      charge(spec, cost, earlier.ms, walk.lo - earlier.since);
      stats.reused += walk.lo - earlier.since - 1;
      place(put, spec.index, earlier.entry, earlier.since, walk.lo, days, options);
      walk.lo = earlier.since;
    }
    if (cost.naive) walk.plainDays = uncovered(walk, span);
    return walk;
  };

  /** The walk's days up to the block's end, forward. False: the rules modify `user`. */
  const walkOn = (walk: Walk, span: Block): boolean => {
    while (!walk.cost.naive && walk.hi < span.to) {
      const how = next(walk, walk.hi);
      if (how === undefined) return false;
      if (how === 'naive') {
        walk.plainDays = uncovered(walk, span);
        break;
      }
      if (how === 'probed') {
        walk.hi++;
        walk.last = undefined;
        continue;
      }
      // (The first evaluation is not logged: the last one before it is then the nearest witness.)
      const later = trace(walk.spec, walk.hi, span, walk.high.witness ? walk.high : walk.low);
      if (!later) return false;
      walk.high = later.entry;
      walk.evaluated.push(later.entry);
      walk.last = { entry: later.entry, until: later.until };
      const to = Math.min(later.until, span.end);
      charge(walk.spec, walk.cost, later.ms, to - walk.hi);
      stats.reused += to - walk.hi - 1;
      place(put, walk.spec.index, later.entry, walk.hi, to, days, options);
      walk.hi = to;
    }
    return true;
  };

  const runBlock = (span: Block, untraced: Untraced): boolean => {
    if (span.from === span.start) walks = new Map();
    for (const spec of span.specs) {
      if (!take(spec)) continue;
      let walk = walks.get(spec);
      if (!walk) {
        const started = startWalk(spec, span);
        if (started === false) return false;
        walks.set(spec, (walk = started));
      }
      if (!walkOn(walk, span)) return false;
      // (What witnesses need is dropped once the container's block is done: it is the bulk of an evaluation's
      // memory. Keeping the latest for the next block's first evaluation saved 0.5% of them for 35% more memory.)
      for (const entry of walk.evaluated) entry.witness = undefined;
      walk.evaluated = [];
      walk.low = walk.high;
    }
    // The days of naive contacts in this block, together (in any order: segments are listed in container order).
    const plainDone = untraced(() => {
      for (const walk of walks.values()) {
        for (const range of walk.plainDays ?? []) {
          for (let day = Math.max(range.from, span.from); day < Math.min(range.to, span.to); day++) if (!plain(walk.spec, day).ok) return false;
        }
      }
      return true;
    });
    if (!plainDone) return false;
    if (span.to === span.end) {
      const carry = new Map<string, { entry: TracedEvaluation; until: number }>();
      for (const walk of walks.values()) if (!walk.cost.naive && walk.last) carry.set(walk.spec.json, walk.last);
      carried = carry;
      walks = new Map();
    }
    return true;
  };

  // The hooks stay on between blocks: installing them again would make the JIT drop the code it compiled
  // for the built-ins they wrap. (The caller lists a block's days meanwhile: no trace is current then.)
  const tracing = startTracing();
  try {
    for (const span of blocks(spans(sim, days))) {
      block = span;
      const done = runBlock(span, tracing.untraced);
      // (Counts are cumulative: the stats are right after each block, also when the caller stops reading.)
      if (Object.keys(escapes).length) stats.untraced = { ...stats.untraced, ...escapes };
      if (naive.plainEvaluations) stats.wentNaive = naive;
      if (!done) return false;
      const segments = buckets.get(span.from) ?? [];
      buckets.delete(span.from);
      yield { from: span.from, to: span.to, segments };
    }
  } finally {
    tracing.stop();
  }
  return true;
}

type Span = { from: number; to: number; specs: ContainerSpec[] };
/**
 * A block of a span: its days [from, to), and the span's first day and end (`start`, `end`): an evaluation is
 * charged (contact-cost.ts) and refuted (trace-witness.ts) for the days it holds in its span, not in its block.
 */
type Block = Span & { start: number; end: number };

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

/** The spans cut into blocks of at most BLOCK_DAYS days. */
function* blocks(list: readonly Span[]): Generator<Block> {
  for (const span of list) {
    for (let from = span.from; from < span.to; from += BLOCK_DAYS) {
      yield { from, to: Math.min(from + BLOCK_DAYS, span.to), specs: span.specs, start: span.from, end: span.to };
    }
  }
}
