import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedVersion, moduleDigests } from '../../bundle/cache-key.js';
import { CACHE_FORMAT, digest, lookupEntry, storeEntry } from '../../bundle/compile-cache.js';
import { instrumentRules } from './trace-transform.js';

/**
 * The instrumented copy of the rules that a traced timeline runs (trace-transform.ts), kept beside the compile
 * cache's entries when the dry-run has a cache folder (RulesConfig.cacheDir): making it parses the whole bundle
 * with acorn, resolves its scopes and walks it, ~60 ms of a 90-day dry-run of 100 patients on the example app
 * (the parser runs cold, once per process), and a worker thread made it again. An entry is the instrumented code
 * for one rules text (compared whole: it is in the entry's key), `window` or not, made by this chtkit's
 * instrumenting code (tracerIdentity); it reads no file, so nothing else invalidates it. Any failure to read or
 * write the cache only means making it again.
 */

export interface InstrumentedRules {
  code: string;
  /** Whether the targets' window is in the code (trace-window.ts). */
  windowed: boolean;
}

export function tracedRules(rules: string, window: boolean, cacheDir: string | undefined): InstrumentedRules {
  if (!cacheDir) return instrumentRules(rules, window);
  const key = JSON.stringify({ format: CACHE_FORMAT, kind: 'traced-rules', tracer: tracerIdentity(), window, rules });
  const hit = lookupEntry<InstrumentedRules>(cacheDir, key);
  if (hit && typeof hit.code === 'string' && typeof hit.windowed === 'boolean') return hit;
  const made = instrumentRules(rules, window);
  storeEntry(cacheDir, key, { files: {}, dirs: {} }, JSON.stringify(made));
  return made;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
let identity: string | undefined;

/**
 * What the instrumented code depends on besides the rules: this folder's modules (the transform and every helper
 * whose names and behaviour it assumes), read as they are on disk (dist/ when installed, src/ under the tests),
 * and the versions of the parser and the scope analyser. Worked out once per process (~1 ms).
 */
export function tracerIdentity(): string {
  identity ??= digest([...moduleDigests([HERE]), ...['acorn', 'eslint-scope'].map((pkg) => `${pkg}@${installedVersion(pkg) ?? '?'}`)].join('\n'));
  return identity;
}
