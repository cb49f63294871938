/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import vm from 'node:vm';
import { didYouMean } from '../did-you-mean.js';
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type WorkflowContext, type WorkflowProblem } from './context.js';
import { CORE_MESSAGE_KEYS } from './core-message-keys.js';
import { contactTypes, REPORT_PROPERTIES, type ReportForm } from './report-forms.js';

/**
 * Checks shared by every SMS message configuration (registrations, patient reports, schedules, validations):
 * the text (translation_key or message array), the placeholders in it and the recipient
 * (cht-core 4.11.0 shared-libs/message-utils/src/index.js, shared-libs/transitions/src/lib/messages.js).
 */

/** Recipient keywords cht-core's getRecipient resolves itself. */
const KEYWORDS = ['reporting_unit', 'parent', 'grandparent', 'clinic', 'health_center', 'district'] as const;
/** The hard-coded contact type each place keyword looks for. */
const KEYWORD_TYPES: Record<string, string> = { clinic: 'clinic', health_center: 'health_center', district: 'district_hospital' };
/** Contact properties the message context carries for the patient and place (besides the report's own). */
const CONTACT_PROPERTIES = new Set(['phone', 'alternate_phone', 'name', 'patient_id', 'place_id', 'parent', 'patient', 'place', 'contact']);
/** Namespaces of cht-core's own message keys: a key there that is defined nowhere is surely missing. */
const CORE_NAMESPACES = /^(messages\.|sms_|sys\.)/;

export interface TextOptions {
  /** Whether a plural `messages` array is read too (schedules and validations: yes; addMessage paths: no). */
  pluralRead: boolean;
  /** When false a missing text is the caller's to report (validations report it as a warning). */
  requireText: boolean;
}

/** True when a translation key resolves to text: the project's translations in any locale, or cht-core's. */
export function translationDefined(ctx: WorkflowContext, key: string): boolean {
  if (CORE_MESSAGE_KEYS.has(key)) return true;
  for (const table of ctx.translations.values()) if (table.has(key)) return true;
  return false;
}

