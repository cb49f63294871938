import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject, serializeSettings } from '../../src/bundle/app-settings.js';
import { packageRootOf } from '../../src/bundle/cache-key.js';
import { compileCached, type CompiledSettings } from '../../src/bundle/cached-compile.js';
import { cacheDirFor, digest, InputHasher, listing, lookupEntry, modifiedSince, storeEntry } from '../../src/bundle/compile-cache.js';
import { age, cleanEnv, cleanupTemps, fixture, ROOT, runCht, tempCopy } from '../helpers/cli.js';
import { populationFile } from '../helpers/dry-run.js';

afterAll(cleanupTemps);

const DRY_RUN = { minify: false, sourcemap: true };
const COMPILE = { minify: true, sourcemap: false };

function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}


/** A copy of the example app, aged, with a cache directory of its own. */
function project(): { dir: string; cache: string } {
  const dir = tempCopy(fixture('example-app'));
  age(path.dirname(dir));
  return { dir, cache: tempDir('chtkit-cache-') };
}

/** The cache's entries (the code cache of chtkit's own modules keeps a folder of its own there). */
function entries(cache: string): string[] {
  return existsSync(cache) ? readdirSync(cache).filter((n) => n.endsWith('.json')).sort() : [];
}

/** The entry of a whole compile (validation's bundles have entries of their own, without settings). */
function compileEntry(cache: string): string {
  const found = entries(cache).filter((n) => readFileSync(path.join(cache, n), 'utf8').split('\n')[1]!.startsWith('{"project":'));
  expect(found).toHaveLength(1);
  return path.join(cache, found[0]!);
}

async function cached(p: { dir: string; cache: string }, options = DRY_RUN): Promise<CompiledSettings> {
  return compileCached(p.dir, options, { enabled: true, dir: p.cache });
}

/** Edits a file and dates it back, so the next compile may store its result. */
function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(existsSync(file) ? readFileSync(file, 'utf8') : ''));
  age(path.dirname(file));
}

