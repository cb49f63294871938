// `cht dry-run-tasks --against` (the impact preview) as a user waits for it, whole processes:
//  1. 1,000 generated patients over 365 days (2024): one dry-run of the changed project, against the same
//     run compared with the previous version's compiled app_settings.json (--against=FILE). Alternating,
//     median of runs, ratio pair by pair: the comparison runs the rules of both versions, so about 2x is the
//     expected cost.
//  2. The example app's own fixtures, one day: --against=git:HEAD (a temporary checkout of the revision and
//     its compile) against --against=FILE: the difference is what git:REF adds.
// The change: the postnatal day-7 visit moves to day 8 (fixtures/example-app/tasks.js). Nothing asserts a time.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmtMs, fmtRow, pair, ROOT } from './lib/measure.js';
import { patientPopulation } from './lib/population.js';

const BIN = path.join(ROOT, 'bin', 'cht.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

export default async function impact() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'chtkit-bench-impact-'));
  try {
    const project = path.join(work, 'app');
    cpSync(path.join(ROOT, 'fixtures', 'example-app'), project, { recursive: true, filter: (src) => !/[\\/](backups|\.cht-local)$/.test(src) });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    writeFileSync(path.join(work, '.gitignore'), 'node_modules\napp_settings.json\n');
    const git = (...args) => execFileSync('git', ['-c', 'user.email=b@example.org', '-c', 'user.name=bench', ...args], { cwd: work });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'v1');
    const { compileProject, serializeSettings } = await import(path.join(ROOT, 'dist', 'bundle', 'app-settings.js'));
    const v1 = path.join(work, 'v1.json');
    writeFileSync(v1, serializeSettings((await compileProject(project, { minify: true })).settings));
    const tasks = path.join(project, 'tasks.js');
    const changed = readFileSync(tasks, 'utf8').replace("{ id: 'pnc-day-7', days: 7,", "{ id: 'pnc-day-7', days: 8,");
    if (changed === readFileSync(tasks, 'utf8')) throw new Error('bench 38: the change to tasks.js did not apply');
    writeFileSync(tasks, changed);

    const fixtures = path.join(work, 'patients-1000.json');
    writeFileSync(fixtures, JSON.stringify(patientPopulation({ patients: 1000, start: Date.UTC(2024, 0, 1), seed: 1000 })));
    const env = { XDG_CACHE_HOME: path.join(work, 'cache') };
    const run = (...flags) => ({ args: [BIN, `--source=${project}`, 'dry-run-tasks', ...flags], env, stdout: '/dev/null' });
    const year = ['--from=2024-01-01', '--to=2024-12-31', `--fixtures=${fixtures}`, '--tz=Africa/Nairobi'];

    console.log('1,000 patients, 365 days, the changed project; human output to /dev/null:');
    const both = await pair({ a: run(...year), b: run(...year, `--against=${v1}`), runs: RUNS });
    console.log(fmtRow('  one dry-run', both.a));
    console.log(fmtRow('  --against=FILE (both versions)', both.b));
    console.log(`  the comparison costs ${both.ratio.toFixed(2)}x one dry-run (median of pairs)`);

    console.log('\nThe example app, one day: what --against=git:REF adds (checkout and compile of the revision):');
    const day = ['--date=2024-08-07'];
    const byGit = await pair({ a: run(...day, `--against=${v1}`), b: run(...day, '--against=git:HEAD'), runs: RUNS });
    console.log(fmtRow('  --against=FILE', byGit.a));
    console.log(fmtRow('  --against=git:HEAD', byGit.b));
    console.log(`  git:REF adds ${fmtMs(byGit.b.medianMs - byGit.a.medianMs)} (median difference)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
