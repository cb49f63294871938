import type { ChalkInstance } from 'chalk';
import type { TasksComparison } from '../impact/compare.js';
import { daySpans, type ImpactDay, type ImpactDetail, type ImpactSummary } from '../impact/task-diff.js';
import { taskJson } from './dry-run-tasks.js';
import { ndjsonLine, StreamedJson } from './json-stream.js';
import { columns, count, LISTING_LIMIT, num, span } from './listing.js';
import type { Reporter } from './reporter.js';

/** What `dry-run-tasks --against` prints: human (summary, then details), json, ndjson, or markdown (a PR comment). */
export type ImpactFormat = 'human' | 'json' | 'ndjson' | 'markdown';

export interface ImpactHeader {
  tz: string;
  from: string;
  to: string;
  at: string;
  /** How the old side is named (`git:origin/main (3f2a9c1)`, a file, `instance (https://…)`). */
  against: string;
}

/** GitHub refuses a pull-request comment over 65,536 characters; the markdown stays below with room to spare. */
export const MARKDOWN_LIMIT = 60_000;

/** One day of `--json` / `--format=ndjson`: the task objects of the dry-run's --json. */
export function impactDayJson(day: ImpactDay): Record<string, unknown> {
  return {
    date: day.date,
    added: day.added.map(taskJson),
    removed: day.removed.map(taskJson),
    changed: day.changed.map((c) => ({ before: taskJson(c.before), after: taskJson(c.after), fields: c.fields })),
  };
}

const hasChange = (day: ImpactDay) => day.added.length + day.removed.length + day.changed.length > 0;

export interface ImpactPrinter {
  day(day: ImpactDay): Promise<void>;
  end(result: TasksComparison): Promise<void>;
}

export function impactPrinter(reporter: Reporter, format: ImpactFormat, header: ImpactHeader, options: { list: boolean }): ImpactPrinter {
  switch (format) {
    case 'json': {
      // Days stream as they are compared; the summary, known only at the end, follows them.
      const doc = new StreamedJson({ ...header, days: StreamedJson.HERE });
      let opened = false;
      const open = () => (opened ? '' : ((opened = true), doc.open()));
      return {
        async day(day) {
          if (hasChange(day)) await reporter.dataPart(`${open()}${doc.element(impactDayJson(day))}`);
        },
        async end(result) {
          await reporter.dataPart(`${open()}${doc.close({ summary: result.summary })}`);
        },
      };
    }
    case 'ndjson': {
      let started = false;
      const head = () => (started ? '' : ((started = true), ndjsonLine(header)));
      return {
        async day(day) {
          if (hasChange(day)) await reporter.dataPart(`${head()}${ndjsonLine(impactDayJson(day))}`);
        },
        async end(result) {
          await reporter.dataPart(`${head()}${ndjsonLine({ summary: result.summary })}`);
        },
      };
    }
    case 'markdown':
      return {
        async day() {},
        async end(result) {
          await reporter.dataPart(impactMarkdown(header, result));
        },
      };
    default:
      return {
        async day() {},
        async end(result) {
          await reporter.dataPart(impactHuman(reporter.out, header, result, options.list));
        },
      };
  }
}

function who(d: ImpactDetail): string {
  if (d.owner === '_unassigned') return `${d.label ?? '(no name)'} (unassigned)`;
  return d.label ? `${d.label} (${d.owner})` : d.owner;
}

function spansText(days: readonly string[], limit = 6): string {
  const spans = daySpans(days).map(([a, b]) => span(a, b));
  return spans.length > limit ? `${spans.slice(0, limit).join(', ')}, and ${count(spans.length - limit, 'more span')}` : spans.join(', ');
}

/** The lines of one task name and owner: a line per kind of change, with its days as spans. */
function detailLines(d: ImpactDetail): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  if (d.added.length) lines.push(['added', spansText(d.added)]);
  if (d.removed.length) lines.push(['removed', spansText(d.removed)]);
  if (d.changed.length) lines.push(['changed', `${spansText(d.changed)}: ${d.fields.join(', ')}`]);
  return lines;
}

function noChange(header: ImpactHeader, s: ImpactSummary): string {
  return `No change in tasks over ${count(s.days, 'day')} for ${count(s.contacts, 'contact')} (${span(header.from, header.to)}, against ${header.against}).`;
}

function byTaskRows(s: ImpactSummary): string[][] {
  return Object.entries(s.byTask).map(([name, c]) => [name, num(c.added), num(c.removed), num(c.changed)]);
}

/** Contacts shown per task name before "and N more" (all with --list). */
const CONTACTS_PER_TASK = 8;

