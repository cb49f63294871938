import type { Segment } from '../schema-errors.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem } from './context.js';
import { atLeast, describeCoreVersion } from './core-version.js';
import { checkMessageText, checkRecipient } from './messages.js';
import { formIndex, type ReportForm } from './report-forms.js';
import { parseTriggerParams } from './registrations.js';

/**
 * `schedules` (cht-core 4.11.0 shared-libs/transitions/src/lib/schedules.js):
 * unique names, start_from, and each message's offset, send_time, send_day, group, text and recipient, read as
 * assignSchedule reads them.
 */

const UNIT = /^(second|minute|hour|day|week|month|year)s?$/;
const DAYS: Record<string, number> = { second: 1 / 86400, minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7, month: 30, year: 365 };

/** An offset as getOffset reads it: `none` is skipped by cht-core; `loose` works but not as written. */
export function readOffset(offset: string): { kind: 'exact' | 'loose' | 'none'; days?: number } {
  const tokens = offset.split(' ');
  const [value, unit] = tokens;
  if (!/\d+/.test(value ?? '') || !/(second|minute|hour|day|week|month|year)s?/.test(String(unit))) return { kind: 'none' };
  if (!/^-?\d+$/.test(value!) || !UNIT.test(unit!) || tokens.length !== 2) return { kind: 'loose' };
  return { kind: 'exact', days: Number(value) * DAYS[unit!.replace(/s$/, '')]! };
}

/** Which registration forms assign each schedule (exact names, as assign_schedule looks them up). */
function assigningForms(ctx: WorkflowContext): Map<string, (ReportForm | undefined)[]> {
  const out = new Map<string, (ReportForm | undefined)[]>();
  const regs = ctx.settings.registrations;
  if (!Array.isArray(regs)) return out;
  const forms = formIndex(ctx);
  for (const reg of regs) {
    if (!isObject(reg) || !Array.isArray(reg.events)) continue;
    const form = typeof reg.form === 'string' ? forms.anyCase(reg.form) : undefined;
    for (const event of reg.events) {
      if (!isObject(event) || event.trigger !== 'assign_schedule' || event.name !== 'on_create') continue;
      const { value } = parseTriggerParams(event.params);
      if (!Array.isArray(value)) continue;
      for (const name of value) if (typeof name === 'string') out.set(name, [...(out.get(name) ?? []), form]);
    }
  }
  return out;
}