describe('the compile cache', () => {
  it('answers a second compile from the cache, with what the compile gives', async () => {
    const p = project();
    const first = await cached(p);
    expect(first.cache).toBe('miss');
    expect(entries(p.cache)).toHaveLength(1);
    const second = await cached(p);
    expect(second.cache).toBe('hit');
    const fresh = await compileCached(p.dir, DRY_RUN, { enabled: false });
    expect(fresh.cache).toBe('off');
    const { cache: _a, ...hit } = second;
    const { cache: _b, ...miss } = first;
    const { cache: _c, ...off } = fresh;
    expect(hit).toEqual(off);
    expect(miss).toEqual(off);
    expect(hit.settings.tasks.rules).toContain('anc-home-visit');
    expect(hit.rulesMap).toBeTruthy();
    // Other options are another slot.
    expect((await cached(p, COMPILE)).cache).toBe('miss');
    expect((await cached(p, COMPILE)).cache).toBe('hit');
    expect(entries(p.cache)).toHaveLength(2);
  });

  it('is byte-identical to a compile without it (what compile-app-settings writes)', async () => {
    const p = project();
    const direct = serializeSettings((await compileProject(p.dir, { minify: true })).settings);
    const miss = await cached(p, COMPILE);
    const hit = await cached(p, COMPILE);
    expect(hit.cache).toBe('hit');
    expect(serializeSettings(miss.settings)).toBe(direct);
    expect(serializeSettings(hit.settings)).toBe(direct);
  });

  it('is invalidated by a changed required module', async () => {
    const p = project();
    await cached(p);
    edit(path.join(p.dir, 'nools-extras.js'), (t) => t.replace('const PREGNANCY_WEEKS = 40;', 'const PREGNANCY_WEEKS = 41;'));
    const changed = await cached(p);
    expect(changed.cache).toBe('miss');
    expect(changed.settings.tasks.rules).toContain('PREGNANCY_WEEKS = 41');
    expect((await cached(p)).cache).toBe('hit');
  });

  it('is invalidated by a changed app_settings file, and by a settings file that appears', async () => {
    const p = project();
    await cached(p);
    edit(path.join(p.dir, 'app_settings', 'base_settings.json'), (t) => t.replace('{', '{ "cache_test": 1,'));
    const changed = await cached(p);
    expect(changed.cache).toBe('miss');
    expect(changed.settings.cache_test).toBe(1);
    edit(path.join(p.dir, 'app_settings', 'assetlinks.json'), () => '[]');
    const added = await cached(p);
    expect(added.cache).toBe('miss');
    expect(added.settings.assetlinks).toEqual([]);
  });

  it('is invalidated by a changed npm dependency: its version, or its code', async () => {
    const p = project();
    const dep = path.join(p.dir, 'node_modules', 'chtkit-test-dep');
    mkdirSync(dep, { recursive: true });
    writeFileSync(path.join(dep, 'package.json'), JSON.stringify({ name: 'chtkit-test-dep', version: '1.0.0', main: 'index.js' }));
    writeFileSync(path.join(dep, 'index.js'), 'module.exports = { weeks: 40 };\n');
    edit(path.join(p.dir, 'nools-extras.js'), (t) => t.replace('const PREGNANCY_WEEKS = 40;', "const PREGNANCY_WEEKS = require('chtkit-test-dep').weeks;"));
    age(p.dir);
    expect((await cached(p)).cache).toBe('miss');
    expect((await cached(p)).cache).toBe('hit');
    // A new version with the same code (npm dates every file of every package the same): still a change.
    edit(path.join(dep, 'package.json'), (t) => t.replace('1.0.0', '1.0.1'));
    expect((await cached(p)).cache).toBe('miss');
    expect((await cached(p)).cache).toBe('hit');
    edit(path.join(dep, 'index.js'), () => 'module.exports = { weeks: 39 };\n');
    const upgraded = await cached(p);
    expect(upgraded.cache).toBe('miss');
    expect(upgraded.settings.tasks.rules).toContain('weeks: 39');
  });

  it('is invalidated by a package installed nearer than the node_modules it was found in', async () => {
    // A monorepo: the project in repo/apps/x, its packages in repo/node_modules.
    const repo = tempDir('chtkit-monorepo-');
    const dir = path.join(repo, 'apps', 'x');
    cpSync(fixture('example-app'), dir, { recursive: true });
    mkdirSync(path.join(repo, 'node_modules'));
    symlinkSync(path.join(ROOT, 'node_modules', 'moment'), path.join(repo, 'node_modules', 'moment'), 'dir');
    const install = (where: string, weeks: number) => {
      const dep = path.join(where, 'node_modules', 'chtkit-test-dep');
      mkdirSync(dep, { recursive: true });
      writeFileSync(path.join(dep, 'package.json'), JSON.stringify({ name: 'chtkit-test-dep', version: `1.0.${weeks}`, main: 'index.js' }));
      writeFileSync(path.join(dep, 'index.js'), `module.exports = { weeks: ${weeks} };\n`);
      age(repo);
    };
    install(repo, 40);
    edit(path.join(dir, 'nools-extras.js'), (t) => t.replace('const PREGNANCY_WEEKS = 40;', "const PREGNANCY_WEEKS = require('chtkit-test-dep').weeks;"));
    age(repo);
    const p = { dir, cache: tempDir('chtkit-cache-') };
    expect((await cached(p)).cache).toBe('miss');
    expect((await cached(p)).cache).toBe('hit');
    // Installed in repo/apps/node_modules, between the project and repo/node_modules: a require now finds it there.
    install(path.join(repo, 'apps'), 39);
    const nearer = await cached(p);
    expect(nearer.cache).toBe('miss');
    expect(nearer.settings.tasks.rules).toContain('weeks: 39');
  });

  it('is invalidated by a new file that a require now resolves to', async () => {
    const p = project();
    mkdirSync(path.join(p.dir, 'lib'));
    edit(path.join(p.dir, 'tasks.js'), (t) => t.replace("require('./nools-extras')", "require('./lib/extras')"));
    edit(path.join(p.dir, 'lib', 'extras.js'), () => readFileSync(path.join(p.dir, 'nools-extras.js'), 'utf8'));
    age(p.dir);
    expect((await cached(p)).cache).toBe('miss');
    expect((await cached(p)).cache).toBe('hit');
    // esbuild resolves ./lib/extras to extras.ts before extras.js: nothing the last compile read has changed.
    edit(path.join(p.dir, 'lib', 'extras.ts'), () => readFileSync(path.join(p.dir, 'nools-extras.js'), 'utf8').replace('const PREGNANCY_WEEKS = 40;', 'const PREGNANCY_WEEKS = 42;'));
    const shadowed = await cached(p);
    expect(shadowed.cache).toBe('miss');
    expect(shadowed.settings.tasks.rules).toContain('PREGNANCY_WEEKS = 42');
  });

  it('keeps earlier versions: going back to one hits again', async () => {
    const p = project();
    const extras = path.join(p.dir, 'nools-extras.js');
    const original = readFileSync(extras, 'utf8');
    await cached(p);
    edit(extras, (t) => t.replace('const PREGNANCY_WEEKS = 40;', 'const PREGNANCY_WEEKS = 41;'));
    expect((await cached(p)).cache).toBe('miss');
    edit(extras, () => original);
    const back = await cached(p);
    expect(back.cache).toBe('hit');
    expect(back.settings.tasks.rules).toContain('PREGNANCY_WEEKS = 40');
  });

  it('does not store a compile whose files were saved while it ran', async () => {
    const p = project();
    edit(path.join(p.dir, 'targets.js'), (t) => `${t}\n`);
    utimesSync(path.join(p.dir, 'targets.js'), new Date(), new Date());
    expect((await cached(p)).cache).toBe('miss');
    expect(entries(p.cache)).toEqual([]);
    age(p.dir);
    expect((await cached(p)).cache).toBe('miss');
    expect((await cached(p)).cache).toBe('hit');
  });

  it('counts a directory as changed under a compile only when an entry a require could see appeared in it', () => {
    const dir = tempDir('chtkit-racy-');
    const modules = path.join(dir, 'node_modules');
    mkdirSync(modules);
    writeFileSync(path.join(dir, 'tasks.js'), 'module.exports = [];\n');
    age(dir);
    const started = Date.now();
    const recorded = new InputHasher().record([path.join(dir, 'tasks.js')], [dir, modules]);
    expect(modifiedSince(recorded, started)).toBe(false);
    // vitest's node_modules/.vite, this cache's node_modules/.cache: the directory's mtime moves, no require sees it
    mkdirSync(path.join(modules, '.vite'));
    expect(modifiedSince(recorded, started)).toBe(false);
    // a package installed, or a file next to a bundled one, while the compile ran: it may have been resolved or not
    mkdirSync(path.join(modules, 'luxon'));
    expect(modifiedSince(recorded, started)).toBe(true);
    age(dir);
    writeFileSync(path.join(dir, 'tasks.ts'), '');
    expect(modifiedSince(recorded, started)).toBe(true);
    age(dir);
    // a file the compile read, deleted before its inputs were recorded
    expect(modifiedSince(recorded, started, [path.join(dir, 'gone.js')])).toBe(true);
    expect(modifiedSince(recorded, started, [path.join(dir, 'tasks.js')])).toBe(false);
  });

  it('ignores a corrupt entry and replaces it', async () => {
    const p = project();
    await cached(p);
    const [entry] = entries(p.cache);
    const file = path.join(p.cache, entry!);
    for (const corrupt of ['', 'not json\n{}', readFileSync(file, 'utf8').slice(0, 500), `${readFileSync(file, 'utf8').split('\n')[0]}\n{"settings":`]) {
      writeFileSync(file, corrupt);
      const r = await cached(p);
      expect(r.cache).toBe('miss');
      expect(r.settings.tasks.rules).toContain('anc-home-visit');
      expect((await cached(p)).cache).toBe('hit');
    }
  });

  it('reads an entry only when its inputs match, and --no-cache reads and writes nothing', async () => {
    const p = project();
    await cached(p);
    const [entry] = entries(p.cache);
    const file = path.join(p.cache, entry!);
    // An entry whose output was tampered with, inputs intact: the cache serves it (proof the cache is read)...
    const [header, output] = readFileSync(file, 'utf8').split('\n') as [string, string];
    const tampered = JSON.parse(output);
    tampered.settings.tampered = true;
    writeFileSync(file, `${header}\n${JSON.stringify(tampered)}`);
    expect((await cached(p)).settings.tampered).toBe(true);
    // ...and a run without the cache never sees it, nor writes anything.
    const off = await compileCached(p.dir, DRY_RUN, { enabled: false, dir: p.cache });
    expect(off.settings.tampered).toBeUndefined();
    expect(entries(p.cache)).toEqual([entry]);
    const empty = tempDir('chtkit-cache-');
    await compileCached(p.dir, DRY_RUN, { enabled: false, dir: empty });
    expect(entries(empty)).toEqual([]);
  });

  it('keeps a few entries per project and prunes the rest', async () => {
    const p = project();
    const extras = path.join(p.dir, 'nools-extras.js');
    for (let weeks = 40; weeks < 46; weeks++) {
      edit(extras, (t) => t.replace(/const PREGNANCY_WEEKS = \d+;/, `const PREGNANCY_WEEKS = ${weeks};`));
      expect((await cached(p)).cache).toBe('miss');
    }
    expect(entries(p.cache)).toHaveLength(3);
  });

  it('is safe under concurrent runs: they all give the same settings and leave one whole entry', async () => {
    const p = project();
    // Processes running chtkit's dist/ (the compile of src/ under vitest differs in its runtime modules' code).
    const script = (enabled: boolean) => `
      const { compileCached } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'bundle', 'cached-compile.js'))});
      const r = await compileCached(${JSON.stringify(p.dir)}, { minify: true, sourcemap: false }, { enabled: ${enabled}, dir: ${JSON.stringify(p.cache)} });
      console.log(JSON.stringify({ cache: r.cache, settings: JSON.stringify(r.settings) }));`;
    const run = (enabled = true) => new Promise<{ cache: string; settings: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script(enabled)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))));
    });
    const expected = (await run(false)).settings;
    expect(entries(p.cache)).toEqual([]);
    for (let wave = 0; wave < 2; wave++) {
      const results = await Promise.all([run(), run(), run(), run()]);
      for (const r of results) expect(r.settings).toBe(expected);
      if (wave === 1) expect(results.map((r) => r.cache)).toEqual(['hit', 'hit', 'hit', 'hit']);
      expect(entries(p.cache)).toHaveLength(1);
    }
  });
});

