import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, ROOT, tempDir } from '../helpers/cli.js';

// esbuild's API is loaded without node:crypto and node:worker_threads, which it requires for APIs chtkit never
// calls (src/bundle/esbuild-api.ts). Run in a process of its own: what a module loads is process-wide. (From a
// file: `node -e` loads crypto itself.)
afterAll(cleanupTemps);

describe('loading esbuild', () => {
  it('bundles, loads neither crypto nor worker_threads, and leaves require and the environment as they were', () => {
    const api = pathToFileURL(path.join(ROOT, 'dist', 'bundle', 'esbuild-api.js')).href;
    const script = `
      const Module = require('node:module');
      const before = Module.prototype.require;
      import(${JSON.stringify(api)}).then(async ({ esbuildApi }) => {
        const out = await esbuildApi().build({ stdin: { contents: 'export default 1 + 1' }, bundle: true, write: false, format: 'cjs', logLevel: 'silent' });
        await esbuildApi().stop();
        console.log(JSON.stringify({
          code: out.outputFiles[0].text.includes('1 + 1'),
          loaded: process.moduleLoadList.filter((m) => /^NativeModule (crypto|worker_threads)$/.test(m)),
          requireRestored: Module.prototype.require === before,
          env: process.env.ESBUILD_WORKER_THREADS ?? null,
        }));
      });`;
    const file = path.join(tempDir(), 'load.cjs');
    writeFileSync(file, script);
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, ESBUILD_WORKER_THREADS: undefined } });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ code: true, loaded: [], requireRestored: true, env: null });
  });
});
