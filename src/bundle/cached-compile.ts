/* eslint-disable @typescript-eslint/no-explicit-any -- app settings are user-shaped JSON */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { findProject, type ConfigProject } from '../project/project.js';
import type { CompiledProject, CompileOptions } from './app-settings.js';
import { cacheDirFor, CACHE_FORMAT, InputHasher, lookupEntry, modifiedSince, sha256, storeEntry } from './compile-cache.js';

/**
 * A compile through the compile cache (compile-cache.ts): the project's app settings, from the cache when
 * nothing the last compile read has changed, else compiled (and stored). A hit loads neither esbuild nor the
 * compile's modules.
 */

export interface CompileCacheOptions {
  /** false (`--no-cache`): the cache is neither read nor written. */
  enabled: boolean;
  /** Where entries live; default: cacheDirFor(the project, env). */
  dir?: string;
  /** For the default directory ($XDG_CACHE_HOME); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * What a compile gives its callers, as JSON: the settings are the parsed JSON of the compiled settings — what
 * compile-app-settings writes and a phone receives — whether they came from the cache or not.
 */
export interface CompiledSettings {
  project: ConfigProject;
  settings: Record<string, any>;
  /** External source map of tasks.rules, when the compile was asked for maps. */
  rulesMap?: string;
  warnings: Diagnostic[];
  /** Whether the cache answered (`hit`), was filled (`miss`: compiled, and stored when it could be), or was not used. */
  cache: 'hit' | 'miss' | 'off';
}

type Output = Omit<CompiledSettings, 'cache'>;

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** chtkit's runtime modules are bundle inputs like the project's files, but never resolved by searching. */
const RUNTIME_DIR = path.join(HERE, 'runtime');
// A package.json can change how a require resolves (`main`, `browser`); tsconfig.json is never read (esbuild.ts).
const CONFIG_FILES = ['package.json'];

let ownCode: string | undefined;

/**
 * chtkit's version and a hash of its own compile code (this directory and src/project): a chtkit whose
 * compile changed, released or not, never reads the entries of another.
 */
function chtkitIdentity(): string {
  if (ownCode === undefined) {
    const hasher = new InputHasher();
    const parts: string[] = [];
    const pkg = JSON.parse(readFileSync(path.join(HERE, '..', '..', 'package.json'), 'utf8')) as { version: string };
    parts.push(pkg.version);
    for (const dir of [HERE, RUNTIME_DIR, path.join(HERE, '..', 'project')]) {
      for (const name of readdirSync(dir).sort()) {
        if (/\.(js|ts)$/.test(name) && !name.endsWith('.d.ts')) parts.push(`${name}:${hasher.file(path.join(dir, name))}`);
      }
    }
    ownCode = sha256(parts.join('\n'));
  }
  return ownCode;
}

function esbuildVersion(): string {
  const file = createRequire(import.meta.url).resolve('esbuild/package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The slot: everything a compile depends on that is not a file it reads. */
function slotOf(found: { project: ConfigProject; warnings: Diagnostic[] }, options: { minify: boolean; sourcemap: boolean }): string {
  return sha256(JSON.stringify({
    format: CACHE_FORMAT,
    chtkit: chtkitIdentity(),
    esbuild: esbuildVersion(),
    node: process.version,
    options,
    project: found.project,
    warnings: found.warnings,
  })).slice(0, 32);
}

function isInside(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** The package root of a file inside node_modules (`…/node_modules/name` or `…/node_modules/@scope/name`). */
export function packageRootOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const i = parts.lastIndexOf('node_modules');
  if (i === -1 || i + 1 >= parts.length - 1) return undefined;
  const end = parts[i + 1]!.startsWith('@') ? i + 3 : i + 2;
  return end < parts.length ? parts.slice(0, end).join(path.sep) : undefined;
}

/**
 * Everything a compile's result depends on, beyond the slot: every file it read (settings, purge.js and its
 * modules, every bundled file), the package.json of every npm package bundled, and — because adding a file can
 * change what a `require` resolves to (`./helpers.ts` next to `./helpers.js`, a package installed in a nearer
 * node_modules) — the listing of every directory from a bundled file's up to the project's (or up to the
 * node_modules it is in), with the node_modules directories they hold, and the package.json files esbuild may
 * read in them and above them.
 */
export function inputsOf(project: ConfigProject, compiled: Pick<CompiledProject, 'files'>): { files: Set<string>; dirs: Set<string> } {
  const hasher = new InputHasher();
  const files = new Set(compiled.files);
  const dirs = new Set<string>();
  const projectDirs = [project.dir, project.rootDir];
  for (const file of compiled.files) {
    if (isInside(file, RUNTIME_DIR)) continue;
    const pkg = packageRootOf(file);
    if (pkg) files.add(path.join(pkg, 'package.json'));
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      dirs.add(dir);
      const parent = path.dirname(dir);
      if (projectDirs.includes(dir) || path.basename(dir) === 'node_modules' || parent === dir) break;
      if (projectDirs.some((p) => isInside(p, parent))) break;
    }
  }
  for (const dir of projectDirs) dirs.add(dir);
  for (const dir of [...dirs]) {
    for (const entry of hasher.entries(dir)) {
      if (entry.name === 'node_modules' && entry.isDirectory()) dirs.add(path.join(dir, entry.name));
    }
  }
  const configDirs = new Set<string>();
  for (const dir of dirs) {
    for (let d = dir; !configDirs.has(d); d = path.dirname(d)) {
      configDirs.add(d);
      if (path.dirname(d) === d) break;
    }
  }
  for (const dir of configDirs) for (const name of CONFIG_FILES) files.add(path.join(dir, name));
  return { files, dirs };
}

/** compile-app-settings' own output, app_settings.json, is no input of a compile (legacy settings are read as files). */
/** A compile's own output file is not one of its inputs. */
function ignoredNames(project: ConfigProject): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map([[path.dirname(project.outputFile), new Set([path.basename(project.outputFile)])]]);
}

function hasherFor(project: ConfigProject): InputHasher {
  return new InputHasher(ignoredNames(project));
}

function toOutput(compiled: CompiledProject): Output {
  return {
    project: compiled.project,
    settings: compiled.settings,
    ...(compiled.rules.map ? { rulesMap: compiled.rules.map } : {}),
    warnings: compiled.warnings,
  };
}

/**
 * Compiles the project in memory (nothing is written but the cache entry), through the cache when enabled.
 * `loaded`: tasks.js/targets.js already loaded by validation, for a compile that misses (see CompileOptions).
 */
export async function compileCached(
  rootDir: string,
  { loaded, ...options }: { minify: boolean; sourcemap: boolean; loaded?: CompileOptions['loaded'] },
  cache: CompileCacheOptions,
): Promise<CompiledSettings> {
  const compileOptions: CompileOptions = { ...options, ...(loaded ? { loaded } : {}) };
  if (!cache.enabled) {
    const output = JSON.stringify(toOutput(await compile(rootDir, compileOptions)));
    return { ...(JSON.parse(output) as Output), cache: 'off' };
  }
  // The project's layout is read afresh every time (it is part of the slot); it also fails as a compile would.
  const found = findProject(rootDir);
  const dir = cache.dir ?? cacheDirFor(found.project.rootDir, cache.env ?? process.env);
  const slot = slotOf(found, options);
  const hit = lookupEntry<Output>(dir, slot, hasherFor(found.project));
  if (hit) return { ...hit, cache: 'hit' };

  const started = Date.now();
  const compiled = await compile(rootDir, compileOptions);
  const output = JSON.stringify(toOutput(compiled));
  const { files, dirs } = inputsOf(found.project, compiled);
  const recorded = hasherFor(found.project).record(files, dirs);
  // A file saved while it was being compiled may have been read before the change: not stored (the next run is).
  if (!modifiedSince(recorded, started, compiled.files, ignoredNames(found.project))) storeEntry(dir, slot, recorded, output);
  return { ...(JSON.parse(output) as Output), cache: 'miss' };
}

async function compile(rootDir: string, options: CompileOptions): Promise<CompiledProject> {
  const [{ compileProject }, { warmUpBundler }] = await Promise.all([import('./app-settings.js'), import('./esbuild-api.js')]);
  warmUpBundler();
  return compileProject(rootDir, options);
}
