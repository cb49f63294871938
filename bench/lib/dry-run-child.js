// One benchmark run in its own process (so peak RSS is per run): either chtkit's dry-run or
// cht-conf-test-harness, on a project and a fixture file, for a list of days. Prints one JSON line:
// { loadMs, queryMs: [per day...], tasks } — in-process timers around the query itself (the config and the
// fixtures already loaded), so the per-contact cost is the engines' own. With BENCH_IDS=1 the harness also
// prints `ids`: the sorted emission ids of the last query's Ready tasks.
//   node bench/lib/dry-run-child.js dry-run <project> <fixture> <tz> <from> <to> [repeat]
//   node bench/lib/dry-run-child.js harness <app_settings.json> <fixture> <tz> <date>...
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './measure.js';

const [mode, ...args] = process.argv.slice(2);
const started = performance.now();

if (mode === 'dry-run') {
  const [project, fixture, tz, from, to, repeat] = args;
  const { loadDryRun, dryRunTasks } = await import(path.join(ROOT, 'dist', 'simulate', 'index.js'));
  const loaded = await loadDryRun({ kind: 'project', dir: project }, [fixture]);
  const loadMs = performance.now() - started;
  const queryMs = [];
  let out;
  for (let i = 0; i < Number(repeat ?? 1); i++) {
    const t0 = performance.now();
    out = await dryRunTasks(loaded, { tz, at: { hours: 12, minutes: 0 }, from, to, allStates: false });
    queryMs.push(performance.now() - t0);
  }
  const tasks = out.days.reduce((n, d) => n + d.tasks.length, 0);
  console.log(JSON.stringify({ loadMs, queryMs, tasks, stats: out.stats }));
} else if (mode === 'harness') {
  const [appSettingsPath, fixture, tz, ...dates] = args;
  process.env.TZ = tz;
  const require = createRequire(import.meta.url);
  const Harness = require('cht-conf-test-harness');
  const FakeTimers = require('@sinonjs/fake-timers');
  const harness = new Harness({ directory: path.dirname(appSettingsPath), appSettingsPath, harnessDataPath: fixture });
  const loadMs = performance.now() - started;
  const clock = FakeTimers.install({ now: 0, toFake: ['Date'] });
  const queryMs = [];
  let tasks = 0;
  let ids;
  for (const date of dates) {
    // A fresh harness state per query, as a test's beforeEach(clear) + setNow + getTasks.
    const [y, m, d] = date.split('-').map(Number);
    const t0 = performance.now();
    await harness.clear();
    clock.setSystemTime(new Date(y, m - 1, d, 12).getTime());
    const ready = await harness.getTasks();
    queryMs.push(performance.now() - t0);
    tasks = ready.length;
    if (process.env.BENCH_IDS === '1') ids = ready.map((t) => t.emission._id).sort();
  }
  clock.uninstall();
  console.log(JSON.stringify({ loadMs, queryMs, tasks, ...(ids ? { ids } : {}) }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
