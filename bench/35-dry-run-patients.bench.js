// `cht dry-run-tasks` as a user waits for it — whole processes, start-up and compile included — on generated
// patients (bench/lib/population.js patientPopulation: pregnant women, postnatal mothers and under-5 children in
// households under a CHW) for fixtures/example-app:
//  1. one day (2024-06-15 12:00 Africa/Nairobi), 1,000 patients: `cht dry-run-tasks --date --json` against a
//     process that requires cht-conf-test-harness 5.0.4, constructs it with the same app settings (compiled by
//     chtkit: the differential tests show cht-conf's compile gives the same tasks), pushes the docs (clear())
//     and runs getTasks() once with Date faked to the same instant in the same zone (bench/lib/dry-run-child.js).
//     Alternating, median of runs, ratio pair by pair, and a check that both list the same Ready task ids.
//     chtkit runs with its compile cache warm (a first run fills it) and with --no-cache;
//  2. 10,000 patients, 365 days: default human output to /dev/null, `--json > file`, and
//     `--format=ndjson > file` when `cht dry-run-tasks --help` lists it (else "not available"), with peak RSS
//     (BENCH_SKIP_YEAR=1 leaves it out: it takes minutes; BENCH_SKIP_DAY=1 leaves out part 1).
// Nothing here asserts a time.
import { createReadStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fmtMs, median, ROOT, runOnce } from './lib/measure.js';
import { patientPopulation } from './lib/population.js';

