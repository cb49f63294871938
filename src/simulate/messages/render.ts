import moment from 'moment';
import mustache from 'mustache';
import type { Json } from './types.js';

/**
 * Message text as cht-core 4.11's message-utils makes it: the text (translation key: locale -> en -> the key
 * itself; or a `message`/`messages` array `{locale, content}`: the locale's entry, else the first), rendered
 * with mustache without HTML escaping over the template context (the patient, place, report fields, the report,
 * the subject's first registration), with the date lambdas `{{#date}}`, `{{#datetime}}`.
 */

export type Translations = ReadonlyMap<string, ReadonlyMap<string, string>>;

export function translate(translations: Translations, key: string, locale: string): string {
  const text = translations.get(locale)?.get(key) || translations.get('en')?.get(key) || key;
  return text.trim();
}

/** The message locale: the report's, its SMS's, then locale_outgoing, locale, en. */
export function messageLocale(settings: Json, doc: Json): string {
  const pick = [doc.locale, doc.sms_message?.locale, settings.locale_outgoing, settings.locale].find((v) => typeof v === 'string' && v);
  return (pick as string | undefined) ?? 'en';
}

/** The raw text of a message config: its translation, or the locale's entry of its message array. */
export function messageText(config: Json, translations: Translations, locale: string): string {
  const key = config.translation_key || config.translationKey;
  if (typeof key === 'string' && key) return translate(translations, key, locale);
  const list = config.messages || config.message;
  if (!list || !list.length) return '';
  if (!Array.isArray(list)) return typeof list === 'string' ? list : '';
  const entry = list.find((m: Json) => m && m.locale === locale) ?? list[0];
  const content = entry?.content;
  return typeof content === 'string' ? content.trim() : '';
}

function ancestorOfType(doc: Json | undefined, type: string): Json | undefined {
  let facility = doc && (doc.parent ? doc : doc.contact);
  for (let depth = 0; facility && depth < 20; depth++) {
    if (facility.type === type || facility.contact_type === type) return facility;
    facility = facility.parent;
  }
  return undefined;
}

/** Fills the missing keys of `target` from each source in turn (lodash's _.defaults). */
function defaults(target: Json, ...sources: (Json | undefined)[]): Json {
  for (const source of sources) {
    if (!source || typeof source !== 'object') continue;
    for (const key of Object.keys(source)) if (target[key] === undefined) target[key] = source[key];
  }
  return target;
}

function docContext(doc: Json): Json {
  const clinic = ancestorOfType(doc, 'clinic');
  const healthCenter = ancestorOfType(doc, 'health_center');
  const district = ancestorOfType(doc, 'district_hospital');
  const internal: Json = { clinic, health_center: healthCenter, district, parent: healthCenter, grandparent: district };
  return defaults(internal, doc.fields, doc);
}

export interface TemplateExtras {
  patient?: Json;
  place?: Json;
  registrations?: Json[];
  placeRegistrations?: Json[];
  templateContext?: Json;
}

/** What a template sees: patient and place, their fields and properties, the report's, its registration's. */
export function templateContext(doc: Json, extras: TemplateExtras): Json {
  const ctx: Json = { patient: extras.patient, place: extras.place };
  defaults(ctx, extras.templateContext);
  if (extras.patient) {
    defaults(ctx, docContext(extras.patient));
    ctx.patient_name = ctx.patient_name || extras.patient.name;
  }
  if (extras.place) defaults(ctx, docContext(extras.place));
  defaults(ctx, docContext(doc));
  if (extras.registrations?.length) defaults(ctx, docContext(extras.registrations[0]!));
  if (extras.placeRegistrations?.length) defaults(ctx, docContext(extras.placeRegistrations[0]!));
  return ctx;
}

const noEscape = (value: unknown): string => value as string;

/** Renders a template as message-utils does (mustache, no escaping, date lambdas formatted with moment). */
export function render(settings: Json, template: string, view: Json, locale: string): string {
  const formatDate = (text: string, format: unknown, loc?: string): string => {
    const rendered = mustache.render(text, view, undefined, { escape: noEscape });
    const value: string | number = isNaN(rendered as unknown as number) ? rendered : parseInt(rendered, 10);
    return moment(value).locale(loc ?? moment.locale()).format(typeof format === 'string' ? format : undefined);
  };
  const full: Json = Object.assign(view, {
    date: () => (text: string) => formatDate(text, settings.date_format, locale),
    datetime: () => (text: string) => formatDate(text, settings.reported_date_format, locale),
  });
  return mustache.render(template, full, undefined, { escape: noEscape });
}
