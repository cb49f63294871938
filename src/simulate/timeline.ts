import type { SimulatedClock } from './engine/clock.js';
import type { Simulation, SimulationOptions } from './engine/simulation.js';
import { naiveTimeline, type Day, type Timeline, type TimelineOptions, type TimelineStats } from './engine/timeline.js';
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
 * Which timeline runs: the engine's naive one (every container every day) or the optimised one (fast/), which
 * gives the same days. A single day, or `naive`, runs the original rules without the tracing overhead.
 */
export function runTimeline(sim: Simulation, clock: SimulatedClock, days: readonly Day[], options: TimelineOptions): Timeline {
  const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
  if (options.naive || days.length === 1) return naiveTimeline(sim, clock, days, options, stats);
  const traced = fastTimeline().tracedTimeline(sim, clock, days, options, stats);
  if (traced) return { days: traced, stats };
  // Rules that modify `user` make each container's answer depend on the ones before it that day.
  return naiveTimeline(sim, clock, days, options, { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0, fallback: stats.fallback });
}

export interface TimelineRequest {
  allStates: boolean;
  naive?: boolean;
  threads?: number;
  roles?: string[];
  asReported?: boolean;
  tz: string;
}

/**
 * The timeline on worker threads when it is large (Ready tasks only: --all-states lists every emission, and
 * runs on one thread), else — or when a worker could not finish — on this one.
 */
export async function timelineOf(
  input: { config: RulesConfig; fixtures: Fixtures }, request: TimelineRequest, sim: Simulation, clock: SimulatedClock, days: Day[],
): Promise<Timeline> {
  const options = { allStates: request.allStates, ...(request.naive ? { naive: true } : {}) };
  const threads = request.naive || request.allStates || days.length < 2 ? 1 : fastTimeline().threadsFor(sim.containers.length * days.length, request.threads);
  if (threads > 1) {
    const { parallelSegments, tracedShare, daysFromSegments } = fastTimeline();
    const simOptions: SimulationOptions = { ...(request.roles ? { roles: request.roles } : {}), ...(request.asReported ? { asReported: true } : {}) };
    const parallel = await parallelSegments(
      { config: { ...input.config, extensionLibs: {} }, fixtures: input.fixtures, options: simOptions, tz: request.tz, days }, threads,
      (take) => tracedShare(sim, clock, days, take, false),
    );
    if (parallel) {
      return {
        days: daysFromSegments(sim, days, parallel.segments, options),
        stats: { days: days.length, containers: sim.containers.length, ...parallel.stats, threads },
      };
    }
  }
  return runTimeline(sim, clock, days, options);
}