describe('where the cache lives', () => {
  it('in the project\'s node_modules/.cache/chtkit when it has node_modules, else under XDG_CACHE_HOME or ~/.cache', () => {
    const dir = tempDir('chtkit-project-');
    expect(cacheDirFor(dir, { XDG_CACHE_HOME: '/var/cache/me' })).toBe(path.join('/var/cache/me', 'chtkit'));
    expect(cacheDirFor(dir, {})).toBe(path.join(os.homedir(), '.cache', 'chtkit'));
    expect(cacheDirFor(dir, { XDG_CACHE_HOME: 'relative' })).toBe(path.join(os.homedir(), '.cache', 'chtkit'));
    mkdirSync(path.join(dir, 'node_modules'));
    expect(cacheDirFor(dir, { XDG_CACHE_HOME: '/var/cache/me' })).toBe(path.join(dir, 'node_modules', '.cache', 'chtkit'));
  });

  it('in a directory that cannot be written: compiles, stores nothing, fails nothing', async () => {
    const p = project();
    const blocker = path.join(p.cache, 'file');
    writeFileSync(blocker, '');
    const r = await compileCached(p.dir, DRY_RUN, { enabled: true, dir: path.join(blocker, 'cache') });
    expect(r.cache).toBe('miss');
    expect(r.settings.tasks.rules).toContain('anc-home-visit');
  });
});

