import type { SimulatedClock } from './clock.js';
import { evaluateContainer, userForDay, type Simulation } from './simulation.js';
import { mayBeReady, taskRecord, tasksOfDay, type TaskRecord, type TaskResult } from './tasks.js';
import { todayOf } from './task-states.js';

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
}

export interface TimelineStats {
  days: number;
  containers: number;
  /** Container evaluations (runs of the user's rules). */
  evaluations: number;
  /** Container-days answered from an earlier evaluation. */
  reused: number;
  /**
   * Runs of the targets alone, not counted in `evaluations` (the optimised timeline's check that a change in
   * what the targets decide leaves the tasks as they were: src/simulate/fast/trace-window.ts).
   */
  targetsAlone?: number;
  /** Evaluations whose tracing stopped (valid for their own day only), by reason. */
  untraced?: Record<string, number>;
  /** Why the optimisation was switched off part-way, if it was. */
  fallback?: string;
  /** Why the whole timeline ran plainly without trying the optimisation (too small for it to pay), if it did. */
  plainly?: string;
  /**
   * The optimised timeline's fallback per contact (src/simulate/fast/contact-cost.ts): `contacts` whose tracing
   * cost more than its reuse saved, which from then on ran the plain rules once a day like the naive timeline,
   * counted by reason; `plainEvaluations`, the plain runs of the rules among `evaluations` (those days, and
   * one-day cost probes of contacts that stayed traced). Absent when there were none.
   */
  wentNaive?: { contacts: number; reasons: Record<string, number>; plainEvaluations: number };
  /** Worker threads that shared the containers (absent: this thread alone). */
  threads?: number;
}

/**
 * The days of a timeline, computed as they are read (a day at a time, so output can stream), and its stats
 * (complete once every day has been read).
 */
export interface Timeline {
  days: Iterable<DayTasks>;
  stats: TimelineStats;
}

/**
 * The reference timeline: every container's rules run every day, exactly as a phone refreshing from scratch
 * each day would. Whatever makes a timeline faster (src/simulate/fast/) must give exactly these days.
 */
export function naiveTimeline(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats?: TimelineStats): Timeline {
  const out: TimelineStats = stats ?? { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
  return { days: naiveDays(sim, clock, days, options, out), stats: out };
}

/** The only owner whose tasks a day shows, when the fixtures ask for the subject's own (ownedBySubject). */
export function ownedBy(sim: Simulation): { ownedBy?: string } {
  return sim.fixtures.ownedBySubject && sim.fixtures.subjectId !== undefined ? { ownedBy: sim.fixtures.subjectId } : {};
}

/** Each day evaluated when it is read. */
function* naiveDays(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats): Generator<DayTasks> {
  for (const day of days) {
    clock.set(day.timestamp);
    const user = userForDay(sim);
    const today = todayOf(day.timestamp);
    const records: TaskRecord[] = [];
    for (const spec of sim.containersAt(day.timestamp)) {
      const emissions = evaluateContainer(sim, spec, clock, user);
      stats.evaluations++;
      for (const raw of emissions.tasks) {
        const record = taskRecord(raw, day.timestamp, spec.index);
        // Without --all-states only the records that may be Ready are read; dropping the others at once lets
        // their emissions' containers die young instead of being copied by every collection until the day is
        // listed (a third of a large day's time went to the garbage collector).
        if (options.allStates || mayBeReady(record, today)) records.push(record);
      }
    }
    yield finishDay(sim, day, records, options);
  }
}

/** A day's task list from the task records the rules emitted for it (any evaluation that holds that day). */
export function finishDay(sim: Simulation, day: Day, records: TaskRecord[], options: TimelineOptions): DayTasks {
  const dayTasks: DayTasks = { ...day, tasks: tasksOfDay(records, day.timestamp, { allStates: options.allStates, ...ownedBy(sim) }) };
  return dayTasks;
}
