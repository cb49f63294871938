/**
 * The dry-run: cht-core's rules engine answer (tasks, targets) for fixture docs at given dates, computed in
 * Node without a browser. Pure functions of their inputs; nothing here prints.
 */
import path from 'node:path';
import { UserError } from '../errors.js';
import { consoleSubject } from '../user-console.js';
import type { ContainerSpec } from './engine/containers.js';
import { intervalAt, intervalForMonth, type Interval } from './engine/calendar-interval.js';
import { daysBetween, localTimestamp, withSimulatedClock, type SimulatedClock } from './engine/clock.js';
import { loadAppSettings, loadProject, type RulesConfig } from './engine/config.js';
import { definitionsLoader } from './explain/definitions.js';
import { describeEvaluation, prepareSimulation, RulesThrew, type Simulation } from './engine/simulation.js';
import { explainTask, type TaskExplanation } from './explain/explain-tasks.js';
import { loadFixtures, type Fixtures } from './engine/fixtures.js';
import { formatDay } from './engine/moment-compat.js';
import type { TargetExplanation, TargetResult } from './engine/targets.js';
import { targetsAt } from './engine/targets-day.js';
import type { TaskResult } from './engine/tasks.js';
import { loadFastTimeline, startTimelineThreads, stopTimelineThreads, timelineOf, type TimelineThreads } from './timeline.js';
import type { Day, TimelineStats } from './engine/timeline.js';
import { userCodeError } from './engine/user-code-error.js';

export type { TaskResult, TargetResult, TaskExplanation, TargetExplanation, TimelineStats };
export { resolveTimeZone } from './engine/clock.js';
export { isContactDoc } from './engine/containers.js';
export { DEFAULT_FIXTURE_FILE, defaultFixtureFile, loadFixtures } from './engine/fixtures.js';

export type ConfigSource = { kind: 'project'; dir: string } | { kind: 'app-settings'; file: string };

export interface LoadedDryRun {
  config: RulesConfig;
  fixtures: Fixtures;
}

/**
 * Compiles (or reads) the config and reads the fixtures; `cache`: compile through the compile cache, and keep the
 * traced timeline's instrumented rules there (for compiled settings, in the cache folder of their directory).
 */
export async function loadDryRun(source: ConfigSource, fixtureFiles: readonly string[], options: { cache?: boolean } = {}): Promise<LoadedDryRun> {
  const fixtures = loadFixtures(fixtureFiles);
  if (source.kind === 'project') return { config: await loadProject(source.dir, options), fixtures };
  const config = loadAppSettings(source.file);
  if (options.cache === true) {
    const { cacheDirFor } = await import('../bundle/compile-cache.js');
    config.cacheDir = cacheDirFor(path.dirname(source.file), process.env);
  }
  return { config, fixtures };
}

export interface TimeOptions {
  tz: string;
  /** Local time of day of each evaluation. */
  at: { hours: number; minutes: number };
  /** --roles (overrides the fixtures' userRoles). */
  roles?: string[];
  /** --as-reported: on each day only the docs reported by then exist. */
  asReported?: boolean;
}

export interface TasksRequest extends TimeOptions {
  from: string;
  to: string;
  allStates: boolean;
  /** Re-run all rules every day (no reuse): the reference timeline (`--no-reuse`). */
  naive?: boolean;
  /**
   * `always` (the default): the optimised timeline; `auto` (the CLI's): the first day runs plainly and is timed,
   * and a timeline too small for tracing to pay runs plainly throughout.
   */
  reuse?: 'auto' | 'always';
  /** Worker threads for a long timeline (default: chosen from its size and the cores; 1: this thread only). */
  threads?: number;
  /** A task name or an emission `_id` to explain. */
  explain?: string;
}

/** A day of a tasks dry-run: the tasks shown (or, with allStates, considered) that day. */
export interface TasksDay {
  date: string;
  tasks: TaskResult[];
}

/** A tasks dry-run without its days (which `streamTasks` hands over one at a time). */
export interface TasksRun {
  tz: string;
  from: string;
  to: string;
  at: string;
  stats: TimelineStats;
  notes: string[];
  explanation?: TaskExplanation;
}

export interface TasksOutput extends TasksRun {
  days: TasksDay[];
}

