// compile-app-settings on fixtures/example-app: chtkit vs cht-conf 6.6.1, whole process, alternating runs.
// chtkit is timed twice: with its compile cache warm (a first, untimed run fills it: what a user who compiles
// again gets) and with --no-cache (every compile from scratch).
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fmtRow, pair, ROOT, runOnce } from './lib/measure.js';

/** Dates a copied project an hour back: the cache does not store a compile of files saved seconds before it. */
function age(dir) {
  const past = new Date(Date.now() - 3600_000);
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) age(p);
    utimesSync(p, past, past);
  }
  utimesSync(dir, past, past);
}

export default async function compileBench() {
  // Work copies live inside the repository so `require('moment')` resolves from its node_modules, as in a
  // real project; each tool compiles its own copy.
  const work = path.join(ROOT, '.bench-work', 'compile');
  rmSync(work, { recursive: true, force: true });
  const copies = { a: path.join(work, 'chtkit', 'example-app'), b: path.join(work, 'cht-conf', 'example-app') };
  for (const dir of Object.values(copies)) {
    mkdirSync(path.dirname(dir), { recursive: true });
    cpSync(path.join(ROOT, 'fixtures', 'example-app'), dir, { recursive: true });
    rmSync(path.join(dir, 'app_settings.json'), { force: true });
  }
  age(copies.a);
  const env = { XDG_CACHE_HOME: path.join(work, 'cache') };
  const chtkit = (...flags) => ({ args: [path.join(ROOT, 'bin', 'cht.js'), `--source=${copies.a}`, ...flags, 'compile-app-settings'], env });
  const chtConf = {
    args: [
      path.join(ROOT, 'node_modules', 'cht-conf', 'src', 'bin', 'index.js'),
      '--skip-dependency-check', '--skip-version-check', `--source=${copies.b}`, 'compile-app-settings',
    ],
  };
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  await runOnce(chtkit());
  const cached = await pair({ a: chtkit(), b: chtConf, runs });
  const cold = await pair({ a: chtkit('--no-cache'), b: chtConf, runs });
  console.log(fmtRow('chtkit compile-app-settings', cached.a));
  console.log(fmtRow('chtkit compile-app-settings --no-cache', cold.a));
  console.log(fmtRow('cht-conf 6.6.1 compile-app-settings', cold.b));
  console.log(`ratio (cht-conf / chtkit, median of pairs): ${cached.ratio.toFixed(1)}× with the compile cache, ${cold.ratio.toFixed(1)}× with --no-cache`);
  rmSync(work, { recursive: true, force: true });
  return { ...cold, cached };
}
