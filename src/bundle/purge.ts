import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { UserError } from '../errors.js';
import type { ConfigProject } from '../project/project.js';

/**
 * The `purge` setting (cht-conf 6.6.1 src/lib/parse-purge.js). purge.js runs on the server, not the phone, so it is loaded with
 * Node's own require, as cht-conf does; `fn` is stored as its original source text.
 */
export function readPurge(
  source: ConfigProject['purge'],
  legacySettings: () => Record<string, unknown>,
  /** Collects the files read: the purge file and every module purge.js requires. */
  files?: Set<string>,
): Record<string, unknown> {
  if (!source) return {};
  files?.add(source.file);
  if (source.kind === 'purge.js') {
    const require = createRequire(source.file);
    let config: unknown;
    try {
      delete require.cache[require.resolve(source.file)];
      config = require(source.file);
    } catch (err) {
      throw new UserError(`Error parsing purge: purge.js could not be loaded: ${(err as Error).message}`, {
        code: 'CHT_E_PURGE',
        hint: `purge.js must be CommonJS and export the purge configuration: module.exports = { fn: function (userCtx, contact, reports, messages) { ... } }. File: ${source.file}`,
      });
    }
    if (files) moduleFiles(require.cache[require.resolve(source.file)], files);
    if (!config || typeof config !== 'object') {
      throw new UserError('Error parsing purge: purge.js must export an object (module.exports = { fn, ... }).', {
        code: 'CHT_E_PURGE',
        hint: source.file,
      });
    }
    const out = { ...(config as Record<string, unknown>) };
    if (out.fn) {
      if (typeof out.fn !== 'function') {
        throw new UserError('Error parsing purge: the fn export of purge.js must be a function.', {
          code: 'CHT_E_PURGE',
          hint: source.file,
        });
      }
      out.fn = out.fn.toString();
    }
    return out;
  }
  const text = readFileSync(source.file, 'utf8');
  let fn: unknown;
  try {
    fn = vm.runInNewContext(`(${text})`, {}, { filename: source.file });
  } catch (err) {
    throw new UserError(`Error parsing purge: purging.js is not a valid function: ${(err as Error).message}`, {
      code: 'CHT_E_PURGE',
      hint: source.file,
    });
  }
  if (typeof fn !== 'function') {
    throw new UserError('Error parsing purge: purging.js does not contain a function.', { code: 'CHT_E_PURGE', hint: source.file });
  }
  const purging = legacySettings().purging;
  return { ...(purging && typeof purging === 'object' ? (purging as Record<string, unknown>) : {}), fn: text };
}

/** The files of a loaded CommonJS module and of every module it required, however deep. */
function moduleFiles(mod: NodeJS.Module | undefined, files: Set<string>): void {
  if (!mod) return;
  const stack = [mod];
  const seen = new Set<NodeJS.Module>();
  while (stack.length) {
    const m = stack.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    if (m.filename) files.add(m.filename);
    stack.push(...m.children);
  }
}
