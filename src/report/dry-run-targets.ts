import type { ChalkInstance } from 'chalk';
import type { TargetResult, TargetsOutput } from '../simulate/index.js';
import { ndjsonLine, StreamedJson } from './json-stream.js';
import { count, LISTING_LIMIT } from './listing.js';
import type { Reporter } from './reporter.js';

export type TargetsFormat = 'human' | 'json' | 'ndjson';

function targetJson(t: TargetResult): Record<string, unknown> {
  return {
    id: t.id,
    ...(t.type !== undefined ? { type: t.type } : {}),
    ...(t.goal !== undefined ? { goal: t.goal } : {}),
    value: t.value,
  };
}

/** The `--json` document of dry-run-targets (README "dry-run-targets --json"). */
export function targetsJson(output: TargetsOutput): unknown {
  return {
    tz: output.tz,
    date: output.date,
    interval: output.interval,
    targets: output.targets.map(targetJson),
    ...(output.explanation ? { explain: output.explanation } : {}),
  };
}

/**
 * Prints a targets dry-run. The targets are few (one per target definition); an --explain's instances are as
 * many as the contacts and reports, so they are streamed (json, ndjson) or summarised (human, unless --list).
 */
export async function printTargets(
  reporter: Reporter, output: TargetsOutput, options: { format: TargetsFormat; list: boolean; titles?: ReadonlyMap<string, string> },
): Promise<void> {
  if (options.format === 'ndjson') {
    await reporter.dataPart(ndjsonLine({ tz: output.tz, date: output.date, at: output.at, interval: output.interval }));
    for (const t of output.targets) await reporter.dataPart(ndjsonLine({ target: targetJson(t) }));
    if (output.explanation) {
      const { instances, ...rest } = output.explanation;
      await reporter.dataPart(ndjsonLine({ explain: rest }));
      for (const instance of instances) await reporter.dataPart(ndjsonLine({ instance }));
    }
    return;
  }
  if (options.format === 'json') {
    if (!output.explanation) {
      await reporter.dataPart(`${JSON.stringify(targetsJson(output), null, 2)}\n`);
      return;
    }
    const explain: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(output.explanation)) explain[key] = key === 'instances' ? StreamedJson.HERE : value;
    const doc = new StreamedJson({ ...(targetsJson({ ...output, explanation: undefined }) as object), explain });
    await reporter.dataPart(doc.open());
    for (const instance of output.explanation.instances) await reporter.dataPart(doc.element(instance));
    await reporter.dataPart(doc.close());
    return;
  }
  await reporter.dataPart(`${targetsHuman(output, reporter.out, options.list, options.titles)}\n`);
}

function valueText(t: TargetResult): string {
  if (t.type === 'percent') return `${t.value.pass}/${t.value.total} (${String(t.value.percent)}%)`;
  return String(t.value.pass === t.value.total ? t.value.pass : `${t.value.pass}/${t.value.total}`);
}

function goalText(t: TargetResult): string {
  if (t.goal === undefined || t.goal === -1) return '-';
  return t.type === 'percent' ? `${t.goal}%` : String(t.goal);
}

function met(t: TargetResult): boolean | undefined {
  if (t.goal === undefined || t.goal < 0) return undefined;
  return t.type === 'percent' ? (t.value.percent ?? 0) >= t.goal : t.value.pass >= t.goal;
}

/**
 * The targets as a table: id, title (the text of its translation key, when the project translates any), type,
 * value (green when the goal is met, yellow when not) and goal.
 */
export function targetsHuman(output: TargetsOutput, s: ChalkInstance, list = false, titles: ReadonlyMap<string, string> = new Map()): string {
  const lines: string[] = [];
  lines.push(s.bold(`Targets for ${output.interval.start} … ${output.interval.end}`) + s.dim(` (evaluated ${output.date} ${output.at} ${output.tz})`));
  const withTitles = output.targets.some((t) => titles.has(String(t.id)));
  const head = ['TARGET', ...(withTitles ? ['TITLE'] : []), 'TYPE', 'VALUE', 'GOAL'];
  const rows = output.targets.map((t) => ({
    cells: [String(t.id), ...(withTitles ? [titles.get(String(t.id)) ?? ''] : []), t.type ?? '', valueText(t), goalText(t)],
    met: met(t),
  }));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const valueAt = head.indexOf('VALUE');
  // (The last column is not padded: no trailing spaces.)
  const line = (cells: string[], style: (i: number, text: string) => string) =>
    `  ${cells.map((c, i) => style(i, i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`;
  lines.push(s.dim(line(head, (_i, text) => text)));
  for (const r of rows) {
    lines.push(line(r.cells, (i, text) => (i !== valueAt || r.met === undefined ? text : r.met ? s.green(text) : s.yellow(text))));
  }
  if (output.targets.length === 0) lines.push(s.dim('  (no targets)'));
  if (output.explanation) lines.push('', ...explanationLines(output, s, list));
  return lines.join('\n');
}

