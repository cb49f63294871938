import type { SimulatedClock } from './engine/clock.js';
import type { Simulation, SimulationOptions } from './engine/simulation.js';
import { naiveTimeline, type Day, type DayTasks, type Timeline, type TimelineOptions, type TimelineStats } from './engine/timeline.js';
import type { ParallelRun, ShareInput, Shares } from './fast/parallel.js';
import { isContactDoc, type ContainerSpec } from './engine/containers.js';
import type { RulesConfig } from './engine/config.js';
import type { Fixtures } from './engine/fixtures.js';

type Fast = typeof import('./fast/timeline.js') & typeof import('./fast/parallel.js') & typeof import('./fast/share.js');
let fast: Fast | undefined;

/**
 * Loads fast/ — the tracer with its parser (acorn) and scope analysis (eslint-scope), about a tenth of a
 * one-day run's start-up — for timelines of more than one day; a single day never needs it.
 */
export async function loadFastTimeline(): Promise<void> {
  if (fast) return;
  const [timeline, parallel, share] = await Promise.all([import('./fast/timeline.js'), import('./fast/parallel.js'), import('./fast/share.js')]);
  fast = { ...timeline, ...parallel, ...share };
}

function fastTimeline(): Fast {
  if (!fast) throw new Error('loadFastTimeline() must run before a timeline of more than one day');
  return fast;
}

/**
 * About what tracing costs before it saves anything: instrumenting the bundle, warming up the traced code, a
 * first traced evaluation of every contact (measured 0.1–0.3 s of CPU on small projects). A timeline whose
 * remaining days, run plainly, cost less than this would only be slowed down by tracing.
 */
export const TRACING_START_MS = 400;
/** Plain days timed before choosing: the first ones run cold (the JIT has not compiled the rules yet). */
const PROBE_DAYS = 8;
const PROBE_MS = 50;

/** Whether to trace, from the cost of a plain day (once warm) and the days left: tracing must be able to pay. */
export function worthTracing(plainDayMs: number, daysLeft: number): boolean {
  return plainDayMs * daysLeft > TRACING_START_MS;
}

/**
 * Which timeline runs: the engine's naive one (every container every day) or the optimised one (fast/), which
 * gives the same days. A single day, or `naive`, runs the original rules without the tracing overhead. With
 * `auto`, the first days run plainly and are timed (a few, until the rules are warm): when the rest run so would
 * cost less than tracing starts with, they run plainly too; else the optimised timeline takes the rest.
 */
export function runTimeline(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, auto = false): Timeline {
  const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
  if (options.naive || days.length === 1) return naiveTimeline(sim, clock, days, options, stats);
  if (!auto) return tracedOrNaive(sim, clock, days, options, stats);
  const plain = naiveTimeline(sim, clock, days, options, stats).days[Symbol.iterator]();
  const probed: DayTasks[] = [];
  let spent = 0;
  let fastest = Number.POSITIVE_INFINITY;
  while (probed.length < Math.min(PROBE_DAYS, days.length) && (probed.length === 0 || spent < PROBE_MS)) {
    const started = performance.now();
    const next = plain.next();
    const ms = performance.now() - started;
    if (next.done) break;
    probed.push(next.value);
    spent += ms;
    fastest = Math.min(fastest, ms);
  }
  const rest = days.slice(probed.length);
  if (rest.length === 0 || !worthTracing(fastest, rest.length)) {
    stats.plainly = `its days cost ${fastest.toFixed(1)} ms each run plainly, less in all than tracing starts with`;
    return { days: chain(probed, { [Symbol.iterator]: () => plain }), stats };
  }
  const more = tracedOrNaive(sim, clock, rest, options, stats);
  return { days: chain(probed, more.days), stats: more.stats };
}

/** Some days, then the others as they are read. */
function* chain(first: readonly DayTasks[], rest: Iterable<DayTasks>): Generator<DayTasks> {
  yield* first;
  yield* rest;
}

function tracedOrNaive(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions, stats: TimelineStats): Timeline {
  // (Rules that modify `user` turn it to the naive timeline from the block where that is seen: stats.fallback.)
  return { days: fastTimeline().tracedTimeline(sim, clock, days, options, stats), stats };
}

export interface TimelineRequest {
  allStates: boolean;
  naive?: boolean;
  /** Run plainly when the first day shows tracing could not pay (see runTimeline). */
  reuse?: 'auto' | 'always';
  threads?: number;
  roles?: string[];
  asReported?: boolean;
  tz: string;
}

type Loaded = { config: RulesConfig; fixtures: Fixtures };

/** The worker threads a timeline runs on, started before this thread prepared its simulation (startTimelineThreads). */
export interface TimelineThreads {
  /** Threads in all, this one included. */
  threads: number;
  shares: Shares;
}

