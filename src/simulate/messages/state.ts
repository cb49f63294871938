import moment from 'moment';
import { reportSubjectIds, type FixtureDb } from './docs.js';
import { recipientOf } from './recipients.js';
import { messageLocale, messageText, render, templateContext, type TemplateExtras, type Translations } from './render.js';
import { isRegistrationForm } from './settings.js';
import { localDayTime } from './time.js';
import type { Json, MessageState, PlannedMessage } from './types.js';

/** A scheduled message as sentinel keeps it on its registration (scheduled_tasks), with the planned message. */
export interface Task {
  type: string;
  group: unknown;
  dueMs: number;
  /** When sentinel hands it to the gateway (the due time, or when the sending window opens; Infinity: never). */
  sendMs: number;
  message: PlannedMessage;
}

/** A processed registration: the hydrated report and its scheduled tasks. */
export interface Registration {
  doc: Json;
  tasks: Task[];
}

/** The run's shared state: settings, translations, the fixture database, what was processed so far. */
export class RunState {
  readonly messages: PlannedMessage[] = [];
  readonly notes = new Set<string>();

  constructor(
    readonly settings: Json,
    readonly translations: Translations,
    readonly db: FixtureDb,
    readonly tz: string,
  ) {}

  /** Valid registrations processed so far, by subject id (the reports_by_subject view, kept as they arrive). */
  private readonly bySubject = new Map<string, Registration[]>();

  /** Records a processed report: when it is a valid registration, later reports find it by its subject ids. */
  addProcessed(registration: Registration): void {
    const doc = registration.doc;
    if ((Array.isArray(doc.errors) && doc.errors.length) || !isRegistrationForm(this.settings, doc.form)) return;
    for (const id of reportSubjectIds(doc)) {
      const list = this.bySubject.get(id) ?? [];
      list.push(registration);
      this.bySubject.set(id, list);
    }
  }

  /** The registrations (processed so far) of any of these subject ids, in processing order, each once. */
  registrationsOf(ids: readonly string[]): Registration[] {
    const found = new Set<Registration>();
    for (const id of ids) for (const r of this.bySubject.get(id) ?? []) found.add(r);
    return [...found];
  }

  /**
   * A message as message-utils generates it: recipient, then text (translated, rendered); no text, or a
   * translation key that translates to itself, is cht-core's messages.errors.message.empty (never sent).
   */
  generate(doc: Json, content: Json, recipient: unknown, extras: TemplateExtras): Pick<PlannedMessage, 'recipient' | 'locale' | 'text' | 'error' | 'translationKey'> & { builtIn?: boolean } {
    const locale = messageLocale(this.settings, doc);
    const context = templateContext(doc, extras);
    let to;
    try {
      to = recipientOf(this.settings, context, recipient, this.db);
    } catch (err) {
      return { recipient: { setting: String(recipient ?? ''), via: 'not resolved' }, locale, error: `parse_error: ${(err as Error).message}` };
    }
    const key = typeof content.translation_key === 'string' && content.translation_key ? content.translation_key : undefined;
    const out = { recipient: to, locale, ...(key ? { translationKey: key } : {}) };
    const template = messageText(content, this.translations, locale);
    if (key && template === key && key.startsWith('messages.generic.')) {
      // cht-core's own translations (api/resources) have this key; chtkit does not carry them.
      return { ...out, builtIn: true };
    }
    let text: string;
    try {
      // The view the recipient was resolved on: cht-core builds the same one again for the text.
      text = template ? render(this.settings, template, context, locale) : '';
    } catch (err) {
      return { ...out, error: `parse_error: ${(err as Error).message}` };
    }
    if (!text || (key && text === key)) return { ...out, error: 'messages.errors.message.empty' };
    if (extras.registrations?.length && !extras.patient) return { ...out, text, error: 'messages.errors.patient.missing' };
    if (extras.placeRegistrations?.length && !extras.place) return { ...out, text, error: 'messages.errors.place.missing' };
    return { ...out, text };
  }

  /** A message sent on arrival (registration / patient report reply), at the report's time. */
  reply(doc: Json, transition: PlannedMessage['transition'], config: Json, recipient: unknown, extras: TemplateExtras, allowed: boolean): PlannedMessage {
    // messages.addMessage reads translation_key and `message` only: a plural `messages` array is not read here.
    const g = this.generate(doc, { translation_key: config.translation_key, message: config.message }, recipient, extras);
    const due = Number(doc.reported_date);
    const { day, time } = localDayTime(due);
    const state: MessageState = g.error ? 'error' : allowed ? 'pending' : 'denied';
    const { builtIn, ...rest } = g;
    if (builtIn) this.notes.add(`Texts of cht-core's own translation keys (messages.generic.*) are not shown: chtkit does not carry cht-core's translations.`);
    const message: PlannedMessage = { report: doc._id, form: doc.form, kind: 'reply', transition, due: new Date(due).toISOString(), day, time, state, ...rest };
    this.messages.push(message);
    return message;
  }

  /** next_msg of registration replies: time to the registration's first scheduled message (schedules.getNextTimes). */
  nextTimes(tasks: readonly Task[], now: number): Json {
    const due = tasks[0]?.dueMs ?? now;
    const out: Json = {};
    for (const unit of ['minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const) out[unit] = moment(due).diff(now, unit);
    return out;
  }
}
