import type { Json } from './types.js';

/**
 * What cht-core 4.11 does with the `transitions` section before any report arrives (shared-libs/transitions
 * index.js loadTransitions): a value loads when truthy and not `{disable: true}`; one unknown name or one failing
 * start-up check disables every transition. Only the failures that concern the message transitions, or that stop
 * everything, are checked here; the validator (src/schema/workflows) reports them all.
 */
export const TRANSITIONS = [
  'update_clinics', 'self_report', 'registration', 'accept_patient_reports', 'accept_case_reports',
  'generate_shortcode_on_contacts', 'generate_patient_id_on_people', 'default_responses', 'update_sent_by',
  'death_reporting', 'conditional_alerts', 'multi_report_alerts', 'update_notifications',
  'update_scheduled_reports', 'resolve_pending', 'muting', 'mark_for_outbound', 'create_user_for_contacts',
] as const;

export function transitionLoads(value: unknown): boolean {
  return Boolean(value) && !(typeof value === 'object' && (value as Json).disable);
}

/** The params of a registration event as cht-core parses them; throws as cht-core's JSON.parse does. */
export function parseParams(params: unknown): unknown {
  if (!params) return {};
  if (typeof params === 'object') return params;
  if (typeof params !== 'string') return {};
  const first = params.trim()[0];
  if (first === '[' || first === '{') return JSON.parse(params) as unknown;
  return params.split(',');
}

export interface LoadedTransitions {
  update_clinics: boolean;
  registration: boolean;
  accept_patient_reports: boolean;
  /** Why nothing runs, when cht-core would disable every transition. */
  disabledBecause?: string;
}

export function loadTransitions(settings: Json): LoadedTransitions {
  const section = settings.transitions;
  if (!section || typeof section !== 'object' || Array.isArray(section)) {
    return { update_clinics: false, registration: false, accept_patient_reports: false };
  }
  const none = (why: string): LoadedTransitions => ({ update_clinics: false, registration: false, accept_patient_reports: false, disabledBecause: why });
  const known = new Set<string>(TRANSITIONS);
  const enabled = Object.keys(section).filter((k) => transitionLoads(section[k]));
  for (const key of Object.keys(section)) {
    if (!known.has(key)) return none(`transitions has the unknown name "${key}": cht-core disables every transition`);
  }
  if (enabled.includes('registration')) {
    if (!Array.isArray(settings.registrations)) return none('registration is enabled but registrations is not an array: its start-up fails and cht-core disables every transition');
    for (const reg of settings.registrations as Json[]) {
      for (const event of Array.isArray(reg?.events) ? reg.events as Json[] : []) {
        let params: unknown;
        try {
          params = parseParams(event?.params);
        } catch {
          return none(`the params of ${String(reg.form)}.${String(event.trigger)} do not parse: cht-core disables every transition`);
        }
        if ((event.trigger === 'assign_schedule' || event.trigger === 'clear_schedule') && (!event.params || !Array.isArray(params))) {
          return none(`${String(reg.form)}.${String(event.trigger)} needs params naming its schedules: cht-core disables every transition`);
        }
      }
    }
  }
  if (enabled.includes('death_reporting') && !(Array.isArray(settings.death_reporting?.mark_deceased_forms) && settings.death_reporting.mark_deceased_forms.length)) {
    return none('death_reporting is enabled without death_reporting.mark_deceased_forms: cht-core disables every transition');
  }
  if (enabled.includes('muting') && !(Array.isArray(settings.muting?.mute_forms) && settings.muting.mute_forms.length)) {
    return none('muting is enabled without muting.mute_forms: cht-core disables every transition');
  }
  return {
    update_clinics: enabled.includes('update_clinics'),
    registration: enabled.includes('registration'),
    accept_patient_reports: enabled.includes('accept_patient_reports'),
  };
}

/** The registration config of a form: cht-core's isFormCodeSame, a case-insensitive match of the whole code. */
export function registrationFor(settings: Json, form: string): Json | undefined {
  if (!Array.isArray(settings.registrations)) return undefined;
  return (settings.registrations as Json[]).find((conf) => {
    if (!conf || typeof conf.form !== 'string') return false;
    try {
      // The configured form is a regex source in cht-core ('^W*' + form + '\\W*$'); kept, W and all.
      return new RegExp(`^W*${conf.form}\\W*$`, 'i').test(form);
    } catch {
      return false;
    }
  });
}

/** registration-utils' formCodeMatches, used to decide which reports count as a subject's registrations. */
export function isRegistrationForm(settings: Json, form: unknown): boolean {
  if (typeof form !== 'string' || !Array.isArray(settings.registrations)) return false;
  return (settings.registrations as Json[]).some((conf) => {
    if (!conf || typeof conf.form !== 'string') return false;
    try {
      return new RegExp(`^[^a-z]*${conf.form}[^a-z]*$`, 'i').test(form);
    } catch {
      return false;
    }
  });
}

/** The patient_reports config of a form: matched exactly, case-sensitively. */
export function patientReportFor(settings: Json, form: string): Json | undefined {
  if (!Array.isArray(settings.patient_reports)) return undefined;
  return (settings.patient_reports as Json[]).find((conf) => conf && conf.form === form);
}

/** A schedule by name: the last one with that name, as cht-core's lookup keeps the last match. */
export function scheduleNamed(settings: Json, name: string): Json | undefined {
  if (!Array.isArray(settings.schedules)) return undefined;
  let found: Json | undefined;
  for (const s of settings.schedules as Json[]) if (s && s.name === name) found = s;
  return found;
}

/**
 * Whether sentinel accepts the report as a submission (utils.isValidSubmission): an app form (xform) report,
 * an SMS to a public form, or an SMS from a known sender (a contact with a phone, or whose parent's contact has one).
 */
export function isValidSubmission(settings: Json, doc: Json): boolean {
  if (doc.content_type === 'xml') return true;
  const forms = settings.forms && typeof settings.forms === 'object' ? settings.forms as Json : {};
  const form = typeof doc.form === 'string' ? forms[doc.form] : undefined;
  if (!form) return false;
  if (form.public_form) return true;
  const contact = doc.contact;
  return Boolean(contact && (contact.phone || contact.parent?.contact?.phone));
}
