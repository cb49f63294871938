import { createRequire } from 'node:module';
import type * as Levenshtein from 'fastest-levenshtein';

const require = createRequire(import.meta.url);
let distanceFn: typeof Levenshtein.distance | undefined;

/**
 * The candidate closest to `input`, when it is close enough to be a slip of the keyboard rather than another
 * word: a case difference, two swapped letters, or a few letters changed (two, or a third of a long word).
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  distanceFn ??= (require('fastest-levenshtein') as typeof Levenshtein).distance;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) return undefined;
    const other = candidate.toLowerCase();
    const score = other === lower ? 0 : transposed(lower, other) ? 1 : distanceFn(lower, other);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const length = Math.max(input.length, best.length);
  const allowed = length <= 3 ? 1 : Math.max(2, Math.floor(length / 3));
  return bestScore <= allowed ? best : undefined;
}

/** `visti` for `visit`: two neighbouring letters swapped, one slip rather than Levenshtein's two edits. */
function transposed(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** `'a', 'b' or 'c'` */
export function listOf(values: readonly unknown[], conjunction = 'or'): string {
  const shown = values.map((v) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v)));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown[shown.length - 1]}`;
}
