/**
 * Shared by the human outputs whose length grows with the population: past LISTING_LIMIT lines (about a
 * screenful or two) a listing is replaced by a summary a person can read, and `--list` asks for it whole.
 */
export const LISTING_LIMIT = 100;

// Created on first use of a non-integer: building an Intl formatter loads ICU data (over 10 ms at start-up), which
// every action paid when this module was loaded.
let decimal: Intl.NumberFormat | undefined;

/** 12,345 */
export function num(n: number): string {
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  decimal ??= new Intl.NumberFormat('en-US');
  return decimal.format(n);
}

/** "1 task", "2,304 tasks". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${num(n)} ${n === 1 ? singular : plural}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The weekday of a `YYYY-MM-DD` day. */
export function weekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/** `from … to`, or the day alone. */
export function span(from: string, to: string): string {
  return from === to ? from : `${from} … ${to}`;
}

/** Left-aligned columns: each row's cells padded to the widest cell of their column (the last is not padded). */
export function columns(rows: readonly (readonly string[])[], indent = '  ', right: readonly number[] = []): string[] {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes take no width
  const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((row) => indent + row.map((cell, i) => {
    if (i === row.length - 1 && !right.includes(i)) return cell;
    const pad = ' '.repeat(widths[i]! - visible(cell));
    return right.includes(i) ? pad + cell : cell + pad;
  }).join('  ').trimEnd());
}
