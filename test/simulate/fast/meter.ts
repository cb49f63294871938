import path from 'node:path';
import { loadDryRun, type TasksRequest } from '../../../src/simulate/index.js';
import { daysBetween, localTimestamp, withSimulatedClock } from '../../../src/simulate/engine/clock.js';
import { prepareSimulation } from '../../../src/simulate/engine/simulation.js';
import { naiveTimeline, type TimelineStats } from '../../../src/simulate/engine/timeline.js';
import type { Meter } from '../../../src/simulate/fast/contact-cost.js';
import { tracedTimeline } from '../../../src/simulate/fast/timeline.js';

/** Traced and plain runs cost the same: tracing never costs more than it saves, so only reuse decides. */
export const evenMeter: Meter = (_kind, work) => ({ value: work(), ms: 1 });

/**
 * The optimised timeline with a given meter (decisions then depend on counts, not on this machine's speed), and
 * the naive one, on the same simulation of a project and a fixture file (its harness.defaults.json by default).
 */
export async function withMeter(dir: string, request: Omit<TasksRequest, 'naive'>, meter: Meter, fixtures = path.join(dir, 'harness.defaults.json')) {
  const loaded = await loadDryRun({ kind: 'project', dir }, [fixtures]);
  const dates = daysBetween(request.from, request.to);
  return withSimulatedClock(request.tz, 0, (clock) => {
    const list = dates.map((date) => ({ date, timestamp: localTimestamp(date, request.at) }));
    const sim = prepareSimulation(loaded.config, loaded.fixtures, request.asReported ? { asReported: true } : {});
    const stats: TimelineStats = { days: list.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
    const options = { allStates: request.allStates };
    // Days are computed as they are read: read them here, inside the simulated clock and zone.
    const traced = tracedTimeline(sim, clock, list, options, stats, meter);
    const optimised = traced ? [...traced] : undefined;
    const naive = naiveTimeline(sim, clock, list, options);
    return { optimised, stats, naive: { ...naive, days: [...naive.days] } };
  });
}
