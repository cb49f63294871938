import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';

let api: typeof Esbuild | undefined;

/**
 * esbuild, loaded on first use: requiring it costs ~20 ms, which a run whose bundles all come from the compile
 * cache never pays. It is CommonJS: required, not imported, to skip the ESM importer's CJS export scan.
 */
export function esbuildApi(): typeof Esbuild {
  api ??= createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  return api;
}

/**
 * Starts esbuild's service process now, so its start-up overlaps with reading the project instead of
 * delaying the first build. Safe to call more than once.
 */
export function warmUpBundler(): void {
  void esbuildApi().formatMessages([], { kind: 'error' }).catch(() => undefined);
}