function checkMessage(msg: unknown, at: Segment[], ctx: WorkflowContext, startsAtReport: boolean, forms: (ReportForm | undefined)[] | undefined): WorkflowProblem[] {
  if (!isObject(msg)) return [{
    code: 'sms/schedule-shape',
    severity: 'error',
    path: at,
    target: 'value',
    message: 'A schedule message must be an object { translation_key | message, group, offset, send_day, send_time, recipient }.',
    hint: 'See the CHT docs on schedules.',
  }];
  const problems: WorkflowProblem[] = [];
  const { offset, send_time: sendTime, send_day: sendDay, group } = msg;
  let days: number | undefined;
  if (typeof offset === 'number' && offset !== 0) {
    problems.push({
      code: 'sms/schedule-offset',
      severity: 'error',
      path: [...at, 'offset'],
      target: 'value',
      message: `offset ${offset} is a number; cht-core calls split() on it and throws, so assigning this schedule fails.`,
      hint: `Write "offset": "${offset} days" (or weeks, …).`,
    });
  } else {
    const read = typeof offset === 'string' ? readOffset(offset) : { kind: 'none' as const };
    days = 'days' in read ? read.days : undefined;
    if (read.kind === 'none') {
      problems.push({
        code: 'sms/schedule-offset',
        severity: 'error',
        path: [...at, 'offset'],
        target: offset === undefined ? 'missing' : 'value',
        message: `offset ${offset === undefined ? '(missing)' : quote(offset)} cannot be parsed by cht-core ('<number> <unit>', one space, lower-case unit such as '12 weeks'); it logs "cannot be parsed as a valid offset" and never schedules this message.`,
        hint: offset === '0' || offset === 0 ? 'Write "0 days".' : 'Write e.g. "offset": "12 weeks".',
      });
    } else if (read.kind === 'loose') {
      problems.push({
        code: 'sms/schedule-offset',
        severity: 'warning',
        path: [...at, 'offset'],
        target: 'value',
        message: `offset '${offset}' is read loosely by cht-core: it takes the first word as a number and the second as a unit and ignores the rest, which is probably not what is written.`,
        hint: 'Write one number and one unit, e.g. "12 weeks" (not "12 weeks 3 days": use "87 days").',
      });
    }
  }
  if (sendTime !== undefined && sendTime !== null && sendTime !== '') {
    const m = typeof sendTime === 'string' ? /^(\d{1,2}):(\d{2})(?:\s+(\S+))?$/.exec(sendTime.trim()) : null;
    if (typeof sendTime !== 'string') {
      problems.push({
        code: 'sms/schedule-send-time',
        severity: 'error',
        path: [...at, 'send_time'],
        target: 'value',
        message: `send_time ${quote(sendTime)} is not a string; cht-core calls split() on it and throws, so assigning this schedule fails.`,
        hint: 'Write "send_time": "09:00".',
      });
    } else if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
      problems.push({
        code: 'sms/schedule-send-time',
        severity: 'warning',
        path: [...at, 'send_time'],
        target: 'value',
        message: `send_time '${sendTime}' is not 'HH:mm' (optionally followed by a UTC offset); cht-core ignores what it cannot read, so the message is due at the start date's time of day instead.`,
        hint: 'Write e.g. "09:30" or "09:30 +03:00".',
      });
    } else if (m[3] !== undefined && !/^(Z|[+-]\d\d(:?\d\d)?)$/i.test(m[3])) {
      problems.push({
        code: 'sms/schedule-send-time',
        severity: 'warning',
        path: [...at, 'send_time'],
        target: 'value',
        message: `send_time '${sendTime}' has the UTC offset '${m[3]}', which moment cannot read; cht-core ignores it and uses the server's time zone.`,
        hint: 'Write the offset as +03:00 or -0500.',
      });
    }
  }
  if (sendDay !== undefined && sendDay !== null && sendDay !== '') {
    const ok = typeof sendDay === 'number' || (typeof sendDay === 'string' && (/^\d+$/.test(sendDay) || /^(su|mo|tu|we|th|fr|sa)/i.test(sendDay)));
    if (!ok) {
      problems.push({
        code: 'sms/schedule-send-day',
        severity: 'warning',
        path: [...at, 'send_day'],
        target: 'value',
        message: `send_day ${quote(sendDay)} is not an English weekday; moment cannot read it and cht-core moves the message to the Sunday of its week.`,
        hint: 'Write an English day name, e.g. "Monday".',
      });
    }
  }
  if (group === undefined || group === null) {
    problems.push({
      code: 'sms/schedule-group',
      severity: 'warning',
      path: [...at, 'group'],
      target: 'missing',
      message: 'This message has no group; cht-core groups every ungrouped message together, so one past or empty message skips all of them, and clearing works on the whole lot.',
      hint: 'Give each message a group number (messages sent for one visit share a group).',
    });
  } else if (!Number.isInteger(group)) {
    problems.push({
      code: 'sms/schedule-group',
      severity: 'warning',
      path: [...at, 'group'],
      target: 'value',
      message: `group ${quote(group)} is not an integer; cht-core compares groups exactly, so ${typeof group === 'string' ? `"${group}" and ${group}` : 'it and a numeric group'} are different groups.`,
      hint: 'Use integers: "group": 1.',
    });
  }
  problems.push(...checkMessageText(msg, at, ctx, { pluralRead: true, requireText: true }).problems);
  problems.push(...checkRecipient(msg.recipient, [...at, 'recipient'], ctx, forms && forms.every((f) => f) ? (forms as ReportForm[]) : undefined));
  const hasTime = typeof sendTime === 'string' && sendTime.trim() !== '';
  const hasDay = sendDay !== undefined && sendDay !== null && sendDay !== '';
  if (startsAtReport && days !== undefined && !hasDay && (days < 0 ? !hasTime || days <= -1 : days === 0 && !hasTime)) {
    problems.push({
      code: 'sms/schedule-message-past',
      severity: 'warning',
      path: [...at, 'offset'],
      target: 'value',
      message: `This message is due ${days === 0 ? 'at' : 'before'} the moment the report arrives (offset '${offset}' from reported_date${hasTime ? '' : ', no send_time'}), so it is already past when sentinel assigns the schedule: cht-core skips it${msg.group !== undefined ? ` and the rest of group ${quote(msg.group)}` : ''}.`,
      hint: 'Use a positive offset, add a send_time later in the day, or set start_mid_group: true on the schedule.',
    });
  }
  return problems;
}

