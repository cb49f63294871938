import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { describeDiagnostic } from './human-diagnostics.js';

/** GitHub shows at most 10 error and 10 warning annotations per step; the rest are dropped silently. */
export const ANNOTATIONS_PER_STEP = 10;

export interface GithubFormatOptions {
  cwd: string;
  /** GITHUB_WORKSPACE: annotation paths must be relative to the repository root. */
  workspace?: string | undefined;
}

// As @actions/core escapes them: the message loses %, CR and LF; property values also lose : and ,.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotationPath(file: string, options: GithubFormatOptions): string {
  const base = options.workspace || options.cwd;
  const rel = path.relative(base, file);
  const inside = rel && !rel.startsWith('..') && !path.isAbsolute(rel);
  return (inside ? rel : file).split(path.sep).join('/');
}

/** One `::error file=…,line=…,col=…::message` workflow command per diagnostic. */
export function formatGithubAnnotations(diagnostics: readonly Diagnostic[], options: GithubFormatOptions): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    const props: string[] = [];
    if (d.file) {
      props.push(`file=${escapeProperty(annotationPath(d.file, options))}`);
      if (d.line) {
        props.push(`line=${d.line}`);
        if (d.column) {
          props.push(`col=${d.column}`);
          if (d.length && d.length > 1) props.push(`endColumn=${d.column + d.length}`);
        }
      }
    }
    props.push(`title=${escapeProperty(`chtkit ${d.code}`)}`);
    const message = d.hint ? `${describeDiagnostic(d)}\n${d.hint}` : describeDiagnostic(d);
    lines.push(`::${d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice'} ${props.join(',')}::${escapeData(message)}`);
  }
  for (const severity of ['error', 'warning', 'note'] as const) {
    const count = diagnostics.filter((d) => d.severity === severity).length;
    if (count > ANNOTATIONS_PER_STEP) {
      lines.push(`::notice title=chtkit::${count} ${severity}s found; GitHub shows only ${ANNOTATIONS_PER_STEP} as annotations, the log lists them all.`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
