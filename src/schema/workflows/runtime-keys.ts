/* eslint-disable @typescript-eslint/no-explicit-any -- settings are user-shaped; every access is guarded */
import type { Segment } from '../schema-errors.js';
import { isObject, quote, type SectionCheck, type WorkflowContext, type WorkflowProblem, problem } from './context.js';
import { oneOf } from './sms-common.js';

/**
 * The runtime keys that are not SMS-specific (codes `settings/…`; sources at each check): phone normalisation, the
 * SMS sending service, sentinel's synthetic date, token login, and keys 4.x never reads.
 */

const p = problem;

/** shared-libs/phone-number: libphonenumber gets the region of `default_country_code`, a calling code in digits. */
function countryCode(s: Record<string, any>): WorkflowProblem[] {
  const v = s.default_country_code;
  if (v === undefined || v === null || v === '') return [];
  if ((typeof v === 'number' && Number.isInteger(v) && v > 0) || (typeof v === 'string' && /^\d+$/.test(v))) return [];
  const digits = typeof v === 'string' ? v.replace(/\D/g, '') : '';
  return [
    p(
      'settings/default-country-code',
      'error',
      ['default_country_code'],
      'value',
      `default_country_code is ${quote(v)}: cht-core needs the calling code in digits only, and with this value finds no region, so phone numbers in local format (0712…) are invalid everywhere (phone validation, registration phone fields, recipients).`,
      digits ? `Write ${JSON.stringify(digits)}.` : 'Write the country calling code in digits, e.g. "254".',
    ),
  ];
}

const PHONE_VALIDATION = ['full', 'partial', 'none'];

function phoneValidation(s: Record<string, any>): WorkflowProblem[] {
  const v = s.phone_validation;
  if (v === undefined || v === null || v === '' || v === false) return [];
  if (typeof v !== 'string') {
    return [
      p(
        'settings/phone-validation',
        'error',
        ['phone_validation'],
        'value',
        `phone_validation is ${quote(v)}: cht-core calls toLowerCase() on it and throws, so every phone number check and normalisation fails.`,
        `Write ${oneOf(PHONE_VALIDATION)}.`,
      ),
    ];
  }
  if (PHONE_VALIDATION.includes(v.toLowerCase())) return [];
  return [
    p(
      'settings/phone-validation',
      'warning',
      ['phone_validation'],
      'value',
      `phone_validation is ${quote(v)}: cht-core knows only ${oneOf(PHONE_VALIDATION)} and validates any other value in full.`,
      `Write ${oneOf(PHONE_VALIDATION)}.`,
    ),
  ];
}

const SMS_SERVICES = ['medic-gateway', 'africas-talking', 'rapidpro'];

/** api/src/services/messaging.js, africas-talking.js, rapidpro.js. */
function smsService(s: Record<string, any>): WorkflowProblem[] {
  const sms = s.sms;
  if (sms === undefined || sms === null) return [];
  if (!isObject(sms)) {
    return [p('settings/sms-service', 'warning', ['sms'], 'value', `sms is ${quote(sms)}, not an object: cht-core reads sms.outgoing_service from it and so uses medic-gateway.`, 'Write "sms": { "outgoing_service": "medic-gateway" }.')];
  }
  const service = sms.outgoing_service;
  if (service === undefined || service === 'medic-gateway') return [];
  if (typeof service !== 'string' || !SMS_SERVICES.includes(service)) {
    return [
      p(
        'settings/sms-service',
        'error',
        ['sms', 'outgoing_service'],
        'value',
        `sms.outgoing_service is ${quote(service)}: cht-core knows ${oneOf(SMS_SERVICES)}, finds no sending service, and messages stay pending unless a medic-gateway happens to poll.`,
        `Write ${oneOf(SMS_SERVICES)}.`,
      ),
    ];
  }
  const need = service === 'africas-talking' ? { key: 'africas_talking', prop: 'username', cred: 'africastalking.com:outgoing' } : { key: 'rapidpro', prop: 'url', cred: 'rapidpro:outgoing' };
  const conf = sms[need.key];
  if (isObject(conf) && typeof conf[need.prop] === 'string' && conf[need.prop] !== '') return [];
  return [
    p(
      'settings/sms-service',
      'error',
      isObject(conf) ? ['sms', need.key, need.prop] : ['sms', need.key],
      'missing',
      `sms.outgoing_service is '${service}' but sms.${need.key}.${need.prop} is not set: cht-core refuses to send ("No ${need.prop === 'url' ? 'RapidPro URL' : 'username'} configured"), so no SMS goes out.`,
      `Set sms.${need.key}.${need.prop} (and store the API key as the credential '${need.cred}').`,
    ),
  ];
}

/** shared-libs/transitions/src/date.js: sentinel runs on a fake clock when synthetic_date holds YYYYMMDD[HH[mm]]. */
function syntheticDate(s: Record<string, any>): WorkflowProblem[] {
  const v = s.synthetic_date;
  if (!v) return [];
  const applies = /(\d{4})(\d{2})(\d{2})/.test(String(v));
  return [
    p(
      'settings/synthetic-date',
      'warning',
      ['synthetic_date'],
      'value',
      applies
        ? `synthetic_date is ${quote(v)}: sentinel runs on that fake date (a test setting), so schedules and reminders fall due at the wrong time.`
        : `synthetic_date is ${quote(v)}, which is not YYYYMMDD[HH[mm]]: sentinel ignores it.`,
      'Remove it outside test instances.',
    ),
  ];
}


