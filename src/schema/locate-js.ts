import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lineTextAt, locateOffset, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import type { LocationRecorder, SourcePos } from './js-locations.js';
import { formatPath } from './problems.js';
import type { SchemaProblem } from './schema-errors.js';

export interface JsSource {
  kind: 'task' | 'target';
  /** tasks.js or targets.js. */
  file: string;
  projectDir: string;
  /** What the file exports, as loaded (the original objects, which the recorder knows). */
  exported: unknown;
  locations?: LocationRecorder | undefined;
}

export type LocatableProblem = Omit<SchemaProblem, 'code'> & { code: string; severity: Severity };

interface Found {
  file: string;
  line: number;
  column: number;
  length: number;
  lineText?: string;
}

function child(node: unknown, segment: string | number): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  try {
    return (node as Record<string | number, unknown>)[segment];
  } catch {
    return undefined;
  }
}

/**
 * The nearest recorded position of a problem: walks the loaded objects along its path and keeps the deepest
 * place that is known (the key or element where it was written, or the literal that made the object).
 */
function walk(source: JsSource, problem: LocatableProblem): SourcePos | undefined {
  const rec = source.locations;
  if (!rec) return undefined;
  const segments = problem.target === 'missing' ? problem.path.slice(0, -1) : problem.path;
  let best = rec.ownPosition(source.exported);
  let node = source.exported;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (typeof segment === 'number' && Array.isArray(node)) {
      best = rec.elementPosition(node, segment) ?? best;
    } else {
      const at = rec.keyPosition(node, String(segment));
      if (at) best = last && problem.target === 'value' ? at.value : at.key;
    }
    node = child(node, segment);
    if (!last || problem.target === 'missing') best = rec.ownPosition(node) ?? best;
  });
  return best;
}

function found(rec: LocationRecorder, pos: SourcePos): Found {
  const text = rec.texts[pos.file];
  const lineText = text === undefined ? undefined : lineTextAt(text, pos.line);
  return { file: rec.files[pos.file]!, line: pos.line, column: pos.column, length: pos.length, ...(lineText !== undefined ? { lineText } : {}) };
}

/** Without recorded positions: the line where the definition's name or id is written, if it is written literally. */
function searched(source: JsSource, name: string | undefined): Found | undefined {
  if (!name) return undefined;
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch {
    return undefined;
  }
  for (const q of ["'", '"', '`']) {
    const offset = text.indexOf(`${q}${name}${q}`);
    if (offset !== -1) return { file: source.file, ...locateOffset(text, offset), length: name.length + 2 };
  }
  return undefined;
}

export function jsDiagnostic(source: JsSource, problem: LocatableProblem): Diagnostic {
  const [first, ...rest] = problem.path;
  const index = typeof first === 'number' ? first : undefined;
  const definition = index === undefined ? undefined : child(source.exported, index);
  const nameKey = source.kind === 'task' ? 'name' : 'id';
  const rawName = child(definition, nameKey);
  const name = typeof rawName === 'string' ? rawName : undefined;

  const d: Diagnostic = { severity: problem.severity, code: problem.code, message: problem.message, file: source.file };
  if (index !== undefined) d.subject = { kind: source.kind, ...(name !== undefined ? { name } : {}), index };
  const shown = formatPath(index === undefined ? problem.path : rest);
  if (shown) d.path = shown;
  if (problem.suggestion) d.suggestion = problem.suggestion;

  const pos = walk(source, problem);
  const where = pos && source.locations ? found(source.locations, pos) : searched(source, name);
  if (where) Object.assign(d, where);

  const notes: string[] = [];
  if (problem.hint) notes.push(problem.hint);
  // A problem written outside the definition's own literal (in a helper, a shared object...): say where the
  // definition itself is listed, so the reader knows which call or spread to look at.
  const rec = source.locations;
  const listed = index !== undefined && rec ? rec.elementPosition(source.exported, index) : undefined;
  if (rec && listed && pos && !rec.within(definition, pos) && (listed.file !== pos.file || listed.line !== pos.line)) {
    const at = found(rec, listed);
    notes.push(`This ${source.kind} is listed at ${path.relative(source.projectDir, at.file)}:${at.line}:${at.column}.`);
  }
  if (notes.length) d.hint = notes.join('\n');
  return d;
}
