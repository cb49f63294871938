import type { ConfigProject } from '../project/project.js';
import { chtkitIdentity, entryDirOf, esbuildVersion, lookupFor, storeFor } from './cache-key.js';
import type { CompileCacheOptions } from './cached-compile.js';
import { CACHE_FORMAT, digest } from './compile-cache.js';
import { bundle, type BundleOutput, type BundleRequest } from './esbuild.js';

/**
 * One esbuild bundle through the compile cache (compile-cache.ts), for validation's loads of tasks.js and
 * targets.js and its check of the contact summary: on a hit, esbuild is neither loaded nor started (~20 ms
 * of a warm validate-app-settings' own time). An entry is reused only while every file the bundle read, every
 * listing that decides what a `require` resolves to, chtkit's bundling code and esbuild's version are unchanged;
 * what is done with the bundle (evaluating it, checking what it exports) runs every time.
 *
 * Only requests whose plugins are pure may come here: a plugin that records something while it runs (the
 * position-recording load of src/schema/load.ts) would not run on a hit. A plugin's code is part of the key.
 * A bundle that fails is not stored: it throws as it always did, and the next run bundles again.
 */

export type BundleCacheOutcome = 'hit' | 'miss' | 'off';

/** The slot's key: what the bundle was asked for, and everything it depends on that is not a file it reads. */
function slotKey(req: BundleRequest, project: ConfigProject): string {
  const { plugins, ...request } = req;
  return JSON.stringify({
    format: CACHE_FORMAT,
    kind: 'bundle',
    chtkit: chtkitIdentity(),
    esbuild: esbuildVersion(),
    node: process.version,
    request,
    plugins: (plugins ?? []).map((p) => `${p.name}:${digest(p.setup.toString())}`),
    project,
  });
}

/**
 * Bundles `req`, or returns the cached output of an earlier bundle of the same request whose inputs are all
 * unchanged. The lookup runs before the first `await`, so a caller that starts this early knows at once whether
 * esbuild will be needed: `onOutcome` is told then (e.g. to start esbuild's service on a miss).
 */
export async function bundleCached(
  req: BundleRequest,
  project: ConfigProject,
  cache: CompileCacheOptions,
  onOutcome?: (outcome: BundleCacheOutcome) => void,
): Promise<BundleOutput> {
  if (!cache.enabled) {
    onOutcome?.('off');
    return bundle(req);
  }
  const dir = entryDirOf(project, cache);
  const key = slotKey(req, project);
  const hit = lookupFor<BundleOutput>(dir, key, project);
  onOutcome?.(hit ? 'hit' : 'miss');
  if (hit) return hit;
  const started = Date.now();
  const out = await bundle(req);
  storeFor(dir, key, project, out.inputs, started, JSON.stringify(out));
  return out;
}