function tokenLogin(s: Record<string, any>): WorkflowProblem[] {
  const v = s.token_login;
  if (v === undefined || v === null) return [];
  if (isObject(v) && (v.enabled === undefined || typeof v.enabled === 'boolean')) return [];
  const at: Segment[] = isObject(v) ? ['token_login', 'enabled'] : ['token_login'];
  return [
    p(
      'settings/token-login',
      'warning',
      at,
      'value',
      `token_login${isObject(v) ? '.enabled' : ''} is ${quote(isObject(v) ? v.enabled : v)}: cht-core reads token_login.enabled for truthiness, so token login is ${isObject(v) && v.enabled ? 'on' : 'off'}.`,
      'Write "token_login": { "enabled": true } or false.',
    ),
  ];
}

const FILTERS_FAIL = 'message generation throws for every message, which gets a parse_error instead of being sent';

/**
 * The outgoing filters (shared-libs/transitions/src/lib/messages.js isOutgoingAllowed, message-utils
 * applyPhoneFilters), applied to every generated message inside a try that turns a throw into a parse_error.
 */
function outgoingFilters(s: Record<string, any>): WorkflowProblem[] {
  const out: WorkflowProblem[] = [];
  const code = 'settings/outgoing-filters';
  const deny = s.outgoing_deny_list;
  if (deny && typeof deny !== 'string') {
    out.push(
      p(code, 'error', ['outgoing_deny_list'], 'value', `outgoing_deny_list is ${quote(deny)}, not a comma-separated text: cht-core calls split() on it, so ${FILTERS_FAIL}.`, Array.isArray(deny) ? `Write ${JSON.stringify(deny.join(','))}.` : 'Write e.g. "+2547,+2541".'),
    );
  }
  const filters = s.outgoing_phone_filters;
  if (filters && !Array.isArray(filters)) {
    out.push(p(code, 'error', ['outgoing_phone_filters'], 'value', `outgoing_phone_filters is ${quote(filters)}, not an array: cht-core calls forEach() on it, so ${FILTERS_FAIL}.`, 'Write [{ "match": "^0", "replace": "+254" }].'));
  } else if (Array.isArray(filters)) {
    filters.forEach((f: unknown, i: number) => {
      if (!isObject(f) || !f.match) return;
      if (!f.replace) {
        out.push(
          p(code, 'warning', ['outgoing_phone_filters', i, 'replace'], isObject(f) && 'replace' in f ? 'value' : 'missing', `outgoing_phone_filters[${i}] has no non-empty replace: cht-core applies a filter only when both match and replace are set, so this one does nothing.`, 'Set replace (an empty replacement is not possible).'),
        );
        return;
      }
      try {
        new RegExp(String(f.match));
      } catch (err) {
        out.push(
          p(code, 'error', ['outgoing_phone_filters', i, 'match'], 'value', `outgoing_phone_filters[${i}].match ${quote(f.match)} is not a valid regular expression (${err instanceof Error ? err.message : String(err)}): ${FILTERS_FAIL}.`, 'Fix the pattern.'),
        );
      }
    });
  }
  const alphas = s.outgoing_deny_with_alphas;
  if (alphas !== undefined && typeof alphas !== 'boolean') {
    out.push(p(code, 'warning', ['outgoing_deny_with_alphas'], 'value', `outgoing_deny_with_alphas is ${quote(alphas)}: cht-core applies it only when it is the boolean true, so it is off.`, 'Write true or false.'));
  }
  const shorter = s.outgoing_deny_shorter_than;
  if (shorter !== undefined && shorter !== null && shorter !== '' && Number.isNaN(parseInt(String(shorter), 10))) {
    out.push(p(code, 'warning', ['outgoing_deny_shorter_than'], 'value', `outgoing_deny_shorter_than is ${quote(shorter)}, not an integer: cht-core ignores it.`, 'Write a number of digits, e.g. 6.'));
  }
  return out;
}

/** Keys no code in cht-core 4.11.0 reads (api, sentinel, shared-libs, webapp): harmless, but they do nothing. */
function unreadKeys(s: Record<string, any>): WorkflowProblem[] {
  return Object.keys(s)
    .filter((k) => k === 'replications' || k === 'id_format' || k.startsWith('kujua_'))
    .map((k) => p('settings/unread-key', 'note', [k], 'key', `${k} is not read by cht-core 4.x: it has no effect.`, 'Remove it.'));
}

export const checkRuntimeKeys: SectionCheck = (ctx: WorkflowContext) => {
  const s = ctx.settings;
  return [
    ...countryCode(s),
    ...phoneValidation(s),
    ...smsService(s),
    ...outgoingFilters(s),
    ...syntheticDate(s),
    ...tokenLogin(s),
    ...unreadKeys(s),
  ];
};
