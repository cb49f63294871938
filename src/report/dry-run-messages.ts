import type { ChalkInstance } from 'chalk';
import type { MessagesRun, MessageState, PlannedMessage } from '../simulate/messages/index.js';
import { StreamedJson } from './json-stream.js';
import { count, LISTING_LIMIT, num, span, weekday } from './listing.js';
import type { Reporter } from './reporter.js';

export type MessagesFormat = 'human' | 'json';

/**
 * The `--json` document of dry-run-messages (README "dry-run-messages"): the header, the summary by state before,
 * within and after the span, the notes, what each transition did with each report, then the messages due in
 * the span (streamed: the document is written a message at a time).
 */
export async function printMessages(reporter: Reporter, run: MessagesRun, options: { format: MessagesFormat; list: boolean }): Promise<void> {
  if (options.format === 'json') {
    const doc = new StreamedJson({
      tz: run.tz, from: run.from, to: run.to, transitions: run.transitions, summary: run.summary, notes: run.notes,
      reports: run.reports, messages: StreamedJson.HERE,
    });
    await reporter.dataPart(doc.open());
    for (const m of run.messages) await reporter.dataPart(doc.element(m));
    await reporter.dataPart(doc.close());
    return;
  }
  const s = reporter.out;
  await reporter.dataPart(`${header(run, s)}\n`);
  await reporter.dataPart(reportsText(run, s, options.list));
  const long = run.messages.length > LISTING_LIMIT && !options.list;
  if (long) {
    await reporter.dataPart(`${summaryByDay(run, s)}\n`);
  } else {
    // One day at a time: the text of a long --list run is never held whole.
    let day: PlannedMessage[] = [];
    for (const m of run.messages) {
      if (day.length && day[0]!.day !== m.day) {
        await reporter.dataPart(dayText(day, s, run.tz));
        day = [];
      }
      day.push(m);
    }
    if (day.length) await reporter.dataPart(dayText(day, s, run.tz));
    if (run.messages.length === 0) await reporter.dataPart(`${s.dim(`  No message is due ${run.from === run.to ? 'that day' : 'in the span'}.`)}\n`);
  }
  await reporter.dataPart(`${aroundText(run, s)}\n`);
}

const STATE_WORDS: Record<MessageState, string> = {
  scheduled: 'due', sent: 'sent', pending: 'sent on arrival', cleared: 'cleared', muted: 'muted', denied: 'denied', error: 'never sent',
};

function states(bucket: Partial<Record<MessageState, number>>): string {
  const parts = (Object.keys(STATE_WORDS) as MessageState[]).filter((k) => bucket[k]).map((k) => `${num(bucket[k]!)} ${STATE_WORDS[k]}`);
  return parts.length ? parts.join(', ') : 'none';
}

function header(run: MessagesRun, s: ChalkInstance): string {
  const on = (['update_clinics', 'registration', 'accept_patient_reports'] as const).filter((t) => run.transitions[t]);
  const lines = [s.bold(`Messages for ${span(run.from, run.to)}`) + s.dim(` (${run.tz}): ${states(run.summary.within)}`)];
  lines.push(s.dim(`Transitions that run: ${on.length ? on.join(', ') : 'none'}`));
  return lines.join('\n');
}

