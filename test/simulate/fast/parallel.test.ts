import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { claimer, CLAIM_CHUNK, leftToWorkers } from '../../../src/simulate/fast/parallel.js';
import { cleanupTemps, fixture, ROOT } from '../../helpers/cli.js';
import { exampleAppCountingOnUser, exampleAppWithTask, populationFile } from '../../helpers/dry-run.js';

// Worker threads run the built modules (dist/, made by `pretest`), so this suite drives the built package too.
type Api = typeof import('../../../src/simulate/index.js');
const api = (await import(pathToFileURL(path.join(ROOT, 'dist', 'simulate', 'index.js')).href)) as Api;

const base = { at: { hours: 12, minutes: 0 }, allStates: false } as const;

describe('timeline on worker threads gives exactly the one-thread answer', () => {
  afterAll(() => cleanupTemps());
  const file = populationFile(240, 11);

  it('a year of a generated population, in a zone with DST', async () => {
    const loaded = await api.loadDryRun({ kind: 'project', dir: fixture('example-app') }, [file]);
    const request = { ...base, tz: 'America/New_York', from: '2024-01-01', to: '2024-12-30' };
    const parallel = await api.dryRunTasks(loaded, { ...request, threads: 3 });
    const single = await api.dryRunTasks(loaded, { ...request, threads: 1 });
    expect(parallel.stats.threads).toBe(3);
    expect(single.stats.threads).toBeUndefined();
    expect(parallel.days).toEqual(single.days);
    // (The counts of evaluations may differ by a few: whether a contact goes naive is timed on each thread.)
    const containerDays = single.stats.days * single.stats.containers;
    expect(single.stats.evaluations * 20).toBeLessThan(containerDays);
    expect(parallel.stats.evaluations * 20).toBeLessThan(containerDays);
    expect(parallel.days.reduce((n, d) => n + d.tasks.length, 0)).toBeGreaterThan(1000);
  });

  it('workers load the fixtures from their texts; fixtures with no texts go with their docs and containers', async () => {
    const loaded = await api.loadDryRun({ kind: 'project', dir: fixture('example-app') }, [file]);
    expect(loaded.fixtures.texts).toHaveLength(1);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-06-30', threads: 2 };
    const fromTexts = await api.dryRunTasks(loaded, request);
    const fromDocs = await api.dryRunTasks({ ...loaded, fixtures: { ...loaded.fixtures, texts: [] } }, request);
    const single = await api.dryRunTasks(loaded, { ...request, threads: 1 });
    expect(fromTexts.stats.threads).toBe(2);
    expect(fromDocs.stats.threads).toBe(2);
    expect(fromTexts.days).toEqual(single.days);
    expect(fromDocs.days).toEqual(single.days);
  });

  it('reports as they arrive, against the naive timeline', async () => {
    const loaded = await api.loadDryRun({ kind: 'project', dir: fixture('example-app') }, [file]);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-02-20', to: '2024-05-10', asReported: true };
    const parallel = await api.dryRunTasks(loaded, { ...request, threads: 2 });
    const naive = await api.dryRunTasks(loaded, { ...request, naive: true });
    expect(parallel.stats.threads).toBe(2);
    expect(parallel.days).toEqual(naive.days);
  });

  it('extension libraries are read again by each worker (modules cannot be copied to a thread)', async () => {
    const dir = exampleAppWithTask(`{
  name: 'long-name', icon: 'icon-person', title: 'task.long_name', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { return cht.v1.getExtensionLib('long.js')(c.contact.name); },
  actions: [{ form: 'probe' }],
  events: [{ id: 'e', start: 30, end: 30, dueDate: function () { return new Date(2024, 2, 1); } }],
}`);
    mkdirSync(path.join(dir, 'extension-libs'));
    writeFileSync(path.join(dir, 'extension-libs', 'long.js'), 'module.exports = function (name) { return String(name).length > 10; };');
    const loaded = await api.loadDryRun({ kind: 'project', dir }, [file]);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-02-01', to: '2024-03-15' };
    const parallel = await api.dryRunTasks(loaded, { ...request, threads: 2 });
    const naive = await api.dryRunTasks(loaded, { ...request, naive: true });
    expect(parallel.stats.threads).toBe(2);
    expect(parallel.days).toEqual(naive.days);
    expect(naive.days.some((d) => d.tasks.some((t) => t.emission._id.endsWith('~e~long-name')))).toBe(true);
  });

  it('contacts that go naive part-way, in the shares of several threads', async () => {
    // Two neighbours get a task due "today", whose evaluations hold for their own day only: each goes naive in
    // the thread that claimed it (both threads are given work: the population has many chunks of containers).
    const dir = exampleAppWithTask(`{
  name: 'due-today', icon: 'icon-person', title: 'task.due_today', appliesTo: 'contacts', appliesToType: ['person'],
  appliesIf: function (c) { return c.contact._id === 'p-2-0' || c.contact._id === 'p-2-1'; },
  actions: [{ form: 'assessment' }],
  events: [{ id: 'today', start: 0, end: 1, dueDate: function () { return Utils.addDate(Utils.now(), 0); } }],
}`);
    const loaded = await api.loadDryRun({ kind: 'project', dir }, [file]);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-02-01', to: '2024-05-31' };
    const parallel = await api.dryRunTasks(loaded, { ...request, threads: 2 });
    const naive = await api.dryRunTasks(loaded, { ...request, naive: true });
    expect(parallel.stats.threads).toBe(2);
    expect(parallel.days).toEqual(naive.days);
    const owners = new Set(naive.days.flatMap((d) => d.tasks.filter((t) => t.emission._id.includes('due-today')).map((t) => t.emission._id.split('~')[0])));
    expect(owners).toEqual(new Set(['p-2-0', 'p-2-1']));
    // (Each goes naive for lack of reuse or, sooner, by cost; other contacts may too, by their timings here.)
    expect(parallel.stats.wentNaive!.contacts).toBeGreaterThanOrEqual(2);
    expect(parallel.stats.wentNaive!.plainEvaluations).toBeGreaterThanOrEqual(2 * (naive.days.length - 3));
  });

  it('a reader that stops after the first day stops the workers and leaves no tracing hook behind', async () => {
    const loaded = await api.loadDryRun({ kind: 'project', dir: fixture('example-app') }, [file]);
    const natives = () => [Date.prototype.getTime, Date.prototype.getMonth, Object.getOwnPropertyDescriptor(Date.prototype, Symbol.toPrimitive)!.value];
    const before = natives();
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-09-30', threads: 2 };
    let days = 0;
    await expect(api.streamTasks(loaded, request, () => {
      days++;
      throw new Error('the reader stops');
    })).rejects.toThrow('the reader stops');
    expect(days).toBe(1);
    expect(natives()).toEqual(before);
  });

  it('rules that modify `user` fall back to re-running every contact every day, on one thread', async () => {
    const loaded = await api.loadDryRun({ kind: 'project', dir: exampleAppCountingOnUser(7) }, [file]);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-03-01', to: '2024-03-20' };
    const parallel = await api.dryRunTasks(loaded, { ...request, threads: 2 });
    const optimised = await api.dryRunTasks(loaded, { ...request, threads: 1 });
    const naive = await api.dryRunTasks(loaded, { ...request, naive: true });
    expect(optimised.stats.fallback).toMatch(/modify `user`/);
    expect(parallel.stats.fallback).toMatch(/modify `user`/);
    expect(parallel.days).toEqual(naive.days);
    expect(optimised.days).toEqual(naive.days);
    expect(naive.days.some((d) => d.tasks.some((t) => t.emission._id.includes('counts-visits-on-user')))).toBe(true);
  });

  it('rules that start modifying `user` part-way: the threads\' blocks before stand, the rest runs on one thread', async () => {
    const loaded = await api.loadDryRun({ kind: 'project', dir: exampleAppCountingOnUser(7, 'new Date(2024, 4, 1)') }, [file]);
    const request = { ...base, tz: 'Africa/Nairobi', from: '2024-01-01', to: '2024-05-31' };
    const parallel = await api.dryRunTasks(loaded, { ...request, threads: 2 });
    const naive = await api.dryRunTasks(loaded, { ...request, naive: true });
    expect(parallel.stats.threads).toBe(2);
    expect(parallel.stats.fallback).toMatch(/modify `user` \(on 2024-05-\d\d\); from 2024-0[45]-\d\d on/);
    expect(parallel.days).toEqual(naive.days);
    expect(parallel.stats.evaluations).toBeLessThan(naive.stats.evaluations);
  });
});

