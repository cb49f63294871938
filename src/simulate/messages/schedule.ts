import moment from 'moment';
import { mutedInLineage } from './docs.js';
import { outgoingAllowed } from './recipients.js';
import { messageLocale, messageText } from './render.js';
import type { Registration, RunState, Task } from './state.js';
import { dueTime, localDayTime, parseDuration, sendTime, sendWindow } from './time.js';
import type { Json, MessageState, PlannedMessage } from './types.js';

/** Reads a path like `fields.lmp` (object-path's get: dots nest). */
function getPath(doc: Json, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Json)[key];
  }
  return value;
}

/**
 * assign_schedule of one schedule on a registration at `now` (schedules.assignSchedule): from start_from (default
 * reported_date; an array: its first value that is not undefined), each message is due at start + offset, then
 * send_time, then send_day. A message already past at `now`, or without text, is skipped with the rest of its
 * group unless start_mid_group. Returns what happened, in words.
 */
export function assignSchedule(state: RunState, registration: Registration, schedule: Json, now: number, extras: { patient?: Json; place?: Json; registrations: Json[]; placeRegistrations: Json[] }): string {
  const doc = registration.doc;
  const name = String(schedule.name);
  const startFrom: unknown = schedule.start_from === undefined ? 'reported_date' : schedule.start_from;
  let start: unknown;
  if (Array.isArray(startFrom)) start = startFrom.map((p) => (typeof p === 'string' ? getPath(doc, p) : undefined)).find((v) => v !== undefined);
  else start = typeof startFrom === 'string' ? getPath(doc, startFrom) : undefined;
  if (start === undefined) {
    state.notes.add(`Schedule "${name}": start_from ${JSON.stringify(startFrom)} was not set on a report assigning it (${String(doc.form)}): nothing was scheduled for it, and cht-core never retries.`);
    return `"${name}": start_from ${JSON.stringify(startFrom)} is not set on the report, nothing scheduled (cht-core never retries)`;
  }
  if (start === null) return `"${name}": start_from ${JSON.stringify(startFrom)} is null, nothing scheduled`;
  const startMoment = moment(start as moment.MomentInput);
  if (!startMoment.isValid()) return `"${name}": start_from value ${JSON.stringify(start)} is not a date, nothing scheduled`;

  const window = sendWindow(state.settings);
  const muted = mutedInLineage(extras.patient ?? extras.place);
  const allowed = outgoingAllowed(state.settings, doc.from);
  const skipGroups = new Set<unknown>();
  const skipped: string[] = [];
  const badOffsets: string[] = [];
  let added = 0;
  const messages: unknown[] = Array.isArray(schedule.messages) ? schedule.messages : [];
  for (const raw of messages) {
    if (!raw || typeof raw !== 'object') continue;
    const msg = raw as Json;
    const locale = messageLocale(state.settings, doc);
    const offset = parseDuration(msg.offset);
    const hasText = messageText(msg, state.translations, locale) !== '';
    if (skipGroups.has(msg.group)) continue;
    if (!offset) {
      badOffsets.push(JSON.stringify(msg.offset));
      continue;
    }
    const due = dueTime(startMoment, offset, msg.send_time, msg.send_day);
    const dueMs = due.valueOf();
    if (dueMs < now || !hasText || Number.isNaN(dueMs)) {
      if (!schedule.start_mid_group) skipGroups.add(msg.group);
      skipped.push(`group ${String(msg.group)} ${!hasText ? '(a message has no text)' : `(${JSON.stringify(msg.offset)} was due ${new Date(dueMs).toISOString()}, before the report arrived)`}`);
      continue;
    }
    const g = state.generate(doc, msg, msg.recipient, { ...extras });
    const { day, time } = localDayTime(dueMs);
    const messageState: MessageState = !allowed ? 'denied' : muted ? 'muted' : 'scheduled';
    const { builtIn: _builtIn, ...rest } = g;
    const message: PlannedMessage = {
      report: doc._id, form: doc.form, kind: 'schedule', transition: 'registration', schedule: name,
      group: msg.group, offset: msg.offset, due: due.toISOString(), day, time, state: messageState, ...rest,
    };
    const sendMs = sendTime(dueMs, window);
    if (sendMs !== dueMs) message.heldUntil = sendMs === undefined ? 'never' : new Date(sendMs).toISOString();
    state.messages.push(message);
    const task: Task = { type: name, group: msg.group, dueMs, sendMs: sendMs ?? Infinity, message };
    registration.tasks.push(task);
    added++;
  }
  const parts = [`"${name}": ${added} message${added === 1 ? '' : 's'} scheduled`];
  if (skipped.length) parts.push(`skipped ${[...new Set(skipped.map((s) => s.replace(/ \(.*$/, '')))].join(', ')} ${schedule.start_mid_group ? '(start_mid_group: only the past messages)' : '(already past on arrival: the whole group)'}`);
  if (badOffsets.length) {
    parts.push(`offset ${badOffsets.join(', ')} cannot be parsed (cht-core skips the message)`);
    state.notes.add(`Schedule "${name}": offset ${badOffsets.join(', ')} cannot be parsed ("<number> <unit>", one space, a lower-case unit): cht-core skips those messages.`);
  }
  if (muted && added) parts.push('muted: the subject or an ancestor is muted');
  if (!allowed && added) parts.push('denied: the sender is on an outgoing deny setting');
  return parts.join('; ');
}

/**
 * Silencing (accept_patient_reports' silenceRegistrations; clear_schedule with no silence_for): on each registration
 * but `doc`, the pending / scheduled / muted tasks of the named types are cleared — all of them without
 * silence_for, else the (group, type) pairs with a task due by reported_date + silence_for. Returns the count.
 */
export function silence(registrations: readonly Registration[], doc: Json, silenceType: string, silenceFor: unknown, by: 'silence_type' | 'clear_schedule'): number {
  const types = silenceType.split(',').map((t) => t.trim());
  const clearable = new Set<MessageState>(['pending', 'scheduled', 'muted']);
  // A scheduled message handed to the gateway by the time this report arrives is sent: no longer clearable.
  const now = Number(doc.reported_date);
  const canClear = (t: Task): boolean => clearable.has(t.message.state) && !(t.message.state === 'scheduled' && t.sendMs <= now);
  let cleared = 0;
  for (const registration of registrations) {
    if (registration.doc._id === doc._id) continue;
    const tasks = registration.tasks.filter((t) => types.includes(t.type));
    let toClear: Task[];
    if (!silenceFor) {
      toClear = tasks.filter(canClear);
    } else {
      // An unparseable duration is a zero-length window in cht-core (moment adds nothing).
      const until = moment(Number(doc.reported_date)).add(parseDuration(silenceFor) ?? 0).valueOf();
      const pairs = new Set(tasks.filter((t) => t.dueMs <= until).map((t) => `${String(t.group)}\u0000${t.type}`));
      toClear = tasks.filter((t) => pairs.has(`${String(t.group)}\u0000${t.type}`) && canClear(t));
    }
    for (const t of toClear) {
      t.message.state = 'cleared';
      t.message.clearedBy = { report: doc._id, by };
      cleared++;
    }
  }
  return cleared;
}
