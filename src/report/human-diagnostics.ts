import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { plain } from './colour.js';

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

/** `file:line:column` with a 1-based column, as editors and terminals expect for click-through. */
export function displayLocation(d: Diagnostic, cwd: string): string | undefined {
  if (!d.file) return undefined;
  const file = displayPath(d.file, cwd);
  if (!d.line) return file;
  return d.column ? `${file}:${d.line}:${d.column}` : `${file}:${d.line}`;
}

function codeFrame(d: Diagnostic, s: ChalkInstance): string[] {
  if (!d.line || d.lineText === undefined) return [];
  const gutter = String(d.line);
  const pad = ' '.repeat(gutter.length);
  const text = d.lineText.replace(/\t/g, ' ');
  const lines = [`    ${s.dim(`${gutter} │`)} ${text}`];
  if (d.column) {
    const caret = d.length && d.length > 1 ? '~'.repeat(Math.min(d.length, Math.max(1, text.length - d.column + 1))) : '^';
    lines.push(`    ${s.dim(`${pad} ╵`)} ${' '.repeat(d.column - 1)}${s.green(caret)}`);
  }
  return lines;
}

function block(d: Diagnostic, s: ChalkInstance, cwd: string): string {
  const label =
    d.severity === 'error' ? s.red.bold('✘ [ERROR]') : d.severity === 'warning' ? s.yellow.bold('▲ [WARNING]') : s.cyan.bold('● [NOTE]');
  // Rule ids (`family/rule`) are shown so a reader can look the rule up in the README or silence it by name.
  const rule = d.code.includes('/') ? ` ${s.dim(`[${d.code}]`)}` : '';
  const out = [`${label} ${s.bold(describeDiagnostic(d))}${rule}`, ''];
  const where = displayLocation(d, cwd);
  if (where) {
    const frame = codeFrame(d, s);
    out.push(frame.length ? `    ${where}:` : `    ${where}`, ...frame, '');
  }
  if (d.hint) out.push(...d.hint.split('\n').map((l) => `  ${l}`), '');
  return `${out.join('\n')}\n`;
}

/** Renders diagnostics as blocks with a code frame: notes, then warnings, errors last (nearest the summary line). */
export async function formatHuman(diagnostics: readonly Diagnostic[], options: HumanFormatOptions): Promise<string> {
  let s: ChalkInstance = plain;
  if (options.colour) {
    const { Chalk } = await import('chalk');
    s = new Chalk({ level: 1 });
  }
  const ordered = [
    ...diagnostics.filter((d) => d.severity === 'note'),
    ...diagnostics.filter((d) => d.severity === 'warning'),
    ...diagnostics.filter((d) => d.severity === 'error'),
  ];
  return ordered.map((d) => block(d, s, options.cwd)).join('');
}