function atText(at: { hours: number; minutes: number }): string {
  return `${String(at.hours).padStart(2, '0')}:${String(at.minutes).padStart(2, '0')}`;
}

async function simulate<T>(
  loaded: LoadedDryRun, options: TimeOptions, start: string, fn: (sim: Simulation, clock: SimulatedClock) => Promise<T> | T,
  beforePreparing?: () => void,
): Promise<T> {
  return withSimulatedClock(options.tz, 0, async (clock) => {
    clock.set(localTimestamp(start, options.at));
    beforePreparing?.();
    const sim = prepareSimulation(loaded.config, loaded.fixtures, {
      ...(options.roles ? { roles: options.roles } : {}),
      ...(options.asReported ? { asReported: true } : {}),
    });
    consoleSubject.describe = (spec) => describeEvaluation(spec as ContainerSpec, clock.now());
    try {
      return await fn(sim, clock);
    } catch (err) {
      if (err instanceof RulesThrew) {
        throw userCodeError(sim, err.thrown, err.container, formatDay(clock.now()));
      }
      throw err;
    } finally {
      consoleSubject.describe = undefined;
    }
  });
}

function notesOf(loaded: LoadedDryRun, sim: Simulation): string[] {
  const notes = [...loaded.fixtures.notes];
  if (sim.user === null) notes.push('The fixtures name no user: `user` is null in the rules and target contexts.');
  for (const t of sim.hiddenTargets) notes.push(`target ${t.id} is hidden from this user by its context ${JSON.stringify(t.context)}.`);
  const perms = loaded.config.permissions as Record<string, unknown> | undefined;
  const can = (p: string) => {
    const roles = perms?.[p];
    return Array.isArray(roles) && (sim.roles.includes('_admin') || sim.roles.some((r) => roles.includes(r)));
  };
  if (perms && sim.roles.length && !can('can_view_tasks')) {
    notes.push(`roles ${sim.roles.join(', ')} lack can_view_tasks: in the app this user would see no tasks at all.`);
  }
  return notes;
}

/** The tasks shown (or, with allStates, considered) on each day from..to, all in memory. */
export async function dryRunTasks(loaded: LoadedDryRun, request: TasksRequest): Promise<TasksOutput> {
  const days: TasksDay[] = [];
  const run = await streamTasks(loaded, request, (day) => {
    days.push(day);
  });
  return { ...run, days };
}

/**
 * The same, a day at a time: `onDay` gets each day in order as soon as it is computed, and is awaited (so a
 * slow consumer — a pipe — holds the run back instead of letting days pile up in memory). It runs inside the
 * simulated clock and zone. Nothing is kept once `onDay` has a day. With `explain`, no day is handed over: the
 * explanation is in the result.
 */
export async function streamTasks(
  loaded: LoadedDryRun, request: TasksRequest, onDay: (day: TasksDay) => void | Promise<void>,
): Promise<TasksRun> {
  if (request.from > request.to) {
    throw new UserError(`--from ${request.from} is after --to ${request.to}.`, { code: 'CHT_E_DATES' });
  }
  const explainer = request.explain !== undefined ? await definitionsLoader(loaded.config) : undefined;
  if (request.from !== request.to) await loadFastTimeline();
  let days: Day[] = [];
  let threads: TimelineThreads | undefined;
  // The days (in the simulated zone) and the worker threads, before this thread prepares its simulation.
  const early = () => {
    days = daysBetween(request.from, request.to).map((date) => ({ date, timestamp: localTimestamp(date, request.at) }));
    if (request.explain === undefined) threads = startTimelineThreads(loaded, request, days);
  };
  try {
    return await simulate(loaded, request, request.from, tasksOn, early);
  } finally {
    // (Read to its end, the timeline has stopped them already.)
    if (threads) stopTimelineThreads(threads);
  }

  /** The run, once `early` has set the days and the threads. */
  async function tasksOn(sim: Simulation, clock: SimulatedClock): Promise<TasksRun> {
    const base = { tz: request.tz, from: request.from, to: request.to, at: atText(request.at) };
    if (request.explain !== undefined) {
      const explanation = explainTask(sim, clock, days, request.explain, explainer);
      return { ...base, stats: { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 }, notes: notesOf(loaded, sim), explanation };
    }
    const timeline = await timelineOf(loaded, request, sim, clock, days, threads);
    // (Counts in timeline.stats are complete once every day was read.)
    for await (const day of timeline.days) {
      const pending = onDay({ date: day.date, tasks: day.tasks });
      if (pending) await pending;
    }
    return { ...base, stats: timeline.stats, notes: notesOf(loaded, sim) };
  }
}

