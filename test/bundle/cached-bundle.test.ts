import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCached, type BundleCacheOutcome } from '../../src/bundle/cached-bundle.js';
import { configLoaderRequest } from '../../src/bundle/load-config.js';
import { findProject } from '../../src/project/project.js';
import { age, cleanEnv, cleanupTemps, fixture, runCht, tempCopy, tempDir } from '../helpers/cli.js';

afterAll(cleanupTemps);

function exampleCopy(): string {
  const dir = tempCopy(fixture('example-app'));
  age(dir);
  return dir;
}

const entries = (cache: string): string[] => (existsSync(cache) ? readdirSync(cache).filter((n) => n.endsWith('.json')).sort() : []);

async function loaderBundle(dir: string, cache: string, plugins?: Plugin[]): Promise<{ outcome: BundleCacheOutcome | undefined; code: string }> {
  const { project } = findProject(dir);
  if (project.rules.kind !== 'declarative') throw new Error('expected tasks.js and targets.js');
  const request = configLoaderRequest(project.dir, { tasksFile: project.rules.tasksFile, targetsFile: project.rules.targetsFile }, plugins)!;
  let outcome: BundleCacheOutcome | undefined;
  const out = await bundleCached(request, project, { enabled: true, dir: cache }, (o) => (outcome = o));
  return { outcome, code: out.code };
}

describe('one bundle through the compile cache', () => {
  it('answers from the cache while every file it read is unchanged, and bundles again after a change', async () => {
    const dir = exampleCopy();
    const cache = tempDir();
    const first = await loaderBundle(dir, cache);
    expect(first.outcome).toBe('miss');
    expect(entries(cache)).toHaveLength(1);
    const second = await loaderBundle(dir, cache);
    expect(second).toEqual({ outcome: 'hit', code: first.code });
    // nools-extras.js is read through tasks.js: a change there is a change of the bundle.
    appendFileSync(path.join(dir, 'nools-extras.js'), '\nglobalThis.chtkitEdited = 42;\n');
    age(dir);
    const third = await loaderBundle(dir, cache);
    expect(third.outcome).toBe('miss');
    expect(third.code).toContain('chtkitEdited = 42');
  });

  it("keys a plugin by its code: another plugin's bundle is never served", async () => {
    const dir = exampleCopy();
    const cache = tempDir();
    const plugin = (text: string): Plugin => ({
      name: 'test-banner',
      setup(build) {
        build.onLoad({ filter: /nools-extras\.js$/ }, (args) => ({ contents: `${readFileSync(args.path, 'utf8')}\n${text}`, loader: 'js' }));
      },
    });
    expect((await loaderBundle(dir, cache, [plugin('var a = 1;')])).outcome).toBe('miss');
    expect((await loaderBundle(dir, cache, [plugin('var a = 1;')])).outcome).toBe('hit');
    const other: Plugin = {
      name: 'test-banner',
      setup(build) {
        build.onLoad({ filter: /nools-extras\.js$/ }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      },
    };
    expect((await loaderBundle(dir, cache, [other])).outcome).toBe('miss');
    expect((await loaderBundle(dir, cache)).outcome).toBe('miss');
  });

  it('stores nothing for a bundle that fails, and reads and writes nothing when off', async () => {
    const dir = exampleCopy();
    const cache = tempDir();
    writeFileSync(path.join(dir, 'tasks.js'), 'module.exports = [;\n');
    age(dir);
    await expect(loaderBundle(dir, cache)).rejects.toThrow(/Could not build tasks.js and targets.js/);
    expect(entries(cache)).toEqual([]);
    const { project } = findProject(dir);
    const request = configLoaderRequest(project.dir, { targetsFile: path.join(dir, 'targets.js') })!;
    let outcome: BundleCacheOutcome | undefined;
    await bundleCached(request, project, { enabled: false, dir: cache }, (o) => (outcome = o));
    expect(outcome).toBe('off');
    expect(entries(cache)).toEqual([]);
  });
});

describe('cht validate-app-settings and the cache', () => {
  it("reuses its bundles (not its findings) until a file changes; --no-cache neither reads nor writes them", async () => {
    const dir = exampleCopy();
    const xdg = tempDir();
    const cacheDir = path.join(xdg, 'chtkit');
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    const validate = async (...flags: string[]) => {
      const r = await runCht([`--source=${dir}`, ...flags, 'validate-app-settings', '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[] };
    };
    const reference = await validate('--no-cache');
    expect(entries(cacheDir)).toEqual([]);
    expect(await validate()).toEqual(reference);
    // tasks.js with targets.js, and the contact summary.
    expect(entries(cacheDir)).toHaveLength(2);
    expect(await validate()).toEqual(reference);

    // Proof that the cache answered: a stored bundle whose warnings say so is what the next run reports.
    for (const name of entries(cacheDir)) {
      const file = path.join(cacheDir, name);
      const [header, out] = readFileSync(file, 'utf8').split('\n') as [string, string];
      const tampered = JSON.parse(out) as { warnings: unknown[] };
      tampered.warnings.push({ severity: 'warning', code: 'bundle/from-the-cache', message: name });
      writeFileSync(file, `${header}\n${JSON.stringify(tampered)}`);
    }
    const fromCache = await validate();
    expect(fromCache.diagnostics.filter((d) => d.code === 'bundle/from-the-cache').map((d) => d.message).sort()).toEqual(entries(cacheDir));
    expect(await validate('--no-cache')).toEqual(reference);

    // A changed input is bundled again: the checks see the new code, not the stored bundle.
    const tasks = path.join(dir, 'tasks.js');
    writeFileSync(tasks, readFileSync(tasks, 'utf8').replace(/name: '([^']+)'/, "name: '$1-renamed'"));
    age(dir);
    const changed = await validate();
    expect(changed.diagnostics.filter((d) => d.code === 'bundle/from-the-cache')).toHaveLength(1); // the contact summary's
  });
});
