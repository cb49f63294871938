import { createRequire } from 'node:module';
import type * as Diff from 'diff';

// Loaded on first use, through its CommonJS build so rendering stays synchronous: most deploys show no long
// string changes and never need it.
let diffLib: typeof Diff | undefined;
const lib = (): typeof Diff => (diffLib ??= createRequire(import.meta.url)('diff') as typeof Diff);

/**
 * A readable diff of two long strings, such as the compiled `tasks.rules` and `contact_summary`. Minified code
 * is one long line, so it is first cut into statement-sized pieces (after `;`, `{` and `}`); multi-line text
 * is diffed by line. Output: hunks of `+`/`-` lines with one line of context, bounded in size.
 */
export interface TextDiffLine {
  sign: ' ' | '+' | '-' | '…';
  text: string;
}

const MAX_PIECE = 160;

function pieces(text: string): string[] {
  if (text.includes('\n')) return text.split('\n');
  return text.split(/(?<=[;{}])/);
}

function clip(text: string): string {
  return text.length > MAX_PIECE ? `${text.slice(0, MAX_PIECE - 1)}…` : text;
}

export function textDiff(before: string, after: string, maxLines = 40): TextDiffLine[] {
  const parts = lib().diffArrays(pieces(before), pieces(after));
  const rows: TextDiffLine[] = [];
  for (const part of parts) {
    const sign = part.added ? '+' : part.removed ? '-' : ' ';
    for (const value of part.value) rows.push({ sign, text: value });
  }
  // Keep changed rows and one row of context on each side; elide the rest.
  const keep = rows.map((r, i) => r.sign !== ' ' || rows[i - 1]?.sign === '+' || rows[i - 1]?.sign === '-' || rows[i + 1]?.sign === '+' || rows[i + 1]?.sign === '-');
  const out: TextDiffLine[] = [];
  let skipped = false;
  for (let i = 0; i < rows.length; i++) {
    if (!keep[i]) {
      skipped = true;
      continue;
    }
    if (skipped && out.length) out.push({ sign: '…', text: '' });
    skipped = false;
    out.push({ sign: rows[i]!.sign, text: clip(rows[i]!.text) });
  }
  if (out.length > maxLines) {
    const more = out.slice(maxLines).filter((l) => l.sign === '+' || l.sign === '-').length;
    return [...out.slice(0, maxLines), { sign: '…', text: `${more} more changed piece(s) not shown` }];
  }
  return out;
}
