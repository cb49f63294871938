// compile-app-settings on fixtures/example-app: chtkit vs cht-conf 6.6.1, whole process, alternating runs.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fmtRow, pair, ROOT } from './lib/measure.js';

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
  const result = await pair({
    a: { args: [path.join(ROOT, 'bin', 'cht.js'), `--source=${copies.a}`, 'compile-app-settings'] },
    b: {
      args: [
        path.join(ROOT, 'node_modules', 'cht-conf', 'src', 'bin', 'index.js'),
        '--skip-dependency-check', '--skip-version-check', `--source=${copies.b}`, 'compile-app-settings',
      ],
    },
    runs: Number(process.env.BENCH_RUNS ?? 5),
  });
  console.log(fmtRow('chtkit compile-app-settings', result.a));
  console.log(fmtRow('cht-conf 6.6.1 compile-app-settings', result.b));
  console.log(`ratio (cht-conf / chtkit, median of pairs): ${result.ratio.toFixed(1)}×`);
  rmSync(work, { recursive: true, force: true });
  return result;
}