describe('threads claim chunks of containers (parallel.ts claimer)', () => {
  it('every container has exactly one owner, whatever order the threads reach it, and owners never change', () => {
    const containers = 10 * CLAIM_CHUNK + 3;
    const claims = new SharedArrayBuffer(4 * Math.ceil(containers / CLAIM_CHUNK));
    const takes = [claimer(0, claims), claimer(1, claims), claimer(2, claims)];
    // The threads walk the containers in order, at different speeds (a step: evaluating one container; passing
    // another thread's costs nothing): interleave their steps.
    const position = [0, 0, 0];
    const owners: number[][] = Array.from({ length: containers }, () => []);
    let step = 0;
    while (position.some((p) => p < containers)) {
      const part = [0, 0, 1, 2, 1][step++ % 5]!;
      while (position[part]! < containers) {
        const index = position[part]!++;
        if (takes[part]!({ index })) {
          owners[index]!.push(part);
          break;
        }
      }
    }
    expect(owners.every((o) => o.length === 1)).toBe(true);
    // Chunks stay whole, and more than one thread got work.
    for (let i = 0; i < containers; i++) expect(owners[i]![0]).toBe(owners[i - (i % CLAIM_CHUNK)]![0]);
    expect(new Set(owners.map((o) => o[0])).size).toBeGreaterThan(1);
    // Asked again (a later span of --as-reported), each thread keeps exactly its own.
    for (let i = 0; i < containers; i++) expect(takes.map((take) => take({ index: i }))).toEqual([0, 1, 2].map((p) => p === owners[i]![0]));
  });

  it('this thread leaves a share of the chunks to the workers, even when it walks them all first', () => {
    const chunks = 200;
    for (const parts of [2, 3, 4]) {
      const claims = new SharedArrayBuffer(4 * chunks);
      const takes = Array.from({ length: parts }, (_, part) => claimer(part, claims, parts));
      // This thread first, over every container (the workers still loading), then each worker in turn.
      const owner = Array.from({ length: chunks * CLAIM_CHUNK }, () => -1);
      for (let part = 0; part < parts; part++) {
        for (let index = 0; index < owner.length; index++) {
          if (!takes[part]!({ index })) continue;
          expect(owner[index], `container ${index} claimed twice`).toBe(-1);
          owner[index] = part;
        }
      }
      expect(owner.every((o) => o >= 0)).toBe(true);
      const mine = owner.filter((o) => o === 0).length / owner.length;
      // At most 95% of an equal share, spread over the indexes: every run of 10 chunks has some of each.
      expect(mine).toBeLessThanOrEqual(0.95 / parts);
      expect(mine).toBeGreaterThan(0.9 / parts);
      for (let c = 0; c + 10 <= chunks; c += 10) {
        const left = Array.from({ length: 10 }, (_, i) => leftToWorkers(c + i, parts)).filter(Boolean).length;
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThan(10);
      }
    }
    // One thread alone leaves nothing.
    expect(Array.from({ length: 50 }, (_, c) => leftToWorkers(c, 1)).some(Boolean)).toBe(false);
  });
});