const EXAMPLE = path.join(ROOT, 'fixtures', 'example-app');
const BIN = path.join(ROOT, 'bin', 'cht.js');
const CHILD = path.join(ROOT, 'bench', 'lib', 'dry-run-child.js');
const TZ = 'Africa/Nairobi';
const START = Date.UTC(2024, 0, 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function counts(pop) {
  const reports = pop.docs.filter((d) => d.type === 'data_record').length;
  return `${(pop.docs.length - reports).toLocaleString('en')} contacts, ${reports.toLocaleString('en')} reports`;
}

function readyIds(stdout) {
  return JSON.parse(stdout).days.flatMap((d) => d.tasks.map((t) => t.emission._id)).sort();
}

async function check(run, what) {
  const r = await run;
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stderr}`);
  return r;
}

/** Occurrences of `needle` in a file, read as a stream (the file can be larger than a string may be). */
async function countInFile(file, needle) {
  let count = 0;
  let tail = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = tail + chunk;
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) count++;
    tail = text.slice(-(needle.length - 1));
  }
  return count;
}

async function oneDay(work) {
  const pop = patientPopulation({ patients: 1000, start: START, seed: 1000 });
  const fixture = path.join(work, 'patients-1000.json');
  writeFileSync(fixture, JSON.stringify(pop));
  const { compileProject, serializeSettings } = await import(path.join(ROOT, 'dist', 'bundle', 'app-settings.js'));
  const appSettings = path.join(work, 'app_settings.json');
  writeFileSync(appSettings, serializeSettings((await compileProject(EXAMPLE, { minify: true })).settings));

  const env = { XDG_CACHE_HOME: path.join(work, 'cache') };
  const cht = (...flags) => ({
    args: [BIN, `--source=${EXAMPLE}`, ...flags, 'dry-run-tasks', `--fixtures=${fixture}`, '--date=2024-06-15', `--tz=${TZ}`, '--json'],
    env,
  });
  const harness = { args: [CHILD, 'harness', appSettings, fixture, TZ, '2024-06-15'], env: { TZ, BENCH_IDS: '1' } };

  console.log(`One day (2024-06-15 12:00 ${TZ}), 1,000 patients (${counts(pop)}), whole processes, alternating:`);
  const bare = [];
  // A first run fills the compile cache (and is not counted); the later ones hit it.
  const first = await check(runOnce(cht()), 'cht dry-run-tasks');
  const rows = { cached: [], uncached: [], harness: [], plain: [] };
  // This VM sets NODE_EXTRA_CA_CERTS, which makes every Node process parse a certificate bundle at start-up
  // (tens of ms; nothing here uses TLS): chtkit is also timed without it, as on a machine that does not set it.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  let ids;
  for (let i = 0; i < RUNS; i++) {
    bare.push(await runOnce({ args: ['-e', '0'] }));
    const h = await check(runOnce(harness), 'the harness');
    rows.harness.push(h);
    rows.cached.push(await check(runOnce(cht()), 'cht dry-run-tasks'));
    rows.uncached.push(await check(runOnce(cht('--no-cache')), 'cht dry-run-tasks --no-cache'));
    if (extraCa) rows.plain.push(await check(runOnce({ ...cht(), env: { ...env, NODE_EXTRA_CA_CERTS: undefined } }), 'cht dry-run-tasks'));
    ids ??= JSON.parse(h.stdout.trim().split('\n').pop()).ids;
  }
  const ours = readyIds(first.stdout);
  for (const r of [...rows.cached, ...rows.uncached]) {
    if (JSON.stringify(readyIds(r.stdout)) !== JSON.stringify(ours)) throw new Error('cht dry-run-tasks gave different tasks from run to run');
  }
  const same = JSON.stringify(ours) === JSON.stringify(ids);
  const ratio = (side) => median(rows[side].map((r, i) => rows.harness[i].ms / r.ms));
  const line = (label, list) => `  ${label.padEnd(58)} ${fmtMs(median(list.map((r) => r.ms))).padStart(8)}  peak RSS ${Math.max(...list.map((r) => r.rssKB / 1024)).toFixed(0)} MB`;
  console.log(line('cht dry-run-tasks --date --json (compile cache warm)', rows.cached));
  console.log(line('cht dry-run-tasks --date --json --no-cache', rows.uncached));
  if (extraCa) console.log(line('the same, without NODE_EXTRA_CA_CERTS', rows.plain));
  console.log(line('harness 5.0.4: require, new Harness, clear(), getTasks()', rows.harness));
  console.log(line('node -e 0 (a bare Node process on this machine)', bare));
  console.log(`  ratio (harness / chtkit, median of pairs): ${ratio('cached').toFixed(0)}× with the cache, ${ratio('uncached').toFixed(0)}× with --no-cache` +
    (extraCa ? `, ${ratio('plain').toFixed(0)}× with the cache and without NODE_EXTRA_CA_CERTS` : ''));
  console.log(`  same Ready task ids: ${same ? `yes (${ours.length})` : `NO — chtkit ${ours.length}, harness ${ids?.length}`}`);
  return { rows, same, ratio: ratio('cached'), ratioNoCache: ratio('uncached') };
}

async function year(work) {
  const pop = patientPopulation({ patients: 10_000, start: START, seed: 10_000 });
  const fixture = path.join(work, 'patients-10000.json');
  writeFileSync(fixture, JSON.stringify(pop));
  const env = { XDG_CACHE_HOME: path.join(work, 'cache') };
  const args = (...flags) => [BIN, `--source=${EXAMPLE}`, ...flags, 'dry-run-tasks', `--fixtures=${fixture}`, '--from=2024-01-01', '--to=2024-12-30', `--tz=${TZ}`];
  const help = (await runOnce({ args: [BIN, 'dry-run-tasks', '--help'] })).stdout;
  const ndjson = /ndjson/.test(help);
  const runs = Math.max(1, Math.min(RUNS, 3));
  console.log(`\nTimeline, 10,000 patients (${counts(pop)}), 365 days (2024-01-01 … 2024-12-30), whole processes, median of ${runs}:`);
  const modes = [
    { label: 'human output, stdout > /dev/null', flags: [], out: '/dev/null' },
    { label: '--json > file', flags: ['--json'], out: path.join(work, 'year.json') },
    { label: '--format=ndjson > file', flags: ['--format=ndjson'], out: path.join(work, 'year.ndjson'), available: ndjson },
    { label: '--format=html --output=file', flags: ['--format=html', `--output=${path.join(work, 'year.html')}`], out: '/dev/null', file: path.join(work, 'year.html'), available: /html/.test(help) },
  ];
  const results = {};
  for (const mode of modes) {
    if (mode.available === false) {
      console.log(`  ${mode.label.padEnd(34)} not available (cht dry-run-tasks --help does not list it)`);
      continue;
    }
    const list = [];
    for (let i = 0; i < runs; i++) list.push(await runOnce({ args: args(...mode.flags), env, stdout: mode.out }));
    const failed = list.find((r) => r.code !== 0);
    if (failed) {
      console.log(`  ${mode.label.padEnd(34)} failed (exit ${failed.code}): ${failed.stderr.trim().split('\n').slice(0, 2).join(' / ')}`);
      continue;
    }
    const written = mode.file ?? mode.out;
    const size = written === '/dev/null' ? '' : `, ${(statSync(written).size / 1e6).toFixed(0)} MB written`;
    const tasks = mode.out === '/dev/null' ? '' : `, ${(await countInFile(mode.out, '"state":')).toLocaleString('en')} Ready task-days`;
    console.log(`  ${mode.label.padEnd(34)} ${fmtMs(median(list.map((r) => r.ms))).padStart(8)}  peak RSS ${Math.max(...list.map((r) => r.rssKB / 1024)).toFixed(0)} MB${size}${tasks}`);
    results[mode.label] = list;
  }
  return results;
}

export default async function dryRunPatientsBench() {
  const work = path.join(ROOT, '.bench-work', 'dry-run-patients');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const day = process.env.BENCH_SKIP_DAY === '1' ? undefined : await oneDay(work);
  const timeline = process.env.BENCH_SKIP_YEAR === '1' ? undefined : await year(work);
  rmSync(work, { recursive: true, force: true });
  return { day, timeline };
}