function reportsText(run: MessagesRun, s: ChalkInstance, list: boolean): string {
  if (run.reports.length === 0) return `${s.dim('No fixture report is handled by update_clinics, registration or accept_patient_reports.')}\n\n`;
  const lines = run.reports.reduce((n, r) => n + 1 + r.steps.length, 0);
  if (lines > LISTING_LIMIT && !list) {
    const byForm = new Map<string, number>();
    for (const r of run.reports) byForm.set(r.form, (byForm.get(r.form) ?? 0) + 1);
    const forms = [...byForm].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${num(n)}`).join(', ');
    return `\n${s.bold(`Reports processed: ${count(run.reports.length, 'report')}`)} ${s.dim(`(${forms}; --list or --json shows each)`)}\n\n`;
  }
  const out = ['', s.bold('Reports, in the order sentinel processes them')];
  for (const r of run.reports) {
    out.push(`  ${localTime(r.reportedDate, run.tz)}  ${r.id} ${s.dim(`(${r.form})`)}`);
    for (const step of r.steps) out.push(`      ${s.dim(`${step.transition}:`)} ${step.outcome}`);
  }
  return `${out.join('\n')}\n\n`;
}

function recipientText(m: PlannedMessage): string {
  const r = m.recipient;
  const who = r.contact ? `${r.contact.name ?? r.contact.id}${r.phone ? ` ${r.phone}` : ''}` : (r.phone ?? 'no phone');
  return `${who} (${r.via})`;
}

function dayText(day: readonly PlannedMessage[], s: ChalkInstance, tz: string): string {
  const first = day[0]!;
  const out = [s.bold(`${first.day} ${weekday(first.day)}`)];
  for (const m of day) {
    const what = m.kind === 'schedule' ? `${m.schedule ?? ''} group ${String(m.group)} (${m.offset ?? ''})` : `reply to ${m.report} (${m.transition})`;
    const state = m.state === 'scheduled' ? s.green('due')
      : m.state === 'cleared' ? s.yellow(`CLEARED by ${m.clearedBy?.report ?? '?'} (${m.clearedBy?.by ?? ''})`)
        : m.state === 'error' ? s.red(`NEVER SENT: ${m.error ?? ''}`)
          : m.state === 'pending' ? s.green('sent on arrival') : s.yellow(m.state.toUpperCase());
    const held = m.heldUntil === undefined ? '' : s.yellow(m.heldUntil === 'never'
      ? '  never sent: the sending window (schedule_morning/evening_hours) never opens'
      : `  held until ${localTime(m.heldUntil, tz)} (outside the sending window)`);
    out.push(`  ${m.time}  ${what}  ${state}${held}`);
    out.push(`         ${s.dim('to')} ${recipientText(m)}`);
    if (m.text !== undefined) out.push(`         ${JSON.stringify(m.text)}`);
    else if (m.translationKey) out.push(`         ${s.dim(`[${m.translationKey}]`)}`);
  }
  return `${out.join('\n')}\n`;
}

const BUSIEST = 5;

/** A long span: counts by day (by month past LISTING_LIMIT days), by schedule and group, and the busiest recipients. */
function summaryByDay(run: MessagesRun, s: ChalkInstance): string {
  const days = new Set(run.messages.map((m) => m.day));
  const byMonth = days.size > LISTING_LIMIT;
  const byDay = new Map<string, Partial<Record<MessageState, number>>>();
  const bySchedule = new Map<string, Partial<Record<MessageState, number>>>();
  const byRecipient = new Map<string, number>();
  const bump = (map: Map<string, Partial<Record<MessageState, number>>>, key: string, state: MessageState): void => {
    const bucket = map.get(key) ?? {};
    bucket[state] = (bucket[state] ?? 0) + 1;
    map.set(key, bucket);
  };
  for (const m of run.messages) {
    bump(byDay, byMonth ? m.day.slice(0, 7) : m.day, m.state);
    bump(bySchedule, m.kind === 'schedule' ? `${m.schedule ?? ''} group ${String(m.group)}` : `replies (${m.transition})`, m.state);
    if (m.state === 'scheduled' || m.state === 'pending') {
      const who = m.recipient.contact ? `${m.recipient.contact.name ?? m.recipient.contact.id} ${m.recipient.phone ?? ''}`.trim() : (m.recipient.phone ?? `(no phone: ${m.recipient.setting || 'the sender'})`);
      byRecipient.set(who, (byRecipient.get(who) ?? 0) + 1);
    }
  }
  const out = [s.bold(`${count(run.messages.length, 'message')} in the span, by ${byMonth ? 'month' : 'day'}`) + s.dim(' (--list prints each, --json gives them all)')];
  for (const [day, bucket] of byDay) out.push(`  ${day.length === 10 ? `${day} ${weekday(day)}` : day}  ${states(bucket)}`);
  out.push('', s.bold('By schedule'));
  for (const [name, bucket] of [...bySchedule].sort((a, b) => a[0].localeCompare(b[0]))) out.push(`  ${name}  ${states(bucket)}`);
  if (byRecipient.size) {
    out.push('', s.bold(`Busiest recipients (messages due or sent on arrival)`));
    for (const [who, n] of [...byRecipient].sort((a, b) => b[1] - a[1]).slice(0, BUSIEST)) out.push(`  ${num(n)}  ${who}`);
    if (byRecipient.size > BUSIEST) out.push(s.dim(`  … and ${count(byRecipient.size - BUSIEST, 'other recipient')}`));
  }
  return out.join('\n');
}

function aroundText(run: MessagesRun, s: ChalkInstance): string {
  const parts: string[] = [];
  if (Object.keys(run.summary.before).length) parts.push(`Before ${run.from}: ${states(run.summary.before)}.`);
  if (Object.keys(run.summary.after).length) parts.push(`After ${run.to}: ${states(run.summary.after)}.`);
  return parts.length ? `\n${s.dim(parts.join(' '))}` : '';
}

/** `YYYY-MM-DD HH:mm` of an ISO instant in a zone (how the human output dates a report). */
function localTime(iso: string, tz: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
