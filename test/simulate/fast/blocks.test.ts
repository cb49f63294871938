import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dryRunTasks, loadDryRun } from '../../../src/simulate/index.js';
import { daysBetween, localTimestamp, withSimulatedClock } from '../../../src/simulate/engine/clock.js';
import { prepareSimulation } from '../../../src/simulate/engine/simulation.js';
import { naiveTimeline, type TimelineStats } from '../../../src/simulate/engine/timeline.js';
import { BLOCK_DAYS, tracedTimeline } from '../../../src/simulate/fast/timeline.js';
import { cleanupTemps, fixture } from '../../helpers/cli.js';
import { exampleAppCountingOnUser, populationFile } from '../../helpers/dry-run.js';
import { evenMeter } from './meter.js';

const at = { hours: 12, minutes: 0 };

describe('the optimised timeline, a block of days at a time', () => {
  afterAll(() => cleanupTemps());

  it('hands over its first days before the last block is computed, and the days equal the naive ones', async () => {
    const loaded = await loadDryRun({ kind: 'project', dir: fixture('example-app') }, [populationFile(60, 5)]);
    const dates = daysBetween('2024-01-01', '2024-06-30');
    expect(dates.length).toBeGreaterThan(3 * BLOCK_DAYS);
    await withSimulatedClock('Africa/Nairobi', 0, (clock) => {
      const days = dates.map((date) => ({ date, timestamp: localTimestamp(date, at) }));
      const sim = prepareSimulation(loaded.config, loaded.fixtures);
      const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
      const timeline = tracedTimeline(sim, clock, days, { allStates: false }, stats, evenMeter);
      const first = timeline.next();
      expect(first.done).toBe(false);
      const soFar = stats.evaluations;
      const rest = [...timeline];
      // The days after the first block needed evaluations that had not run when the first day was handed over.
      expect(soFar).toBeGreaterThan(0);
      expect(stats.evaluations).toBeGreaterThan(soFar);
      const naive = [...naiveTimeline(sim, clock, days, { allStates: false }).days];
      expect([first.value, ...rest]).toEqual(naive);
    });
  });

  it('a reader that stops after the first day leaves no tracing hook behind', async () => {
    const loaded = await loadDryRun({ kind: 'project', dir: fixture('example-app') }, [populationFile(20, 6)]);
    const natives = () => [Date.prototype.getTime, Date.prototype.getMonth, Object.getOwnPropertyDescriptor(Date.prototype, Symbol.toPrimitive)!.value];
    const before = natives();
    await withSimulatedClock('Africa/Nairobi', 0, (clock) => {
      const days = daysBetween('2024-01-01', '2024-09-30').map((date) => ({ date, timestamp: localTimestamp(date, at) }));
      const sim = prepareSimulation(loaded.config, loaded.fixtures);
      const stats: TimelineStats = { days: days.length, containers: sim.containers.length, evaluations: 0, reused: 0 };
      const timeline = tracedTimeline(sim, clock, days, { allStates: false }, stats, evenMeter);
      expect(timeline.next().done).toBe(false);
      // While the timeline is read, the built-ins are wrapped; stopping it takes them off.
      expect(natives()).not.toEqual(before);
      timeline.return(undefined);
    });
    expect(natives()).toEqual(before);
  });

  it('rules that start modifying `user` part-way: the blocks before stand, the rest runs naively', async () => {
    // From 2024-05-01 on (after the middle of the span, where each contact is first evaluated), the rules count
    // visits on `user`.
    const dir = exampleAppCountingOnUser(2, 'new Date(2024, 4, 1)');
    const loaded = await loadDryRun({ kind: 'project', dir }, [path.join(dir, 'harness.defaults.json')]);
    const request = { at, allStates: false, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-05-31' } as const;
    const optimised = await dryRunTasks(loaded, { ...request, threads: 1 });
    const naive = await dryRunTasks(loaded, { ...request, naive: true });
    expect(optimised.stats.fallback).toMatch(/modify `user` \(on 2024-05-\d\d\); from 2024-0[45]-\d\d on, every day re-runs every contact/);
    expect(optimised.days).toEqual(naive.days);
    // The days of the blocks before were reused, not run again.
    expect(optimised.stats.evaluations).toBeLessThan(naive.stats.evaluations);
    expect(naive.days.some((d) => d.tasks.some((t) => t.emission._id.includes('counts-visits-on-user')))).toBe(true);
  });
});
