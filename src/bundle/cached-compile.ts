/* eslint-disable @typescript-eslint/no-explicit-any -- app settings are user-shaped JSON */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { findProject, type ConfigProject } from '../project/project.js';
import type { CompiledProject, CompileOptions } from './app-settings.js';
import { chtkitIdentity, entryDirOf, esbuildVersion, lookupFor, storeFor } from './cache-key.js';
import { CACHE_FORMAT } from './compile-cache.js';

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

/** The slot's key: everything a compile depends on that is not a file it reads. */
function slotKey(found: { project: ConfigProject; warnings: Diagnostic[] }, options: { minify: boolean; sourcemap: boolean }): string {
  return JSON.stringify({
    format: CACHE_FORMAT,
    chtkit: chtkitIdentity(),
    esbuild: esbuildVersion(),
    node: process.version,
    options,
    project: found.project,
    warnings: found.warnings,
  });
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
  const dir = entryDirOf(found.project, cache);
  const key = slotKey(found, options);
  const hit = lookupFor<Output>(dir, key, found.project);
  if (hit) return { ...hit, cache: 'hit' };

  const started = Date.now();
  const compiled = await compile(rootDir, compileOptions);
  const output = JSON.stringify(toOutput(compiled));
  storeFor(dir, key, found.project, compiled.files, started, output);
  return { ...(JSON.parse(output) as Output), cache: 'miss' };
}

async function compile(rootDir: string, options: CompileOptions): Promise<CompiledProject> {
  const [{ compileProject }, { warmUpBundler }] = await Promise.all([import('./app-settings.js'), import('./esbuild-api.js')]);
  warmUpBundler();
  return compileProject(rootDir, options);
}