export function impactHuman(st: ChalkInstance, header: ImpactHeader, result: TasksComparison, list: boolean): string {
  const s = result.summary;
  if (s.added + s.removed + s.changed === 0) return `${noChange(header, s)}\n`;
  const out: string[] = [
    st.bold(`Impact of the change over ${span(header.from, header.to)} (${count(s.days, 'day')}, ${count(s.contacts, 'contact')}), against ${header.against}:`),
    `  task-days ${st.green(`added ${num(s.added)}`)}, ${st.red(`removed ${num(s.removed)}`)}, ${st.yellow(`changed ${num(s.changed)}`)}` +
      ` · ${count(s.contactsAffected, 'contact')} affected · first ${s.firstDay}, last ${s.lastDay}`,
    '',
    ...columns([['task', 'added', 'removed', 'changed'].map((h) => st.dim(h)), ...byTaskRows(s)], '  ', [1, 2, 3]),
    '',
  ];
  const byTask = new Map<string, ImpactDetail[]>();
  for (const d of result.details) byTask.set(d.task, [...(byTask.get(d.task) ?? []), d]);
  let lines = out.length;
  let left = 0;
  for (const [task, details] of byTask) {
    if (!list && lines > LISTING_LIMIT) {
      left += details.length;
      continue;
    }
    out.push(st.bold(task));
    const shown = list ? details : details.slice(0, CONTACTS_PER_TASK);
    const rows: string[][] = [];
    for (const d of shown) {
      detailLines(d).forEach(([kind, text], i) => {
        const style = kind === 'added' ? st.green : kind === 'removed' ? st.red : st.yellow;
        rows.push([i === 0 ? who(d) : '', style(kind), text]);
      });
    }
    out.push(...columns(rows, '  '));
    if (shown.length < details.length) out.push(st.dim(`  … and ${count(details.length - shown.length, 'more contact')}`));
    lines += rows.length + 2;
  }
  if (left) out.push('', st.dim(`… and ${count(left, 'more task and contact pair')} in other task names.`));
  if (!list && (left || result.details.length > [...byTask.values()].reduce((n, d) => n + Math.min(d.length, CONTACTS_PER_TASK), 0))) {
    out.push(st.dim('--list shows every contact; --json or --format=ndjson gives every task-day.'));
  }
  return `${out.join('\n')}\n`;
}

const mdEscape = (text: string) => text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);

/**
 * A compact summary table and, per task name, collapsible details: sized for a pull-request comment. Details
 * that would take it past MARKDOWN_LIMIT are left out, and it says how many.
 */
export function impactMarkdown(header: ImpactHeader, result: TasksComparison): string {
  const s = result.summary;
  const head = [`### Task impact against \`${header.against.replace(/`/g, "'")}\``, ''];
  if (s.added + s.removed + s.changed === 0) return `${[...head, noChange(header, s)].join('\n')}\n`;
  head.push(
    `${span(header.from, header.to)} (${count(s.days, 'day')}, ${count(s.contacts, 'contact')}, ${header.tz}): ` +
      `**${num(s.added)}** task-days added, **${num(s.removed)}** removed, **${num(s.changed)}** changed; ` +
      `${count(s.contactsAffected, 'contact')} affected, first ${s.firstDay}, last ${s.lastDay}.`,
    '',
    '| task | added | removed | changed |',
    '|---|--:|--:|--:|',
    ...Object.entries(s.byTask).map(([name, c]) => `| ${mdEscape(name)} | ${num(c.added)} | ${num(c.removed)} | ${num(c.changed)} |`),
    '',
  );
  // A blank line ends the table before the first <details> block.
  let text = `${head.join('\n')}\n`;
  const tail = (n: number) => `\n_${count(n, 'task and contact pair')} left out to fit a comment: \`cht dry-run-tasks --against=… --json\` lists every task-day._\n`;
  const byTask = new Map<string, ImpactDetail[]>();
  for (const d of result.details) byTask.set(d.task, [...(byTask.get(d.task) ?? []), d]);
  let left = 0;
  for (const [task, details] of byTask) {
    const open = `<details><summary>${mdEscape(task)}: ${count(details.length, 'contact')}</summary>\n\n`;
    const close = '\n</details>\n';
    let block = open;
    let shown = 0;
    for (const d of details) {
      const line = detailLines(d).map(([kind, t]) => `${kind} ${t}`).join('; ');
      const entry = `- ${mdEscape(who(d))}: ${mdEscape(line)}\n`;
      if (text.length + block.length + entry.length + close.length + tail(1).length + 200 > MARKDOWN_LIMIT) break;
      block += entry;
      shown++;
    }
    left += details.length - shown;
    if (shown) text += block + (shown < details.length ? `- … and ${count(details.length - shown, 'more contact')}\n` : '') + close;
  }
  if (left) text += tail(left);
  return text.endsWith('\n') ? text : `${text}\n`;
}