const STATUS_TEXT: Record<string, string> = {
  counted: 'counted',
  deleted: 'not counted: deleted',
  'no-contact': 'not counted: emitted without a contact id',
  overwritten: 'not counted: overwritten by a later emission with the same _id from the same contact',
  'outside-interval': 'not counted: dated outside the interval',
  superseded: 'not counted: the same _id from a contact with a later reported_date wins',
  'no-group': 'not counted: no groupBy value',
  hidden: 'not counted: the target is hidden from this user by its context',
};

function explanationLines(output: TargetsOutput, s: ChalkInstance, list: boolean): string[] {
  const x = output.explanation!;
  const lines: string[] = [];
  const id = x.target ? String(x.target.id) : '?';
  if (!x.target) {
    lines.push(s.yellow('No such target.'));
    return lines;
  }
  const gte = (x.target.passesIfGroupCount as { gte?: unknown } | undefined)?.gte;
  lines.push(s.bold(`Target ${id}`) + s.dim(` (${String(x.target.type ?? 'count')}${gte ? `, a group passes with ≥ ${String(gte)} passing instances` : ''})`));
  if (!x.visible) lines.push(s.yellow(`  hidden from this user: context ${JSON.stringify(x.target.context)} is false`));
  if (x.result) lines.push(`  value ${valueText(x.result)} for ${x.interval.start} … ${x.interval.end}`);
  if (x.instances.length === 0) lines.push(s.dim('  No instance was emitted: appliesTo/appliesToType/appliesIf excluded every contact and report.'));
  const detail: string[] = [];
  for (const inst of x.instances) {
    const who = inst.requestor === undefined ? 'no contact' : `${x.contactNames[inst.requestor] ?? ''} (${inst.requestor})`.trim();
    const date = inst.dateText ?? String(inst.date);
    const group = inst.groupBy !== undefined ? `, group ${JSON.stringify(inst.groupBy)}` : '';
    const pass = inst.pass ? s.green('passes') : s.yellow('does not pass');
    const status = STATUS_TEXT[inst.status] ?? inst.status;
    const by = inst.by ? ` (${inst.by})` : '';
    detail.push(`  ${inst.instanceId}  ${s.dim(`from ${who}, dated ${date}${group}`)}`);
    detail.push(`      ${pass} (passesIf), ${inst.status === 'counted' ? s.green(status) : s.dim(status + by)}`);
  }
  for (const g of x.groups ?? []) {
    detail.push(`  group ${g.group}: ${g.passing} passing of ${g.total} → ${g.passes ? s.green('passes') : s.yellow('does not pass')}`);
  }
  if (list || detail.length <= LISTING_LIMIT) return [...lines, ...detail];
  return [...lines, ...instancesSummary(x, s)];
}

/** Instances counted by whether they pass and whether they count, and groups by outcome: for long lists. */
function instancesSummary(x: NonNullable<TargetsOutput['explanation']>, s: ChalkInstance): string[] {
  const lines = [s.dim(`  ${count(x.instances.length, 'instance')} emitted, by outcome (--list shows each one; --json or --format=ndjson give them to a script):`)];
  const outcomes = new Map<string, number>();
  for (const inst of x.instances) {
    const key = `${inst.pass ? 'passes' : 'does not pass'}, ${STATUS_TEXT[inst.status] ?? inst.status}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  for (const [outcome, n] of [...outcomes].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(7)}  ${outcome}`);
  if (x.groups?.length) {
    const passing = x.groups.filter((g) => g.passes).length;
    lines.push(`  ${count(x.groups.length, 'group')}: ${passing} pass, ${x.groups.length - passing} do not`);
  }
  return lines;
}