export const checkSchedules: SectionCheck = (ctx) => {
  const value = ctx.settings.schedules;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{
    code: 'sms/schedule-shape',
    severity: 'error',
    path: ['schedules'],
    target: 'value',
    message: 'schedules must be an array; cht-core finds no schedule in anything else.',
    hint: 'Write "schedules": [ { "name": …, "messages": [ … ] } ].',
  }];
  const problems: WorkflowProblem[] = [];
  const assigned = assigningForms(ctx);
  const lastIndex = new Map<string, number>();
  value.forEach((s: unknown, i: number) => {
    if (isObject(s) && typeof s.name === 'string') lastIndex.set(s.name, i);
  });
  value.forEach((schedule: unknown, i: number) => {
    const at: Segment[] = ['schedules', i];
    if (!isObject(schedule)) {
      problems.push({
        code: 'sms/schedule-shape',
        severity: 'error',
        path: at,
        target: 'value',
        message: 'A schedule must be an object { name, start_from, messages }.',
        hint: 'See the CHT docs on schedules.',
      });
      return;
    }
    const { name, start_from: startFrom } = schedule;
    if (typeof name !== 'string' || name === '') {
      problems.push({
        code: 'sms/schedule-shape',
        severity: 'error',
        path: [...at, 'name'],
        target: name === undefined ? 'missing' : 'value',
        message: 'This schedule has no name; no assign_schedule can ever find it.',
        hint: 'Give it a name, and assign it from a registration.',
      });
    } else if (lastIndex.get(name) !== i) {
      problems.push({
        code: 'sms/duplicate-schedule',
        severity: 'error',
        path: [...at, 'name'],
        target: 'value',
        message: `Schedule '${name}' is defined again at schedules[${lastIndex.get(name)}]; cht-core keeps the last definition, so this one is never used.`,
        hint: 'Rename one of them, or merge their messages.',
      });
    } else if (!assigned.has(name)) {
      problems.push({
        code: 'sms/schedule-never-assigned',
        severity: 'warning',
        path: [...at, 'name'],
        target: 'value',
        message: `No registration's assign_schedule names '${name}' (exactly), so this schedule is never assigned and none of its messages is sent.`,
        hint: 'Add an assign_schedule event naming it to a registration, or remove the schedule.',
      });
    }
    const arrayOk = Array.isArray(startFrom) && atLeast(ctx.core, 4, 5) && startFrom.every((p: unknown) => typeof p === 'string');
    if (startFrom !== undefined && typeof startFrom !== 'string' && !arrayOk) {
      problems.push({
        code: 'sms/schedule-start-from',
        severity: 'error',
        path: [...at, 'start_from'],
        target: 'value',
        message: `start_from ${quote(startFrom)} is not a path on the report${Array.isArray(startFrom) ? ' (arrays of paths need cht-core 4.5)' : ''}; cht-core finds no start date and schedules nothing.`,
        hint: `Write a path such as "reported_date", "lmp_date" or "fields.visit_date". ${describeCoreVersion(ctx.core)}.`,
      });
    }
    if (schedule.start_mid_group !== undefined && typeof schedule.start_mid_group !== 'boolean') {
      problems.push({
        code: 'sms/schedule-shape',
        severity: 'warning',
        path: [...at, 'start_mid_group'],
        target: 'value',
        message: `start_mid_group ${quote(schedule.start_mid_group)} is not a boolean; cht-core reads it as ${schedule.start_mid_group ? 'true' : 'false'}.`,
        hint: 'Write true or false.',
      });
    }
    if (!Array.isArray(schedule.messages) || schedule.messages.length === 0) {
      problems.push({
        code: 'sms/schedule-shape',
        severity: 'warning',
        path: [...at, 'messages'],
        target: schedule.messages === undefined ? 'missing' : 'value',
        message: 'This schedule has no messages array; assigning it schedules nothing.',
        hint: 'Add messages: [ { "group": 1, "offset": "1 week", "translation_key": … } ].',
      });
      return;
    }
    const startsAtReport = startFrom === undefined || startFrom === 'reported_date';
    const forms = typeof name === 'string' ? assigned.get(name) : undefined;
    schedule.messages.forEach((msg: unknown, m: number) => problems.push(...checkMessage(msg, [...at, 'messages', m], ctx, startsAtReport, forms)));
  });
  return problems;
};
