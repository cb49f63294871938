import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRunTasks, loadDryRun, type TasksRequest } from '../../src/simulate/index.js';
import { TRACING_START_MS, worthTracing } from '../../src/simulate/timeline.js';
import { fixture } from '../helpers/cli.js';

const base = { tz: 'Africa/Nairobi', at: { hours: 12, minutes: 0 }, allStates: false } as const;

describe('which timeline runs (reuse: auto, the CLI\'s choice)', () => {
  it('traces only when the plain days it would replace cost more than tracing starts with', () => {
    expect(worthTracing(2, 364)).toBe(true);
    expect(worthTracing(0.5, 364)).toBe(false);
    expect(worthTracing(TRACING_START_MS, 1)).toBe(false);
    expect(worthTracing(TRACING_START_MS, 2)).toBe(true);
  });

  it('a timeline too small to pay runs plainly, with the same days; a longer one is traced after its first day', async () => {
    const dir = fixture('dry-run/community-care');
    const loaded = await loadDryRun({ kind: 'project', dir }, [path.join(dir, 'harness.defaults.json')]);
    const short: TasksRequest = { ...base, from: '2024-03-01', to: '2024-03-02', reuse: 'auto' };
    const plain = await dryRunTasks(loaded, short);
    expect(plain.stats.plainly).toMatch(/less in all than tracing starts with/);
    expect(plain.days).toEqual((await dryRunTasks(loaded, { ...short, naive: true })).days);

    const year: TasksRequest = { ...base, from: '2024-01-01', to: '2024-12-31', reuse: 'auto' };
    const auto = await dryRunTasks(loaded, year);
    const naive = await dryRunTasks(loaded, { ...year, naive: true });
    expect(auto.days).toEqual(naive.days);
    // Whichever way it went, it says so, and a traced one reused evaluations.
    if (auto.stats.plainly === undefined) expect(auto.stats.evaluations).toBeLessThan(naive.stats.evaluations);
    else expect(auto.stats.evaluations).toBe(naive.stats.evaluations);
  });
});
