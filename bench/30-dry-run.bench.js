// dry-run-tasks vs cht-conf-test-harness 5.0.4 (cht-core 4.11's rules engine), side by side in one run, on
// fixtures/example-app with generated populations (bench/lib/population.js):
//  1. a one-day query at 1, 50 and 500 contacts: per-contact cost of the query (in-process timers around the
//     query, config and fixtures loaded; each engine in its own process, the first queries dropped as warm-up,
//     median of the others), harness clear() + getTasks vs dryRunTasks; plus the whole process of
//     `cht dry-run-tasks` at 500 contacts;
//  2. a 10,000-contact, 365-day timeline: whole-process wall time and peak RSS of the dry-run (and the
//     in-process time of the timeline itself).
// The harness runs without a browser (getTasks needs none), its clock faked with @sinonjs/fake-timers on Date
// only (its own setNow also freezes timers, which only makes it slower).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fmtMs, median, ROOT, runOnce } from './lib/measure.js';
import { population } from './lib/population.js';

const EXAMPLE = path.join(ROOT, 'fixtures', 'example-app');
const CHILD = path.join(ROOT, 'bench', 'lib', 'dry-run-child.js');
const TZ = 'Africa/Nairobi';
const START = Date.UTC(2024, 0, 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function child(args) {
  const r = await runOnce({ args: [CHILD, ...args], env: { TZ } });
  if (r.code !== 0) throw new Error(`benchmark child failed (${r.code}): ${args.join(' ')}\n${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), wallMs: r.ms, rssMB: r.rssKB / 1024 };
}

export default async function dryRunBench() {
  const work = path.join(ROOT, '.bench-work', 'dry-run');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { compileProject, serializeSettings } = await import(path.join(ROOT, 'dist', 'bundle', 'app-settings.js'));
  const appSettings = path.join(work, 'app_settings.json');
  writeFileSync(appSettings, serializeSettings((await compileProject(EXAMPLE, { minify: true })).settings));

  console.log('One-day query (2024-06-15, 12:00 Africa/Nairobi), per contact, median of runs:');
  const rows = [];
  for (const contacts of [1, 50, 500]) {
    const fixture = path.join(work, `population-${contacts}.json`);
    // `contacts` households and people under the CHW (plus the CHW and the health centre).
    writeFileSync(fixture, JSON.stringify(population({ contacts: contacts + 2, start: START, seed: contacts })));
    // The first queries run while the JIT is still optimising (for chtkit, the first ~5 at every size): 5 are
    // dropped as warm-up, and small populations, at milliseconds per query, get more queries; both engines alike.
    const warmup = 5;
    const queries = contacts <= 50 ? Math.max(RUNS, 20) : RUNS;
    const dates = Array.from({ length: warmup + queries }, () => '2024-06-15');
    const theirs = (await child(['harness', appSettings, fixture, TZ, ...dates])).queryMs.slice(warmup);
    const ours = (await child(['dry-run', EXAMPLE, fixture, TZ, '2024-06-15', '2024-06-15', String(warmup + queries)])).queryMs.slice(warmup);
    const a = median(ours) / contacts;
    const b = median(theirs) / contacts;
    rows.push({ contacts, a, b });
    console.log(
      `  ${String(contacts).padStart(3)} contacts: dry-run ${fmtPer(a)}/contact (${fmtMs(median(ours))})  ` +
        `harness getTasks ${fmtPer(b)}/contact (${fmtMs(median(theirs))})  → ${(b / a).toFixed(0)}× faster`,
    );
  }

  const fixture500 = path.join(work, 'population-500.json');
  const cli = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const r = await runOnce({
      args: [path.join(ROOT, 'bin', 'cht.js'), `--source=${EXAMPLE}`, 'dry-run-tasks', `--fixtures=${fixture500}`, '--date=2024-06-15', `--tz=${TZ}`, '--json'],
      env: { XDG_CACHE_HOME: path.join(work, 'cache') },
    });
    if (r.code !== 0) throw new Error(r.stderr);
    if (i > 0) cli.push(r);
  }
  // The first run (not counted) fills the compile cache: the counted ones read the compile from it.
  console.log(`  whole process, cht dry-run-tasks --date (500 contacts, compile cache warm): ${fmtMs(median(cli.map((r) => r.ms)))}, peak RSS ${Math.max(...cli.map((r) => r.rssKB / 1024)).toFixed(0)} MB`);

  const fixture = path.join(work, 'population-10000.json');
  const pop = population({ contacts: 10_000, start: START, seed: 10_000 });
  writeFileSync(fixture, JSON.stringify(pop));
  const reports = pop.docs.filter((d) => d.type === 'data_record').length;
  console.log(`\nTimeline: 10,000 contacts (${reports} reports), 365 days (2024-01-01 … 2024-12-30), whole process:`);
  const timeline = [];
  for (let i = 0; i < Math.max(1, Math.min(RUNS, 3)); i++) {
    timeline.push(await child(['dry-run', EXAMPLE, fixture, TZ, '2024-01-01', '2024-12-30']));
  }
  const best = timeline.reduce((x, y) => (y.wallMs < x.wallMs ? y : x));
  console.log(
    `  wall ${fmtMs(median(timeline.map((t) => t.wallMs)))} (timeline itself ${fmtMs(median(timeline.map((t) => t.queryMs[0])))}, ` +
      `loading ${fmtMs(median(timeline.map((t) => t.loadMs)))}), peak RSS ${Math.max(...timeline.map((t) => t.rssMB)).toFixed(0)} MB; ` +
      `${best.tasks} Ready tasks over the year; rules evaluations ${best.stats.evaluations} of ${best.stats.days * best.stats.containers} container-days ` +
      `(${best.stats.reused} reused)`,
  );
  rmSync(work, { recursive: true, force: true });
  return { rows, timeline };
}

function fmtPer(ms) {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}