export interface TargetsRequest extends TimeOptions {
  /** A day (its interval), or... */
  date?: string;
  /** ...a month `YYYY-MM` (the interval cht-core names after it). */
  month?: string;
  explain?: string;
}

export interface TargetsOutput {
  tz: string;
  /** The day targets were evaluated on. */
  date: string;
  at: string;
  interval: { start: string; end: string };
  targets: TargetResult[];
  notes: string[];
  explanation?: TargetExplanation & { contactNames: Record<string, string>; interval: { start: string; end: string } };
}

/**
 * Targets for the interval containing `date`, or for `month` (evaluated on the interval's last day, when a
 * phone last refreshes them before the interval turns over).
 */
export async function dryRunTargets(loaded: LoadedDryRun, request: TargetsRequest): Promise<TargetsOutput> {
  const startDay = request.date ?? `${request.month ?? '1970-01'}-01`;
  return simulate(loaded, request, startDay, (sim, clock) => {
    let interval: Interval;
    let date: string;
    if (request.month !== undefined) {
      const [y, m] = request.month.split('-').map(Number) as [number, number];
      interval = intervalForMonth(loaded.config.monthStartDate, y, m);
      date = formatDay(interval.end);
    } else {
      date = request.date!;
      interval = intervalAt(loaded.config.monthStartDate, localTimestamp(date, request.at));
    }
    const now = localTimestamp(date, request.at);
    const { targets, explanation } = targetsAt(sim, clock, now, interval, request.explain);
    const span = { start: formatDay(interval.start), end: formatDay(interval.end) };
    const notes = notesOf(loaded, sim);
    if (request.explain !== undefined && !sim.config.targets.some((t) => String(t.id) === request.explain)) {
      notes.push(`No target has the id "${request.explain}". Targets: ${sim.config.targets.map((t) => t.id).join(', ') || '(none)'}.`);
    }
    return {
      tz: request.tz,
      date,
      at: atText(request.at),
      interval: span,
      targets,
      notes,
      ...(explanation ? { explanation: { ...explanation, interval: span } } : {}),
    };
  });
}

export interface MonthTargets {
  /** YYYY-MM: the month cht-core names the interval after (the month of its end). */
  month: string;
  interval: { start: string; end: string };
  /** The day they were evaluated on: the interval's last day, as `dryRunTargets` with `month` does. */
  date: string;
  targets: TargetResult[];
}

/**
 * Targets for every reporting interval that overlaps from..to, each as `dryRunTargets` with `month` gives it
 * (evaluated on the interval's last day, also for the interval the span ends inside), in one simulation.
 */
export async function dryRunTargetsForSpan(loaded: LoadedDryRun, request: TimeOptions & { from: string; to: string }): Promise<MonthTargets[]> {
  return simulate(loaded, request, request.from, (sim, clock) => {
    const [fy, fm] = request.from.split('-').map(Number) as [number, number];
    const [ty, tm] = request.to.split('-').map(Number) as [number, number];
    const months: MonthTargets[] = [];
    // An interval that starts on day d > 1 is named after the month it ends in: the span can touch the one
    // named after the month after `to`, and the one named after `from`'s month may end before `from`.
    for (let i = fy * 12 + fm - 1; i <= ty * 12 + tm; i++) {
      const y = Math.floor(i / 12);
      const m = (i % 12) + 1;
      const interval = intervalForMonth(loaded.config.monthStartDate, y, m);
      const span = { start: formatDay(interval.start), end: formatDay(interval.end) };
      if (span.end < request.from || span.start > request.to) continue;
      const now = localTimestamp(span.end, request.at);
      const { targets } = targetsAt(sim, clock, now, interval);
      months.push({ month: `${y}-${String(m).padStart(2, '0')}`, interval: span, date: span.end, targets });
    }
    return months;
  });
}
