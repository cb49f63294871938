import type { ChalkInstance } from 'chalk';
import type { MonthComparison, TargetChange } from '../impact/compare.js';
import { ndjsonLine } from './json-stream.js';
import { columns, count } from './listing.js';
import type { ImpactHeader } from './impact.js';
import type { Reporter } from './reporter.js';

export type TargetsImpactFormat = 'human' | 'json' | 'ndjson' | 'markdown';

type Header = Omit<ImpactHeader, 'from' | 'to'> & { from: string; to: string };

/** `3/10 (30%)`, or `3` for a count target, or `—` when the side has no such target. */
function valueText(v: TargetChange['before']): string {
  if (!v) return '—';
  return v.percent !== undefined ? `${v.pass}/${v.total} (${v.percent}%)` : String(v.pass);
}

function deltaText(c: TargetChange): string {
  if (!c.delta) return c.before ? 'removed' : 'added';
  const d = c.delta;
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  if (d.percent !== undefined) return `${signed(d.pass)}/${signed(d.total)} (${signed(d.percent)} pts)`;
  return signed(d.pass);
}

export function targetsImpactSummary(months: readonly MonthComparison[]): { months: number; targets: number; changed: number } {
  const ids = new Set(months.flatMap((m) => m.targets.map((t) => t.id)));
  return { months: months.length, targets: ids.size, changed: months.reduce((n, m) => n + m.targets.filter((t) => t.changed).length, 0) };
}

const json = (months: readonly MonthComparison[]) =>
  months.map((m) => ({ month: m.month, interval: m.interval, targets: m.targets.map(({ id, before, after, delta, changed }) => ({ id, before, after, delta, changed })) }));

/** Per month and target, the old and new values and the difference: every target, the unchanged ones marked. */
export async function printTargetsImpact(reporter: Reporter, format: TargetsImpactFormat, header: Header, months: readonly MonthComparison[]): Promise<void> {
  const summary = targetsImpactSummary(months);
  if (format === 'json') {
    await reporter.dataPart(`${JSON.stringify({ ...header, summary, months: json(months) }, null, 2)}\n`);
    return;
  }
  if (format === 'ndjson') {
    await reporter.dataPart(ndjsonLine(header));
    for (const m of json(months)) await reporter.dataPart(ndjsonLine(m));
    await reporter.dataPart(ndjsonLine({ summary }));
    return;
  }
  if (format === 'markdown') {
    await reporter.dataPart(targetsImpactMarkdown(header, months, summary));
    return;
  }
  await reporter.dataPart(targetsImpactHuman(reporter.out, header, months, summary));
}

function targetsImpactHuman(s: ChalkInstance, header: Header, months: readonly MonthComparison[], summary: ReturnType<typeof targetsImpactSummary>): string {
  const what = `${count(summary.targets, 'target')} over ${count(summary.months, 'reporting month')}`;
  if (!summary.changed) return `No change in targets: ${what}, against ${header.against}.\n`;
  const out = [s.bold(`Targets against ${header.against}: ${count(summary.changed, 'value')} changed (${what}).`), ''];
  for (const m of months) {
    const changed = m.targets.filter((t) => t.changed);
    if (!changed.length) continue;
    out.push(s.bold(`${m.month} (${m.interval.start} … ${m.interval.end})`));
    const rows = changed.map((t) => [t.id, valueText(t.before), '→', valueText(t.after), s.yellow(deltaText(t))]);
    out.push(...columns([['target', 'before', '', 'after', 'difference'].map((h) => s.dim(h)), ...rows], '  '));
    const same = m.targets.length - changed.length;
    if (same) out.push(s.dim(`  ${count(same, 'other target')} unchanged`));
    out.push('');
  }
  return `${out.join('\n')}`;
}

function targetsImpactMarkdown(header: Header, months: readonly MonthComparison[], summary: ReturnType<typeof targetsImpactSummary>): string {
  const out = [`### Target impact against \`${header.against.replace(/`/g, "'")}\``, ''];
  if (!summary.changed) return `${[...out, `No change in targets: ${count(summary.targets, 'target')} over ${count(summary.months, 'reporting month')}.`].join('\n')}\n`;
  out.push('| month | target | before | after | difference |', '|---|---|--:|--:|--:|');
  for (const m of months) {
    for (const t of m.targets.filter((x) => x.changed)) out.push(`| ${m.month} | ${t.id.replace(/\|/g, '\\|')} | ${valueText(t.before)} | ${valueText(t.after)} | ${deltaText(t)} |`);
  }
  return `${out.join('\n')}\n`;
}
