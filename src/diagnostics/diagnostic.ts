/**
 * The one diagnostic model shared by bundling, validation and the dry-run. Reporters in src/report render it
 * as human text, JSON, GitHub annotations or JUnit; core modules only ever return it.
 */
/**
 * `error`: cht-core rejects it or it breaks at runtime. `warning`: runs, but probably not as meant (fatal with
 * --strict). `note`: advice about layout; never fatal.
 */
export type Severity = 'error' | 'warning' | 'note';

export interface DiagnosticSubject {
  kind: 'task' | 'target' | 'file';
  /** Task name or target id, when the definition has one. */
  name?: string;
  /** Index of the definition in the exported array. */
  index?: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. `syntax-error`, `unresolved-import`, `schema/required`. */
  code: string;
  /** A plain sentence: what is wrong and what is allowed. */
  message: string;
  /** Absolute path of the file the problem is in. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Length of the offending text on that line, for the caret. */
  length?: number;
  /** The text of the offending line, for code frames. */
  lineText?: string;
  /** The task or target it is about. */
  subject?: DiagnosticSubject;
  /** Field path inside the subject, e.g. `events[0].days`. */
  path?: string;
  /** A "did you mean" suggestion. */
  suggestion?: string;
  /** What to do. */
  hint?: string;
}

export function errorsIn(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

export function warningsIn(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'warning');
}

export function notesIn(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'note');
}

/** Fills line/column/lineText from a file's text and a 0-based offset. */
export function locateOffset(text: string, offset: number): { line: number; column: number; lineText: string } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', offset);
  return {
    line,
    column: offset - lineStart + 1,
    lineText: text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, ''),
  };
}

/** The text of a 1-based line, or undefined when out of range. */
export function lineTextAt(text: string, line: number): string | undefined {
  const lines = text.split('\n');
  const found = lines[line - 1];
  return found === undefined ? undefined : found.replace(/\r$/, '');
}
