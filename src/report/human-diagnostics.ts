import path from 'node:path';
import type { PartialMessage } from 'esbuild';
import type { Diagnostic } from '../schema/diagnostic.js';

export interface HumanFormatOptions {
  colour: boolean;
  /** Paths are shown relative to this directory (the user's cwd). */
  cwd: string;
}

/** The heading of a diagnostic: `task "anc" [2] › events[0].days: <message>`. */
export function describeDiagnostic(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.subject && d.subject.kind !== 'file') {
    const name = d.subject.name === undefined ? '' : ` "${d.subject.name}"`;
    const index = d.subject.index === undefined ? '' : ` [${d.subject.index}]`;
    parts.push(`${d.subject.kind}${name}${index}`);
  }
  if (d.path) parts.push(d.path);
  const where = parts.length ? `${parts.join(' › ')}: ` : '';
  const suggestion = d.suggestion ? ` Did you mean ${d.suggestion}?` : '';
  return `${where}${d.message}${suggestion}`;
}

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function toEsbuildMessage(d: Diagnostic, cwd: string): PartialMessage {
  const location = d.file
    ? {
        file: displayPath(d.file, cwd),
        line: d.line ?? 0,
        column: Math.max(0, (d.column ?? 1) - 1),
        length: d.length ?? 0,
        lineText: d.lineText ?? '',
      }
    : null;
  return {
    text: describeDiagnostic(d),
    location: location && d.line ? location : null,
    notes: [
      ...(location && !d.line ? [{ text: `in ${location.file}` }] : []),
      ...(d.hint ? [{ text: d.hint }] : []),
    ],
  };
}

/** Renders diagnostics as esbuild-style blocks with code frames, errors first. */
export async function formatHuman(diagnostics: readonly Diagnostic[], options: HumanFormatOptions): Promise<string> {
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => toEsbuildMessage(d, options.cwd));
  const warnings = diagnostics.filter((d) => d.severity === 'warning').map((d) => toEsbuildMessage(d, options.cwd));
  const { formatMessages } = (await import('../bundle/esbuild-api.js')).esbuild;
  const common = { color: options.colour, terminalWidth: 100 };
  const [e, w] = await Promise.all([
    errors.length ? formatMessages(errors, { kind: 'error', ...common }) : [],
    warnings.length ? formatMessages(warnings, { kind: 'warning', ...common }) : [],
  ]);
  return [...w, ...e].join('');
}
