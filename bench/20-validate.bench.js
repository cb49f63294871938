// validate-app-settings on fixtures/example-app, on a generated 60-task / 30-target project and on a generated
// SMS-heavy project (50 registrations, 30 schedules, 10 outbound pushes, with their SMS forms and translations):
// whole process, and the part after Node's own start (the whole minus `node -e 0`, timed the same way).
// Targets: < 100 ms after Node start, < 250 ms for the whole process.
import { cpSync, mkdirSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fmtMs, fmtRow, ROOT, single } from './lib/measure.js';
import { generate, generateSms } from './lib/projects.js';

export default async function validateBench() {
  const work = path.join(ROOT, '.bench-work', 'validate');
  const example = path.join(work, 'example-app');
  const generated = path.join(work, 'generated-60-30');
  const sms = path.join(work, 'generated-sms');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(path.join(ROOT, 'fixtures', 'example-app'), example, { recursive: true });
  generate(generated);
  generateSms(sms);
  // The compile cache stores no bundle of files saved in the last 2 seconds (they may still be changing): files
  // just copied or generated would keep every "warm" run a miss, as if it were a first run.
  for (const dir of [example, generated, sms]) backdate(dir, Date.now() / 1000 - 60);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  // Warm: as a developer or a CI runner that keeps its cache folder runs it again (the first, uncounted run fills
  // the code cache of chtkit's modules and the cache of validation's bundles). First: a cache folder of its own for
  // every run, as the first run on a fresh machine after `npm ci` (the build's code cache, no bundles kept). Cold:
  // no cache of any kind (NODE_DISABLE_COMPILE_CACHE=1 and --no-cache).
  const env = { XDG_CACHE_HOME: path.join(work, 'cache') };
  const cht = (dir, cold) => ({
    args: [path.join(ROOT, 'bin', 'cht.js'), `--source=${dir}`, ...(cold ? ['--no-cache'] : []), 'validate-app-settings'],
    env: cold ? { ...env, NODE_DISABLE_COMPILE_CACHE: '1' } : env,
  });
  const node = await single({ cmd: { args: ['-e', '0'] }, runs });
  const results = { node };
  const projects = [['example-app', 'example', example], ['generated 60 tasks/30 targets', 'generated', generated], ['+ 50 registrations/30 schedules/10 outbound', 'sms', sms]];
  let fresh = 0;
  for (const [, key, dir] of projects) {
    results[key] = await single({ cmd: cht(dir, false), runs });
    const first = cht(dir, false);
    const firstRun = () => {
      first.env = { XDG_CACHE_HOME: path.join(work, `fresh-${fresh++}`) };
    };
    results[`${key}First`] = await single({ cmd: first, runs, prepare: async () => firstRun() });
    results[`${key}Cold`] = await single({ cmd: cht(dir, true), runs });
  }
  console.log(fmtRow('node -e 0 (Node start)', node));
  for (const [label, key] of projects) {
    for (const [how, k] of [['warm', key], ['first', `${key}First`], ['cold', `${key}Cold`]]) {
      const r = results[k];
      console.log(fmtRow(`validate, ${label}, ${how}`, r));
      console.log(`${''.padEnd(34)} after Node start: ${fmtMs(r.medianMs - node.medianMs)} (target < 100 ms); whole process target < 250 ms`);
    }
  }
  rmSync(work, { recursive: true, force: true });
  return results;
}

function backdate(dir, seconds) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    utimesSync(path.join(entry.parentPath ?? entry.path, entry.name), seconds, seconds);
  }
  utimesSync(dir, seconds, seconds);
}
