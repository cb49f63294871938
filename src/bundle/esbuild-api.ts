import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';

let api: typeof Esbuild | undefined;

/**
 * esbuild, loaded on first use: requiring it costs ~20 ms, which a run whose bundles all come from the compile
 * cache never pays. It is CommonJS: required, not imported, to skip the ESM importer's CJS export scan.
 */
export function esbuildApi(): typeof Esbuild {
  api ??= load();
  return api;
}

/**
 * Requires esbuild's API without the two built-ins it loads for what chtkit never calls: node:crypto (a temp
 * file name for a binary copy) and node:worker_threads (the synchronous API's worker), ~9 ms of a run that
 * bundles. worker_threads is off through esbuild's own switch, ESBUILD_WORKER_THREADS=0, read as it loads;
 * crypto is required on first use. Both only while esbuild's main module loads; everything else is Node's own.
 */
function load(): typeof Esbuild {
  const require = createRequire(import.meta.url);
  const main = require.resolve('esbuild');
  const Module = require('node:module') as { prototype: { require(this: { filename?: string }, id: string): unknown } };
  const original = Module.prototype.require;
  const env = process.env;
  const hadSwitch = Object.prototype.hasOwnProperty.call(env, 'ESBUILD_WORKER_THREADS');
  const previous = env.ESBUILD_WORKER_THREADS;
  env.ESBUILD_WORKER_THREADS = '0';
  Module.prototype.require = function (this: { filename?: string }, id: string) {
    if (this.filename === main && (id === 'crypto' || id === 'node:crypto')) return onFirstUse(() => original.call(this, id) as object);
    return original.call(this, id);
  };
  try {
    return require('esbuild') as typeof Esbuild;
  } finally {
    Module.prototype.require = original;
    if (hadSwitch) env.ESBUILD_WORKER_THREADS = previous;
    else delete env.ESBUILD_WORKER_THREADS;
  }
}

function onFirstUse(load: () => object): object {
  let loaded: object | undefined;
  return new Proxy({}, { get: (_, key) => Reflect.get((loaded ??= load()), key) });
}

/**
 * Starts esbuild's service process now, so its start-up overlaps with reading the project instead of
 * delaying the first build. Safe to call more than once.
 */
export function warmUpBundler(): void {
  void esbuildApi().formatMessages([], { kind: 'error' }).catch(() => undefined);
}
