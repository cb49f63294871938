import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, fixture, ROOT, tempCopy } from '../../helpers/cli.js';
import { fuzzCase } from './fuzz-rules.js';
import { evenMeter, withMeter } from './meter.js';

/*
 * The optimised timeline against the naive one on random rules (fuzz-rules.ts): whatever the rules do with the
 * clock, reusing an evaluation must never change a day's tasks, nor the error a run stops with. Each seed is a
 * project of its own, run twice: traced with every contact kept traced (evenMeter: the tracer decides every
 * reuse), and through the built package's API on two worker threads (Ready-only requests; with allStates it uses
 * one). A few seeds run here; `CHTKIT_FUZZ_SEEDS=500` (with `CHTKIT_FUZZ_FROM` to start elsewhere) runs more. A
 * failing seed keeps its project, named in the failure, with its fixtures and request in fuzz/. (To reproduce one,
 * use the API with `reuse: 'always'`: the CLI runs a timeline this small plainly, which proves nothing.)
 */

// Worker threads run the built modules (dist/, made by `pretest`): the API is the built one, as in parallel.test.ts.
type Api = typeof import('../../../src/simulate/index.js');
const { dryRunTasks, loadDryRun } = (await import(pathToFileURL(path.join(ROOT, 'dist', 'simulate', 'index.js')).href)) as Api;

const COUNT = Number(process.env.CHTKIT_FUZZ_SEEDS ?? 4);
const FROM = Number(process.env.CHTKIT_FUZZ_FROM ?? 1);

function writeProject(seed: number): { dir: string; fixtureFile: string } {
  const c = fuzzCase(seed);
  // clock-patterns' settings and its package.json (moment), with the generated rules.
  const dir = tempCopy(fixture('dry-run/clock-patterns'));
  writeFileSync(path.join(dir, 'tasks.js'), c.tasksJs);
  writeFileSync(path.join(dir, 'targets.js'), c.targetsJs);
  const fixtures = path.join(dir, 'fuzz');
  mkdirSync(fixtures);
  const fixtureFile = path.join(fixtures, 'population.json');
  writeFileSync(fixtureFile, JSON.stringify(c.fixture, null, 1));
  writeFileSync(path.join(fixtures, 'request.json'), JSON.stringify(c.request, null, 2));
  return { dir, fixtureFile };
}

/** The days, or the message of the error the run stopped with. */
async function outcome<T>(run: () => Promise<T> | T): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await run() };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

describe('timeline fuzz: random clock-reading rules, optimised = naive', () => {
  let failed = false;
  afterAll(() => {
    // A failing seed's project stays for a look; otherwise they all go.
    if (!failed) cleanupTemps();
  });
  for (let seed = FROM; seed < FROM + COUNT; seed++) {
    it(`seed ${seed}`, async () => {
      const { request } = fuzzCase(seed);
      const { dir, fixtureFile } = writeProject(seed);
      const where = `seed ${seed} (project: ${dir})`;
      try {
        const loaded = await loadDryRun({ kind: 'project', dir }, [fixtureFile]);
        const naive = await outcome(() => dryRunTasks(loaded, { ...request, naive: true }));
        const api = await outcome(() => dryRunTasks(loaded, { ...request, reuse: 'always', threads: 2 }));
        if ('error' in naive) {
          expect(api, where).toEqual(naive);
          return;
        }
        expect('value' in api && api.value.days, `${where}, on two threads`).toEqual(naive.value.days);
        if ('value' in api && !request.allStates) expect(api.value.stats.threads, where).toBe(2);
        // Traced throughout: no contact goes naive, so every day of every contact is the tracer's answer.
        const traced = await withMeter(dir, request, evenMeter, fixtureFile);
        expect(traced.optimised, where).toBeDefined();
        expect(traced.optimised!.length, where).toBe(naive.value.days.length);
        for (let i = 0; i < traced.naive.days.length; i++) {
          expect(traced.optimised![i], `${where}, ${traced.naive.days[i]!.date}`).toEqual(traced.naive.days[i]);
        }
      } catch (err) {
        failed = true;
        throw err;
      }
    }, 120_000);
  }
});
