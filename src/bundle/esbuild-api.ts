import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';

/** esbuild is CommonJS: required, not imported, to skip the ESM importer's CJS export scan (~15 ms per run). */
export const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;

/**
 * Starts esbuild's service process now, so its start-up overlaps with reading the project instead of
 * delaying the first build. Safe to call more than once.
 */
export function warmUpBundler(): void {
  void esbuild.formatMessages([], { kind: 'error' }).catch(() => undefined);
}