describe('the store', () => {
  it('compares inputs by content, and directory listings without dot-entries or ignored names', () => {
    const dir = tempDir('chtkit-inputs-');
    const file = path.join(dir, 'a.js');
    writeFileSync(file, 'one');
    const recorded = new InputHasher().record([file, path.join(dir, 'absent.js')], [dir]);
    expect(new InputHasher().matches(recorded)).toBe(true);
    // Same size, same mtime, other content.
    const { mtime } = lstatSync(file);
    writeFileSync(file, 'two');
    utimesSync(file, mtime, mtime);
    expect(new InputHasher().matches(recorded)).toBe(false);
    writeFileSync(file, 'one');
    writeFileSync(path.join(dir, 'absent.js'), '');
    expect(new InputHasher().matches(recorded)).toBe(false);
    expect(listing(['b', '.cache', 'a', '.tasks.js.swp'])).toEqual(['a', 'b']);
    expect(listing(['b', 'app_settings.json', 'a'], new Set(['app_settings.json']))).toEqual(['a', 'b']);
  });

  it('finds the package of a bundled npm file', () => {
    expect(packageRootOf('/p/node_modules/moment/moment.js')).toBe('/p/node_modules/moment');
    expect(packageRootOf('/p/node_modules/@scope/pkg/lib/x.js')).toBe('/p/node_modules/@scope/pkg');
    expect(packageRootOf('/p/node_modules/a/node_modules/b/index.js')).toBe('/p/node_modules/a/node_modules/b');
    expect(packageRootOf('/p/src/x.js')).toBeUndefined();
  });

  it('stores and looks up by slot; another slot never answers', () => {
    const cache = tempDir('chtkit-cache-');
    const input = path.join(tempDir('chtkit-inputs-'), 'in.txt');
    writeFileSync(input, 'x');
    const inputs = new InputHasher().record([input], []);
    expect(storeEntry(cache, 'slot-a', inputs, JSON.stringify({ v: 1 }))).toBe(true);
    expect(lookupEntry(cache, 'slot-a')).toEqual({ v: 1 });
    expect(lookupEntry(cache, 'slot-b')).toBeUndefined();
    appendFileSync(input, 'y');
    expect(lookupEntry(cache, 'slot-a')).toBeUndefined();
  });

  it('compares a slot by its whole key: another key with the same digest never answers', () => {
    // File names carry only a digest (CRC-32 and length) of the key. These two keys collide (found by search).
    const [a, b] = ['key-65229a92379a8842', 'key-fbedf6c1a06e6a5a'];
    expect(digest(a)).toBe(digest(b));
    const cache = tempDir('chtkit-cache-');
    const input = path.join(tempDir('chtkit-inputs-'), 'in.txt');
    writeFileSync(input, 'x');
    expect(storeEntry(cache, a, new InputHasher().record([input], []), JSON.stringify({ v: 1 }))).toBe(true);
    expect(lookupEntry(cache, b)).toBeUndefined();
    expect(lookupEntry(cache, a)).toEqual({ v: 1 });
  });

  it('notices a change that keeps a file\'s length', () => {
    const cache = tempDir('chtkit-cache-');
    const input = path.join(tempDir('chtkit-inputs-'), 'tasks.js');
    writeFileSync(input, 'module.exports = [1];');
    expect(storeEntry(cache, 'k', new InputHasher().record([input], []), JSON.stringify({ v: 1 }))).toBe(true);
    writeFileSync(input, 'module.exports = [2];');
    expect(lookupEntry(cache, 'k')).toBeUndefined();
    writeFileSync(input, 'module.exports = [1];');
    expect(lookupEntry(cache, 'k')).toEqual({ v: 1 });
  });
});

