import { isChtkitError } from '../errors.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Segment } from './schema-errors.js';

/** `events[0].days`, `["odd key"]`: the path as a JavaScript reader would write it. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/**
 * A user error raised while reading or loading the project, as diagnostics: its located problems when it has
 * them, or one diagnostic carrying its message and hint. Anything else is a bug and is re-thrown.
 */
export function diagnosticsOf(err: unknown, file?: string): Diagnostic[] {
  if (!isChtkitError(err)) throw err;
  if (err.diagnostics.length) {
    const located = err.diagnostics.map((d) => (d.severity === 'error' && !d.hint && err.hint ? { ...d, hint: err.hint } : d));
    return located;
  }
  const d: Diagnostic = { severity: 'error', code: err.code, message: err.message };
  if (file) d.file = file;
  // Some errors carry the file as their hint; the location already shows it.
  if (err.hint && err.hint !== file) d.hint = err.hint;
  return [d];
}

/** A copy of a loaded config value as the schema sees it: keys whose value is `undefined` are absent, as in cht-conf. */
export function schemaView(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) out.push(schemaView(value[i], seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // A Date or class instance is kept as it is, so messages can still say what it is.
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const key of Object.keys(value)) {
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    if (v !== undefined) out[key] = schemaView(v, seen);
  }
  return out;
}
