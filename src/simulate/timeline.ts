import type { SimulatedClock } from './clock.js';
import { evaluateContainer, userForDay, type Simulation } from './engine.js';
import { formatDay } from './moment-compat.js';
import { readySpan, taskRecord, tasksOfDay, type TaskRecord, type TaskResult } from './tasks.js';
import { TracingEngine, type TracedEvaluation } from './trace-engine.js';
import { withTracing } from './tracer.js';

export interface Day {
  /** `YYYY-MM-DD` (local). */
  date: string;
  /** The instant of the evaluation (the day at --at, local). */
  timestamp: number;
}

export interface DayTasks extends Day {
  tasks: TaskResult[];
}

export interface TimelineOptions {
  allStates: boolean;
  /** Re-run every container every day with the original rules (the reference the optimisation is tested against). */
  naive?: boolean;
  /** Called once per day, after its tasks are computed (progress). */
  onDay?: (day: DayTasks) => void;
}

export interface TimelineStats {
  days: number;
  containers: number;
  /** Container evaluations (runs of the user's rules). */
  evaluations: number;
  /** Container-days answered from an earlier evaluation. */
  reused: number;
  /** Evaluations whose tracing stopped (valid for their own day only), by reason. */
  untraced?: Record<string, number>;
  /** Why the optimisation was switched off part-way, if it was. */
  fallback?: string;
}

export interface Timeline {
  days: DayTasks[];
  stats: TimelineStats;
}

/**
 * Tasks day by day. A container's emissions are a function of its docs, the user, the globals and the clock.
 * The naive timeline re-runs the rules of every container every day. The optimised one runs an instrumented
 * copy of the rules that records every decision taken on a clock-derived value (trace-runtime.ts), and reuses
 * an evaluation on later days as long as those decisions come out the same — which is checked by replaying
 * them, not by running the rules. Task states are always recomputed per day.
 */
export function runTimeline(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions): Timeline {
  const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
  // One day has nothing to reuse: the original rules, without the tracing overhead.
  if (options.naive || days.length === 1) return { days: naiveDays(sim, clock, days, options, stats), stats };
  return withTracing(() => ({ days: tracedDays(sim, clock, days, options, stats), stats }));
}

function ownedBy(sim: Simulation): { ownedBy?: string } {
  return sim.fixtures.ownedBySubject && sim.fixtures.subjectId !== undefined ? { ownedBy: sim.fixtures.subjectId } : {};
}

function naiveDays(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats): DayTasks[] {
  return days.map((day) => {
    clock.set(day.timestamp);
    const user = userForDay(sim);
    const records: TaskRecord[] = [];
    for (const spec of sim.containersAt(day.timestamp)) {
      const emissions = evaluateContainer(sim, spec, clock, user);
      stats.evaluations++;
      for (const raw of emissions.tasks) records.push(taskRecord(raw, day.timestamp, spec.index));
    }
    return finish(sim, day, records, options);
  });
}

function tracedDays(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats): DayTasks[] {
  const engine = new TracingEngine(sim, clock, days.map((d) => d.timestamp));
  // Keyed by the container's docs (JSON): with --as-reported a contact's container changes when a report appears.
  const cache = new Map<string, TracedEvaluation>();
  const untraced: Record<string, number> = {};
  let reuse = true;
  return days.map((day, dayIndex) => {
    clock.set(day.timestamp);
    const user = userForDay(sim);
    const before = user === null ? undefined : JSON.stringify(user);
    const specs = sim.containersAt(day.timestamp);
    if (sim.asReported && cache.size > specs.length * 2) {
      const current = new Set(specs.map((s) => s.json));
      for (const key of cache.keys()) if (!current.has(key)) cache.delete(key);
    }
    const today = formatDay(day.timestamp);
    const records: TaskRecord[] = [];
    const add = (entry: TracedEvaluation) => {
      // Without --all-states only Ready tasks count, so contacts with nothing Ready today are skipped.
      if (!options.allStates) {
        if (entry.ready === undefined) entry.ready = readySpan(entry.records);
        if (entry.ready === null || today < entry.ready.from || today > entry.ready.to) return;
      }
      for (const r of entry.records) records.push(r);
    };
    for (const spec of specs) {
      const cached = reuse ? cache.get(spec.json) : undefined;
      if (cached && engine.holds(cached, dayIndex)) {
        stats.reused++;
        add(cached);
        continue;
      }
      const evaluated = engine.evaluate(spec, dayIndex, user);
      stats.evaluations++;
      if (evaluated.escaped) untraced[evaluated.escaped] = (untraced[evaluated.escaped] ?? 0) + 1;
      cache.set(spec.json, evaluated);
      add(evaluated);
    }
    if (before !== undefined && JSON.stringify(user) !== before && reuse) {
      // The rules changed `user` during the day: later containers saw a different user than cached ones did.
      reuse = false;
      stats.fallback = `the rules modify \`user\` (on ${day.date}); every later day re-runs every contact`;
    }
    if (Object.keys(untraced).length) stats.untraced = untraced;
    return finish(sim, day, records, options);
  });
}

function finish(sim: Simulation, day: Day, records: TaskRecord[], options: TimelineOptions): DayTasks {
  const dayTasks: DayTasks = { ...day, tasks: tasksOfDay(records, day.timestamp, { allStates: options.allStates, ...ownedBy(sim) }) };
  options.onDay?.(dayTasks);
  return dayTasks;
}