describe('cht dry-run-tasks and the cache', () => {
  it('uses it by default and not with --no-cache, with the same output', async () => {
    const p = project();
    const xdg = tempDir('chtkit-xdg-');
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    const args = [`--source=${p.dir}`, 'dry-run-tasks', '--date=2024-09-10', '--tz=Africa/Nairobi', '--json'];
    const none = await runCht(['--no-cache', ...args], { env });
    expect(none.code, none.stderr).toBe(0);
    expect(entries(path.join(xdg, 'chtkit'))).toEqual([]);
    const first = await runCht(args, { env });
    expect(entries(path.join(xdg, 'chtkit'))).toHaveLength(1);
    const second = await runCht(args, { env });
    expect(first.stdout).toBe(none.stdout);
    expect(second.stdout).toBe(none.stdout);
    expect(JSON.parse(second.stdout).days[0].tasks.length).toBeGreaterThan(0);
  });
});

/**
 * A 90-day dry-run of a generated population with the config `source` (its flag), a cache folder of its own:
 * `run(...flags)` gives its NDJSON (and checks it exited 0).
 */
function dryRunner(source: string, seed: number): { cacheDir: string; run: (...flags: string[]) => Promise<string> } {
  const xdg = tempDir('chtkit-xdg-');
  const env = cleanEnv({ XDG_CACHE_HOME: xdg });
  const fixtures = populationFile(300, seed);
  const run = async (...flags: string[]) => {
    const r = await runCht([...flags, 'dry-run-tasks', source, `--fixtures=${fixtures}`, '--from=2024-03-01', '--to=2024-05-29', '--tz=Africa/Nairobi', '--format=ndjson'], { env });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  return { cacheDir: path.join(xdg, 'chtkit'), run };
}

describe('cht dry-run-tasks: the traced timeline\'s instrumented rules in the cache', () => {
  it('are stored by a first run, on one thread and on two, and read by the next, with the same days', async () => {
    const { cacheDir, run } = dryRunner(`--source=${project().dir}`, 11);
    const kindOf = (n: string) => (JSON.parse((JSON.parse(readFileSync(path.join(cacheDir, n), 'utf8').split('\n')[0]!) as { key: string }).key) as { kind?: string }).kind;
    const traced = () => entries(cacheDir).filter((n) => kindOf(n) === 'traced-rules');
    const reference = await run('--no-cache', '--threads=1');
    expect(entries(cacheDir)).toEqual([]);
    expect(await run('--threads=1')).toBe(reference);
    expect(traced()).toHaveLength(1);
    expect(await run('--threads=1')).toBe(reference);
    expect(await run('--threads=2')).toBe(reference);
    expect(traced()).toHaveLength(1);
  });

  it('for a compiled app_settings.json, in the cache folder of its directory', async () => {
    const dir = tempDir('chtkit-settings-');
    const settings = path.join(dir, 'app_settings.json');
    writeFileSync(settings, serializeSettings((await compileProject(fixture('example-app'), { minify: true })).settings));
    const { cacheDir, run } = dryRunner(`--app-settings=${settings}`, 12);
    const reference = await run('--no-cache', '--threads=1');
    expect(entries(cacheDir)).toEqual([]);
    expect(await run('--threads=1')).toBe(reference);
    expect(entries(cacheDir)).toHaveLength(1);
    expect(await run('--threads=1')).toBe(reference);
    expect(entries(cacheDir)).toHaveLength(1);
  });
});

describe('cht compile-app-settings and the cache', () => {
  it('writes byte for byte the same app_settings.json from the cache, with and without --no-cache', async () => {
    const p = project();
    const xdg = tempDir('chtkit-xdg-');
    const cacheDir = path.join(xdg, 'chtkit');
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    const output = path.join(p.dir, 'app_settings.json');
    const compile = async (...flags: string[]) => {
      const r = await runCht([`--source=${p.dir}`, ...flags, 'compile-app-settings'], { env });
      expect(r.code, r.stderr).toBe(0);
      // The write renames into the project directory: date it back, as between two commands a user types.
      age(p.dir);
      return readFileSync(output, 'utf8');
    };
    const reference = await compile('--no-cache');
    expect(entries(cacheDir)).toEqual([]);
    expect(await compile()).toBe(reference);
    // The compile's, and validation's bundle of tasks.js and targets.js.
    expect(entries(cacheDir)).toHaveLength(2);
    expect(await compile()).toBe(reference);
    expect(await compile('--skip-validate')).toBe(reference);
    // Proof that the cache is what answered: an entry whose output says so.
    const file = compileEntry(cacheDir);
    const [header, out] = readFileSync(file, 'utf8').split('\n') as [string, string];
    const tampered = JSON.parse(out);
    tampered.settings.from_the_cache = true;
    writeFileSync(file, `${header}\n${JSON.stringify(tampered)}`);
    expect(JSON.parse(await compile()).from_the_cache).toBe(true);
    expect(await compile('--no-cache')).toBe(reference);
  });
});
