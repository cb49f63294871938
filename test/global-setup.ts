// Tests that copy fixtures/example-app expect its compiled app_settings.json (as after `npm start`, which
// uploads it): compile it once before any test, so `npm test` passes on a clean clone by itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function setup(): void {
  const example = path.join(ROOT, 'fixtures', 'example-app');
  if (existsSync(path.join(example, 'app_settings.json'))) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cht.js'), `--source=${example}`, 'compile-app-settings', '--silent'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not compile fixtures/example-app for the tests:\n${r.stderr}`);
}