/**
 * Starts the worker threads of a timeline that runs on several as soon as the config and fixtures are loaded, so
 * that they load and prepare their simulation while this thread prepares its own (started after it, a worker
 * began a year of 10,000 patients ~1.3 s after this thread, whose head start then made it the last to finish).
 * The threads are chosen from the contact docs (the containers are not built yet). Undefined: one thread, or
 * fixtures not read from files (timelineOf then starts the workers with the containers). The caller stops them
 * (stopShares) when the timeline is not read to its end.
 */
export function startTimelineThreads(input: Loaded, request: TimelineRequest, days: Day[]): TimelineThreads | undefined {
  const { fixtures } = input;
  if (request.naive || request.allStates || days.length < 2 || !fastTimeline().fixturesHaveTexts(fixtures)) return undefined;
  let contacts = 0;
  for (const doc of fixtures.docs) if (isContactDoc(doc)) contacts++;
  const threads = fastTimeline().threadsFor(contacts * days.length, request.threads);
  if (threads < 2) return undefined;
  // (Every container holds a doc: there are no more of them than docs.)
  return { threads, shares: fastTimeline().startShares(shareInput(input, request, days), fixtures.docs.length, threads) };
}

/** Stops the workers of `threads` (again: they may have stopped). */
export function stopTimelineThreads(threads: TimelineThreads): void {
  fastTimeline().stopShares(threads.shares);
}

/** What a worker is given (see ShareInput): the containers are sent only when the fixtures' texts are not at hand. */
function shareInput(input: Loaded, request: TimelineRequest, days: Day[], containers?: ContainerSpec[]): Omit<ShareInput, 'part' | 'claims' | 'consoleLines'> {
  const options: SimulationOptions = { ...(request.roles ? { roles: request.roles } : {}), ...(request.asReported ? { asReported: true } : {}) };
  return { config: { ...input.config, extensionLibs: {} }, fixtures: fastTimeline().sharedFixtures(input.fixtures, containers), options, tz: request.tz, days };
}

/**
 * The timeline on worker threads when it is large (Ready tasks only: --all-states lists every emission, and
 * runs on one thread), else — or when a worker could not finish — on this one. `early`: the workers already
 * started for it.
 */
export async function timelineOf(
  input: Loaded, request: TimelineRequest, sim: Simulation, clock: SimulatedClock, days: Day[], early?: TimelineThreads,
): Promise<{ days: Iterable<DayTasks> | AsyncIterable<DayTasks>; stats: TimelineStats }> {
  const options = { allStates: request.allStates, ...(request.naive ? { naive: true } : {}) };
  const threads = early ? early.threads
    : request.naive || request.allStates || days.length < 2 ? 1 : fastTimeline().threadsFor(sim.containers.length * days.length, request.threads);
  if (threads > 1) {
    const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0, threads };
    const shares = early?.shares ?? fastTimeline().startShares(shareInput(input, request, days, sim.containers), sim.containers.length, threads);
    return { days: parallelDays(shares, request, sim, clock, days, options, stats), stats };
  }
  return runTimeline(sim, clock, days, options, request.reuse === 'auto');
}

/**
 * The days of a timeline on `threads` threads, a block at a time as the threads finish it. When a share cannot
 * go on, the rest of the days run on this thread (runTimeline), which gives the answer or the error with all
 * its details; the counts are then those of both.
 */
async function* parallelDays(
  shares: Shares, request: TimelineRequest, sim: Simulation, clock: SimulatedClock, days: Day[], options: TimelineOptions, stats: TimelineStats,
): AsyncGenerator<DayTasks> {
  const { parallelBlocks, tracedShare, daysFromSegments } = fastTimeline();
  const run: ParallelRun = { stats: { evaluations: 0, reused: 0 } };
  const blocks = parallelBlocks(shares, (take) => tracedShare(sim, clock, days, take, false), run);
  for await (const block of blocks) yield* daysFromSegments(sim, days, block.segments, options, block.from, block.to);
  Object.assign(stats, run.stats);
  if (!run.stopped) return;
  // From the first day no block covered, on one thread.
  if (run.stopped.from === 0) delete stats.threads;
  const rest = runTimeline(sim, clock, days.slice(run.stopped.from), options, request.reuse === 'auto');
  yield* rest.days;
  const { evaluations, reused, targetsAlone, ...more } = rest.stats;
  Object.assign(stats, more, { days: days.length, evaluations: stats.evaluations + evaluations, reused: stats.reused + reused });
  if (targetsAlone) stats.targetsAlone = (stats.targetsAlone ?? 0) + targetsAlone;
}