/** Mustache tags whose name holds whitespace: mustache looks them up as one name, so they render empty. */
function emptyPlaceholders(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\{\{\{?\s*([#^/&]?)\s*([^{}]*?)\s*\}?\}\}/g)) {
    const name = m[2]!;
    if (/\s/.test(name) && !/^[!>=]/.test(name)) found.push(m[0]);
  }
  return found;
}

function placeholderProblems(text: string, path: Segment[], where: string): WorkflowProblem[] {
  return emptyPlaceholders(text).map((tag) => ({
    code: 'sms/placeholder-renders-empty',
    severity: 'warning',
    path,
    target: 'value',
    message: `The placeholder ${tag}${where} names a value with a space in it; mustache finds no such value and cht-core sends the message with nothing in its place.`,
    hint: 'Use the field name without spaces, e.g. {{patient_name}}.',
  }));
}

/** Checks a message's text. Returns the problems and whether it has any text at all. */
export function checkMessageText(msg: Record<string, any>, path: Segment[], ctx: WorkflowContext, options: TextOptions): { problems: WorkflowProblem[]; hasText: boolean } {
  const problems: WorkflowProblem[] = [];
  const key = msg.translation_key;
  if (key !== undefined && key !== null && key !== '') {
    if (typeof key !== 'string') {
      problems.push({
        code: 'sms/message-shape',
        severity: 'error',
        path: [...path, 'translation_key'],
        target: 'value',
        message: `translation_key ${quote(key)} is not a string; cht-core fails to translate it and records a parse_error instead of sending the message.`,
        hint: 'Give the key as a string.',
      });
      return { problems, hasText: true };
    }
    if (!translationDefined(ctx, key)) {
      const core = CORE_NAMESPACES.test(key);
      problems.push({
        code: 'sms/unknown-translation-key',
        severity: core ? 'error' : 'warning',
        path: [...path, 'translation_key'],
        target: 'value',
        message: `translation_key '${key}' is defined neither in the project's translations nor among cht-core 4.11's message keys; cht-core translates it to the key itself, marks the message messages.errors.message.empty and never sends it.`,
        hint: `Add '${key} = …' to translations/messages-en.properties (and the other locales), or correct the key.`,
      });
    }
    for (const [locale, table] of ctx.translations) {
      const text = table.get(key);
      if (text) problems.push(...placeholderProblems(text, [...path, 'translation_key'], ` in its ${locale} translation`));
    }
    return { problems, hasText: true };
  }
  const plural = msg.messages;
  let text: unknown = options.pluralRead ? (plural ?? msg.message) : msg.message;
  let textKey = options.pluralRead && plural !== undefined ? 'messages' : 'message';
  if (!options.pluralRead && msg.message === undefined && plural !== undefined) {
    problems.push({
      code: 'sms/message-plural',
      severity: 'error',
      path: [...path, 'messages'],
      target: 'key',
      message: `This message's text is under 'messages', which cht-core does not read here (only 'message'): the text is empty and the message is never sent.`,
      hint: "Rename 'messages' to 'message'.",
    });
    text = undefined;
    textKey = 'messages';
  }
  if (text === undefined || text === null || text === '' || (Array.isArray(text) && text.length === 0)) {
    if (options.requireText && problems.length === 0) {
      problems.push({
        code: 'sms/message-no-text',
        severity: 'error',
        path: [...path, 'translation_key'],
        target: 'missing',
        message: `This message has neither a translation_key nor a message; cht-core generates it empty, marks it messages.errors.message.empty and never sends it.`,
        hint: "Add a translation_key, or a message array of { locale, content }.",
      });
    }
    return { problems, hasText: problems.length > 0 };
  }
  if (typeof text === 'string') {
    problems.push(...placeholderProblems(text, [...path, textKey], ''));
    return { problems, hasText: true };
  }
  if (!Array.isArray(text)) {
    problems.push({
      code: 'sms/message-shape',
      severity: 'error',
      path: [...path, textKey],
      target: 'value',
      message: `${textKey} must be an array of { locale, content } (or a string); cht-core reads this value as no text and never sends the message.`,
      hint: '"message": [{ "locale": "en", "content": "…" }]',
    });
    return { problems, hasText: true };
  }
  text.forEach((entry: unknown, i: number) => {
    const at = [...path, textKey, i];
    if (!isObject(entry) || typeof entry.content !== 'string') {
      problems.push({
        code: 'sms/message-shape',
        severity: 'error',
        path: isObject(entry) && entry.content !== undefined ? [...at, 'content'] : at,
        target: 'value',
        message: `${textKey}[${i}] needs a string content; cht-core fails on it (a parse_error, or empty text) when this locale is picked, and the message is not sent.`,
        hint: '{ "locale": "en", "content": "…" }',
      });
      return;
    }
    if (entry.locale !== undefined && typeof entry.locale !== 'string') {
      problems.push({
        code: 'sms/message-shape',
        severity: 'warning',
        path: [...at, 'locale'],
        target: 'value',
        message: `locale ${quote(entry.locale)} is not a string: no report's locale ever matches it, so this text is only used as the first entry's fallback.`,
        hint: 'Use a locale code such as "en".',
      });
    }
    problems.push(...placeholderProblems(entry.content, [...at, 'content'], ''));
  });
  return { problems, hasText: true };
}

/**
 * Checks a recipient against what cht-core resolves: keywords, `ancestor:<type>`, `link:<tag>`, fields and
 * properties of the report, dotted paths, phone numbers. Anything else quietly goes to the sender.
 * `forms` are the forms whose reports the message is about; undefined or any app form = fields unknown.
 */
export function checkRecipient(recipient: unknown, path: Segment[], ctx: WorkflowContext, forms: readonly ReportForm[] | undefined): WorkflowProblem[] {
  if (recipient === undefined || recipient === null || recipient === '') return [];
  if (typeof recipient !== 'string') {
    return [{
      code: 'sms/recipient-shape',
      severity: 'error',
      path,
      target: 'value',
      message: `recipient ${quote(recipient)} is not a string; cht-core fails on it and records a parse_error instead of the message.`,
      hint: "Use a recipient such as 'reporting_unit', 'parent' or 'ancestor:<contact type>'.",
    }];
  }
  const r = recipient.trim();
  if (r === '' || (KEYWORDS as readonly string[]).includes(r)) {
    const type = KEYWORD_TYPES[r];
    const types = contactTypes(ctx);
    if (type && types.configured && !types.ids.has(type)) {
      return [{
        code: 'sms/recipient-never-matches',
        severity: 'warning',
        path,
        target: 'value',
        message: `recipient '${r}' looks for the nearest place of the hard-coded type '${type}', which this project's contact_types do not define; cht-core then sends the message to the sender.`,
        hint: `Use 'ancestor:<type>' with one of: ${[...types.ids].join(', ')}.`,
      }];
    }
    return [];
  }
  const colon = r.indexOf(':');
  if (r.startsWith('ancestor:')) {
    const type = r.split(':')[1] ?? '';
    const types = contactTypes(ctx);
    if (types.ids.has(type)) return [];
    const suggestion = didYouMean(type, types.ids);
    return [{
      code: 'sms/unknown-recipient',
      severity: 'warning',
      path,
      target: 'value',
      message: `recipient '${r}' names the contact type '${type}', which is not defined; no ancestor ever matches, so cht-core sends the message to the sender.`,
      hint: `Contact types: ${[...types.ids].join(', ')}.`,
      ...(suggestion ? { suggestion: `'ancestor:${suggestion}'` } : {}),
    }];
  }
  if (r.startsWith('link:') || colon > 0 || r.includes('.') || /^\+?[\d\s()-]{5,}$/.test(r)) return [];
  if (REPORT_PROPERTIES.has(r) || CONTACT_PROPERTIES.has(r)) return [];
  const fieldsKnown = forms !== undefined && forms.length > 0 && forms.every((f) => f.kind === 'sms');
  if (forms?.some((f) => f.kind === 'sms' && f.fields.has(r))) return [];
  const suggestion = didYouMean(r, [...KEYWORDS, 'ancestor:', 'link:']);
  if (!fieldsKnown && !suggestion) return [];
  const named = fieldsKnown ? `a field of ${forms.map((f) => `'${f.code}'`).join(', ')}, ` : '';
  return [{
    code: 'sms/unknown-recipient',
    severity: 'warning',
    path,
    target: 'value',
    message: `recipient '${r}' is not ${named}a report property nor a recipient cht-core knows; it resolves to no phone and cht-core sends the message to the sender instead.`,
    hint: "Recipients: reporting_unit, parent, grandparent, clinic, health_center, district, 'ancestor:<contact type>', 'link:<tag>', a form field holding a phone number, a dotted path, or a phone number.",
    ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
  }];
}

/**
 * A `bool_expr` is run by `vm.runInNewContext` with `doc`; a syntax error throws every time, which cht-core
 * counts as false (triggers) or as a transition error (messages). Compiled here, never run.
 */
export function checkBoolExpr(expr: unknown, path: Segment[], what: string): WorkflowProblem[] {
  if (expr === undefined || expr === null || (typeof expr === 'string' && expr.trim() === '')) return [];
  if (typeof expr !== 'string') {
    return [{
      code: 'sms/bool-expr',
      severity: 'warning',
      path,
      target: 'value',
      message: `bool_expr ${quote(expr)} is not a string; cht-core ignores it and ${what} always.`,
      hint: 'Give a JavaScript expression over doc, e.g. "doc.fields.age < 5".',
    }];
  }
  try {
    new vm.Script(expr);
    return [];
  } catch (err) {
    return [{
      code: 'sms/bool-expr',
      severity: 'error',
      path,
      target: 'value',
      message: `bool_expr '${expr}' is not a valid JavaScript expression (${(err as Error).message}); it throws every time, so ${what} never.`,
      hint: 'Fix the expression; it is evaluated with doc (the report, its fields merged in for triggers).',
    }];
  }
}

/**
 * Messages of a registration or patient report: event_type known (registrations also send untyped ones), text,
 * recipient, bool_expr. Used by registrations.ts and patient-reports.ts.
 */
export function checkReportMessages(value: unknown, path: Segment[], ctx: WorkflowContext, form: ReportForm | undefined, eventTypes: readonly string[], untypedSent: boolean): WorkflowProblem[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{
    code: 'sms/message-shape',
    severity: 'error',
    path,
    target: 'value',
    message: 'messages must be an array of message objects; cht-core fails on anything else and sends none.',
    hint: '"messages": [ { "event_type": "report_accepted", "translation_key": "…" } ]',
  }];
  const problems: WorkflowProblem[] = [];
  value.forEach((msg: unknown, m: number) => {
    const at = [...path, m];
    if (!isObject(msg)) {
      problems.push({
        code: 'sms/message-shape',
        severity: 'error',
        path: at,
        target: 'value',
        message: 'A message must be an object { event_type, translation_key | message, recipient }.',
        hint: 'See the CHT docs on messages.',
      });
      return;
    }
    const type = msg.event_type;
    if (type === undefined || type === '' || type === null) {
      if (!untypedSent) {
        problems.push({
          code: 'sms/unknown-event-type',
          severity: 'error',
          path: [...at, 'event_type'],
          target: 'missing',
          message: "This message has no event_type; cht-core sends a patient report's messages only for event_type 'report_accepted' (or a rejection type), so it is never sent.",
          hint: 'Add "event_type": "report_accepted".',
          suggestion: "'report_accepted'",
        });
      }
    } else if (typeof type !== 'string' || !eventTypes.includes(type)) {
      const suggestion = typeof type === 'string' ? didYouMean(type, eventTypes) : undefined;
      problems.push({
        code: 'sms/unknown-event-type',
        severity: 'error',
        path: [...at, 'event_type'],
        target: 'value',
        message: `event_type ${quote(type)} is not one cht-core sends here; the message is never sent.`,
        hint: `Event types: ${eventTypes.join(', ')}.`,
        ...(suggestion ? { suggestion: `'${suggestion}'` } : {}),
      });
    }
    problems.push(...checkMessageText(msg, at, ctx, { pluralRead: false, requireText: true }).problems);
    problems.push(...checkRecipient(msg.recipient, [...at, 'recipient'], ctx, form ? [form] : undefined));
    problems.push(...checkBoolExpr(msg.bool_expr, [...at, 'bool_expr'], 'the message is sent'));
  });
  return problems;
}
